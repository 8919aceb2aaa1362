// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_SIGV4_IMPL_CREDENTIAL_PROVIDERS_IPP
#define MTURK_CROWD_SIGV4_IMPL_CREDENTIAL_PROVIDERS_IPP

#include <mturk/crowd/sigv4/credential_providers.hpp>

#include <fstream>
#include <initializer_list>
#include <iterator>

// POSIX: running credential_process with a deadline.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#if !defined(_WIN32)
extern char** environ;  // NOLINT: POSIX declares it nowhere
#endif


namespace mturk::crowd::sigv4 {
namespace detail {

MTURK_CROWD_DECL result<credentials> parse_process_output(std::string_view output)
{
    boost::system::error_code ec;
    auto doc = boost::json::parse(output, ec);
    if (ec || !doc.is_object())
        return error(errc::credential_process_failed, "its output is not a JSON object");
    auto const& o = doc.get_object();
    auto const* version = o.if_contains("Version");
    if (!version || !version->is_number() || version->to_number<double>() != 1.0)
        return error(errc::credential_process_failed, "its output must have \"Version\": 1");
    auto string_of = [&](std::string_view key) -> std::optional<std::string> {
        auto const* v = o.if_contains(key);
        if (!v || !v->is_string())
            return std::nullopt;
        return std::string(v->get_string());
    };
    auto key_id = string_of("AccessKeyId");
    auto secret = string_of("SecretAccessKey");
    if (!key_id || !secret)
        return error(errc::credential_process_failed, "its output lacks AccessKeyId or SecretAccessKey (strings)");
    std::optional<credentials::time_point> expiration;
    if (auto const* e = o.if_contains("Expiration"); e && !e->is_null()) {
        auto const parsed = e->is_string() ? crowd::detail::parse_iso8601_utc(e->get_string()) : std::nullopt;
        if (!parsed)
            return error(errc::credential_process_failed, "its Expiration is not an ISO 8601 UTC time");
        expiration = *parsed;
    }
    auto made = credentials::make(std::move(*key_id), std::move(*secret), string_of("SessionToken").value_or(""),
                                  expiration);
    if (!made)
        return error(errc::credential_process_failed, std::string(made.error().detail()));
    if (auto account = string_of("AccountId"); account && !account->empty())
        return made->with_account_id(std::move(*account));
    return made;
}

MTURK_CROWD_DECL result<std::string> run_process(std::string const& command, std::chrono::milliseconds timeout)
{
    int fds[2];
    if (::pipe(fds) != 0)
        return error(errc::credential_process_failed, "cannot create a pipe");
    ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    char shell[] = "/bin/sh";
    char dash_c[] = "-c";
    std::string command_copy = command;
    char* argv[] = {shell, dash_c, command_copy.data(), nullptr};
    pid_t pid = 0;
    int const spawned = ::posix_spawn(&pid, shell, &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (spawned != 0) {
        ::close(fds[0]);
        return error(errc::credential_process_failed, "/bin/sh could not be started");
    }

    std::string output;
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    bool timed_out = false;
    bool too_long = false;
    for (;;) {
        auto const left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timed_out = true;
            break;
        }
        pollfd p{fds[0], POLLIN, 0};
        int const ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0) {
            timed_out = ready == 0;
            break;
        }
        char buffer[4096];
        ssize_t const n = ::read(fds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        output.append(buffer, static_cast<std::size_t>(n));
        if (output.size() > (1u << 20)) {
            too_long = true;
            break;
        }
    }
    ::close(fds[0]);
    if (timed_out || too_long)
        ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timed_out)
        return error(errc::credential_process_failed,
                     "it did not finish within " + std::to_string(timeout.count()) + " ms and was stopped");
    if (too_long)
        return error(errc::credential_process_failed, "it wrote more than 1 MiB");
    if (WIFSIGNALED(status))
        return error(errc::credential_process_failed, "it was killed by signal " + std::to_string(WTERMSIG(status)));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return error(errc::credential_process_failed, "it exited with status " + std::to_string(WEXITSTATUS(status)));
    return output;
}

}  // namespace
}  // namespace

