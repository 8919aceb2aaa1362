// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_IMPL_DEFAULT_CHAIN_IPP
#define MTURK_CROWD_CREDENTIALS_IMPL_DEFAULT_CHAIN_IPP

#include <mturk/crowd/credentials/default_chain.hpp>
#include <mturk/crowd/credentials/container_provider.hpp>
#include <mturk/crowd/credentials/instance_metadata_provider.hpp>

namespace mturk::crowd {

MTURK_CROWD_DECL auto default_credentials_chain::get() -> result<sigv4::credentials>
{
    // Held while resolving: the other callers wait for this one's result instead of
    // asking the same services again (single flight).
    std::lock_guard<std::mutex> lock(mutex_);
    auto const now = options_.now();
    if (cached_ && !due_for_refresh(*cached_, now))
        return *cached_;
    bool const still_valid = cached_ && (!cached_->expiration() || *cached_->expiration() > now);
    if (still_valid && options_.refresh_in_background) {
        if (!refreshing_) {
            refreshing_ = true;
            if (refresher_.joinable())
                refresher_.join();  // the last one has finished: it cleared refreshing_ as it ended
            refresher_ = std::thread([this] { refresh_in_background(); });
        }
        return *cached_;
    }
    std::string source;
    auto fresh = resolve_and_tell(source, false);
    if (fresh) {
        cached_ = *fresh;
        source_ = std::move(source);
        last_refresh_error_.reset();
        return fresh;
    }
    if (cached_ && (!cached_->expiration() || *cached_->expiration() > now)) {
        last_refresh_error_ = fresh.error();
        return *cached_;
    }
    return fresh;
}

MTURK_CROWD_DECL auto default_credentials_chain::refresh_in_background() -> void
{
    std::string source;
    auto fresh = resolve_and_tell(source, true);  // options_ only: no lock while the network is asked
    std::lock_guard<std::mutex> lock(mutex_);
    if (fresh) {
        cached_ = std::move(*fresh);
        source_ = std::move(source);
        last_refresh_error_.reset();
    } else {
        last_refresh_error_ = fresh.error();
    }
    refreshing_ = false;
}

MTURK_CROWD_DECL auto default_credentials_chain::has_valid_credentials() const -> bool
{
    std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
    if (!lock)
        return false;  // get() is resolving under the lock: it would wait
    return cached_ && (!cached_->expiration() || *cached_->expiration() > options_.now());
}

MTURK_CROWD_DECL auto default_credentials_chain::invalidate() -> void
{
    std::lock_guard<std::mutex> lock(mutex_);
    cached_.reset();
}

MTURK_CROWD_DECL auto default_credentials_chain::last_refresh_error() const -> std::optional<error>
{
    std::lock_guard<std::mutex> lock(mutex_);
    return last_refresh_error_;
}

MTURK_CROWD_DECL auto default_credentials_chain::source() const -> std::string
{
    std::lock_guard<std::mutex> lock(mutex_);
    return source_;
}

MTURK_CROWD_DECL auto default_credentials_chain::due_for_refresh(sigv4::credentials const& c, std::chrono::system_clock::time_point now) const -> bool
{
    return c.expiration() && *c.expiration() - options_.refresh_before_expiry <= now;
}

MTURK_CROWD_DECL auto default_credentials_chain::resolve_and_tell(std::string& source, bool background) const
    -> result<sigv4::credentials>
{
    auto const began = std::chrono::steady_clock::now();
    auto fresh = resolve(source);
    if (options_.on_resolved) {
        credentials_resolution told{.source = source,
                                    .duration = std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::now() - began),
                                    .background = background};
        std::string tail;
        std::optional<error> failed;
        if (fresh) {
            told.expiration = fresh->expiration();
            auto const key = fresh->access_key_id();
            tail = std::string(key.substr(key.size() > 4 ? key.size() - 4 : 0));
            told.access_key_tail = tail;
        } else {
            failed = fresh.error();
            told.failure = &*failed;
        }
        options_.on_resolved(told);
    }
    return fresh;
}

MTURK_CROWD_DECL auto default_credentials_chain::resolve(std::string& source) const -> result<sigv4::credentials>
{
    source = "code";
    if (options_.explicit_credentials)
        return *options_.explicit_credentials;
    network_context const context{.env = options_.env, .fetch = options_.fetch, .now = options_.now, .pause = options_.pause};
    std::string tried;
    // Each provider in turn; "not found" goes on to the next, anything else stops the
    // chain: a source that is set up wrong must be fixed, not passed over.
    auto attempt = [&](result<sigv4::credentials> r) -> std::optional<result<sigv4::credentials>> {
        if (r || r.error() != errc::credentials_not_found)
            return r;
        if (!tried.empty())
            tried += "; ";
        tried += r.error().detail();
        return std::nullopt;
    };
    source = "environment";
    if (auto r = attempt(environment_credentials_provider(options_.env).get()))
        return *r;
    auto locations = locate_profile_files(options_.env);
    if (options_.profile)
        locations.profile = *options_.profile;
    source = "profile \"" + locations.profile + "\"";
    // The shared files are read once per resolution, for every provider that reads them
    // (the profile, web identity's STS settings, instance metadata's settings). Files that
    // cannot be read stop the chain here, as the profile provider would.
    auto loaded = load_profile_files(locations);
    if (!loaded)
        return loaded.error();
    auto const files = std::make_shared<profile_set const>(std::move(*loaded));
    if (auto r = attempt(profile_credentials_provider(profile_provider_options{.context = context, .profile = options_.profile,
                                                       .process_timeout = options_.process_timeout, .files = files,
                                                       .mfa_token = options_.mfa_token, .cache = options_.cache})
                             .get()))
        return *r;
    source = "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)";
    if (auto r = attempt(web_identity_credentials_provider(context, files, options_.cache).get()))
        return *r;
    source = "container endpoint";
    if (auto r = attempt(container_credentials_provider(context).get()))
        return *r;
    // Instance metadata reads its settings from the selected profile too.
    profile selected;
    if (auto const it = files->profiles.find(locations.profile); it != files->profiles.end())
        selected = it->second;
    source = "instance metadata";
    if (auto r = attempt(instance_metadata_credentials_provider(context, {}, selected).get()))
        return *r;
    return error(errc::credentials_not_found, tried);
}

}  // namespace mturk::crowd

#endif