namespace mturk::crowd::sigv4 {

MTURK_CROWD_DECL auto environment_credentials_provider::get() const -> result<credentials>
{
    // A variable of blanks is unset, as the SDKs read it (a template that left it empty).
    auto read = [&](char const* name) -> std::optional<std::string> {
        auto v = env_(name);
        if (v && detail::trim_blanks(*v).empty())
            return std::nullopt;
        return v;
    };
    auto key_id = read("AWS_ACCESS_KEY_ID");
    auto secret = read("AWS_SECRET_ACCESS_KEY");
    auto token = read("AWS_SESSION_TOKEN");
    bool const has_key = key_id.has_value();
    bool const has_secret = secret.has_value();
    if (!has_key && !has_secret) {
        if (token && !token->empty())
            return error(errc::invalid_credentials,
                         "AWS_SESSION_TOKEN is set without AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        return error(errc::credentials_not_found, "AWS_ACCESS_KEY_ID is not set");
    }
    if (!has_key)
        return error(errc::invalid_credentials, "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
    if (!has_secret)
        return error(errc::invalid_credentials, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
    auto made = credentials::make(std::move(*key_id), std::move(*secret), token ? std::move(*token) : std::string());
    if (!made)
        return error(made.error().code(), "environment: " + std::string(made.error().detail()));
    if (auto account = read("AWS_ACCOUNT_ID"))
        return made->with_account_id(std::move(*account));
    return made;
}

MTURK_CROWD_DECL auto process_credentials_provider::get() const -> result<credentials>
{
#if defined(_WIN32)
    return error(errc::credential_process_failed, "credential_process is not supported on Windows yet");
#else
    auto output = detail::run_process(command_, timeout_);
    auto creds = output ? detail::parse_process_output(*output) : result<credentials>(output.error());
    if (!creds)
        return error(errc::credential_process_failed, "credential_process \"" + command_ + "\": " +
                                                          std::string(creds.error().detail()));
    return creds;
#endif
}

namespace detail {

// Settings the SDKs read from the environment first, then from the selected profile.
inline std::optional<std::string> setting(network_context const& context, profile const* selected,
                                          std::initializer_list<char const*> variables, char const* key)
{
    if (auto found = env_or_profile(context.env, selected, variables, key))
        return std::move(found->value);
    return std::nullopt;
}

// STS as the selected profile and the environment configure it.
inline result<sts_options> sts_for(network_context const& context, profile_set const* files, profile const* selected)
{
    sts_options sts;
    sts.context = context;
    sts.region = setting(context, selected, {"AWS_REGION", "AWS_DEFAULT_REGION"}, "region").value_or("us-east-1");
    auto where = resolve_service_endpoint("STS", "sts", sts.region, context.env, files, selected);
    if (!where)
        return where.error();
    sts.where = std::move(*where);
    return sts;
}

inline result<std::string> read_token_file(std::string const& path, std::string const& setting_name)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return error(errc::invalid_configuration,
                     setting_name + " " + path + " cannot be read (No such file or directory?)");
    std::string token{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
        token.pop_back();
    if (token.empty())
        return error(errc::invalid_configuration, setting_name + " " + path + " is empty");
    return token;
}

}  // namespace detail

MTURK_CROWD_DECL auto profile_credentials_provider::get() const -> result<credentials>
{
    network_context const& context = options_.context;
    auto locations = locate_profile_files(context.env);
    if (options_.profile)
        locations.profile = *options_.profile;
    bool const chosen = options_.profile.has_value() || context.env("AWS_PROFILE").has_value();
    auto files = load_profile_files(locations);
    if (!files)
        return files.error();
    std::string const where = describe(locations);
    auto const found = files->profiles.find(locations.profile);
    if (found == files->profiles.end())
        return error(chosen ? errc::invalid_credentials : errc::credentials_not_found,
                     "no profile \"" + locations.profile + "\" in " + where);
    auto chain = resolve_profile_chain(*files, locations.profile);
    if (!chain) {
        if (chain.error() == errc::credentials_not_found)
            return error(errc::credentials_not_found, "profile \"" + locations.profile + "\" in " + where +
                                                          " has no credentials");
        return chain.error();
    }
    profile const& selected = found->second;
    profile_base const& base = chain->base;
    auto fallback_account = [&](credentials c) -> credentials {
        if (!c.account_id() && base.account_id)
            return c.with_account_id(*base.account_id);
        return c;
    };

    result<credentials> current = error(errc::credentials_not_found, "no base credentials");
    switch (base.what) {
    case profile_base::kind::static_keys: {
        auto made = credentials::make(base.access_key_id, base.secret_access_key, base.session_token);
        if (!made)
            return error(made.error().code(), base.where + ": " + std::string(made.error().detail()));
        current = fallback_account(std::move(*made));
        break;
    }
    case profile_base::kind::credential_process: {
        auto made = process_credentials_provider(base.command, options_.process_timeout).get();
        if (!made)
            return made.error();
        current = fallback_account(std::move(*made));
        break;
    }
    case profile_base::kind::web_identity: {
        auto token = detail::read_token_file(base.token_file, base.where + ": web_identity_token_file");
        if (!token)
            return token.error();
        auto sts = detail::sts_for(context, &*files, &selected);
        if (!sts)
            return sts.error();
        current = assume_role_with_web_identity(*sts, *token, base.role);
        break;
    }
    case profile_base::kind::sso: {
        if (!base.sso_account_id || !base.sso_role_name)
            return error(errc::invalid_credentials,
                         base.where + ": profile \"" + base.profile_name +
                             "\" has sso_session without sso_account_id and sso_role_name: the selected profile will "
                             "resolve an access token instead of credentials");
        current = sso_credentials_provider(context,
                                           {.session_name = base.sso_session,
                                            .start_url = base.sso_start_url,
                                            .region = base.sso_region,
                                            .account_id = *base.sso_account_id,
                                            .role_name = *base.sso_role_name},
                                           {.selected_profile = selected})
                      .get();
        break;
    }
    case profile_base::kind::named_source: {
        if (base.source_name == "Environment")
            current = environment_credentials_provider(context.env).get();
        else if (base.source_name == "Ec2InstanceMetadata")
            current = instance_metadata_credentials_provider(context, {}, selected).get();
        else
            current = container_credentials_provider(context).get();
        if (!current)
            current = error(current.error().code(),
                            "credential_source " + base.source_name + ": " + std::string(current.error().detail()));
        break;
    }
    }
    if (!current) {
        // The profile names a source that then has nothing: an error to fix, not a
        // reason for the chain to try another identity.
        if (current.error() == errc::credentials_not_found)
            return error(errc::invalid_credentials, base.where + ": profile \"" + base.profile_name + "\": " +
                                                        std::string(current.error().detail()));
        return current;
    }
    if (chain->roles.empty())
        return current;
    auto sts = detail::sts_for(context, &*files, &selected);
    if (!sts)
        return sts.error();
    for (auto const& role : chain->roles) {
        current = assume_role(*sts, *current, role);
        if (!current)
            return error(current.error().code(),
                         "assuming " + role.role_arn + ": " + std::string(current.error().detail()));
    }
    return current;
}

MTURK_CROWD_DECL auto web_identity_credentials_provider::get() const -> result<credentials>
{
    auto file = context_.env("AWS_WEB_IDENTITY_TOKEN_FILE");
    auto role_arn = context_.env("AWS_ROLE_ARN");
    if (!file || file->empty() || !role_arn || role_arn->empty())
        return error(errc::credentials_not_found, "AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not both set");
    auto token = detail::read_token_file(*file, "AWS_WEB_IDENTITY_TOKEN_FILE");
    if (!token)
        return token.error();
    // The profile may still configure STS (its region, its endpoint).
    auto locations = locate_profile_files(context_.env);
    auto files = load_profile_files(locations);
    if (!files)
        return files.error();
    auto const found = files->profiles.find(locations.profile);
    auto sts = detail::sts_for(context_, &*files, found == files->profiles.end() ? nullptr : &found->second);
    if (!sts)
        return sts.error();
    role_to_assume role{.role_arn = *role_arn};
    if (auto session = context_.env("AWS_ROLE_SESSION_NAME"); session && !session->empty())
        role.session_name = *session;
    return assume_role_with_web_identity(*sts, *token, role);
}

MTURK_CROWD_DECL auto profile_credentials_provider::describe(profile_locations const& l) -> std::string
{
    std::string out = l.credentials_file.empty() ? std::string("(no credentials file)") : l.credentials_file;
    out += " or ";
    out += l.config_file.empty() ? std::string("(no config file)") : l.config_file;
    return out;
}

MTURK_CROWD_DECL auto default_credentials_chain::get() -> result<credentials>
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
    auto fresh = resolve(source);
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
    auto fresh = resolve(source);  // options_ only: no lock while the network is asked
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

MTURK_CROWD_DECL auto default_credentials_chain::due_for_refresh(credentials const& c, std::chrono::system_clock::time_point now) const -> bool
{
    return c.expiration() && *c.expiration() - options_.refresh_before_expiry <= now;
}

MTURK_CROWD_DECL auto default_credentials_chain::resolve(std::string& source) const -> result<credentials>
{
    source = "code";
    if (options_.explicit_credentials)
        return *options_.explicit_credentials;
    network_context const context{.env = options_.env, .fetch = options_.fetch, .now = options_.now, .pause = options_.pause};
    std::string tried;
    // Each provider in turn; "not found" goes on to the next, anything else stops the
    // chain: a source that is set up wrong must be fixed, not passed over.
    auto attempt = [&](result<credentials> r) -> std::optional<result<credentials>> {
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
    if (auto r = attempt(profile_credentials_provider(profile_provider_options{.context = context, .profile = options_.profile,
                                                       .process_timeout = options_.process_timeout})
                             .get()))
        return *r;
    source = "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)";
    if (auto r = attempt(web_identity_credentials_provider(context).get()))
        return *r;
    source = "container endpoint";
    if (auto r = attempt(container_credentials_provider(context).get()))
        return *r;
    // Instance metadata reads its settings from the selected profile too.
    profile selected;
    if (auto files = load_profile_files(locations))
        if (auto const it = files->profiles.find(locations.profile); it != files->profiles.end())
            selected = it->second;
    source = "instance metadata";
    if (auto r = attempt(instance_metadata_credentials_provider(context, {}, selected).get()))
        return *r;
    return error(errc::credentials_not_found, tried);
}

}  // namespace mturk::crowd::sigv4

#endif
