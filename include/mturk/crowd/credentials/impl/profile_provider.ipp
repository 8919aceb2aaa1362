// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_IMPL_PROFILE_PROVIDER_IPP
#define MTURK_CROWD_CREDENTIALS_IMPL_PROFILE_PROVIDER_IPP

#include <mturk/crowd/credentials/profile_provider.hpp>
#include <mturk/crowd/credentials/container_provider.hpp>
#include <mturk/crowd/credentials/instance_metadata_provider.hpp>
#include <mturk/crowd/credentials/process_provider.hpp>
#include <mturk/crowd/credentials/profile_chain.hpp>
#include <mturk/crowd/credentials/sso_provider.hpp>

#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <iterator>

namespace mturk::crowd {

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

/// A role's credentials from `cache`, if it holds good ones.
inline std::optional<sigv4::credentials> cached_role(credentials_file_cache const* cache, role_to_assume const& role,
                                                     network_context const& context)
{
    if (!cache)
        return std::nullopt;
    auto key = role_cache_key(role);
    return key ? cache->load(*key, context.now()) : std::nullopt;
}

/// Keeps what a role gave in `cache`. A cache that cannot be written is passed over: the
/// credentials are good, and the next run asks STS again.
inline void keep_role(credentials_file_cache const* cache, role_to_assume const& role,
                      result<sigv4::credentials> const& creds)
{
    if (!cache || !creds)
        return;
    if (auto key = role_cache_key(role))
        (void)cache->store(*key, *creds);
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

MTURK_CROWD_DECL auto profile_credentials_provider::get() const -> result<sigv4::credentials>
{
    network_context const& context = options_.context;
    auto locations = locate_profile_files(context.env);
    if (options_.profile)
        locations.profile = *options_.profile;
    bool const chosen = options_.profile.has_value() || context.env("AWS_PROFILE").has_value();
    std::shared_ptr<profile_set const> files = options_.files;
    if (!files) {
        auto loaded = load_profile_files(locations);
        if (!loaded)
            return loaded.error();
        files = std::make_shared<profile_set const>(std::move(*loaded));
    }
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
    // The last role's credentials kept from an earlier run: nothing else is asked.
    role_to_assume const* const last = !chain->roles.empty()                         ? &chain->roles.back()
                                       : base.what == profile_base::kind::web_identity ? &base.role
                                                                                       : nullptr;
    if (last)
        if (auto hit = detail::cached_role(options_.cache.get(), *last, context))
            return *hit;
    auto fallback_account = [&](sigv4::credentials c) -> sigv4::credentials {
        if (!c.account_id() && base.account_id)
            return c.with_account_id(*base.account_id);
        return c;
    };

    result<sigv4::credentials> current = error(errc::credentials_not_found, "no base credentials");
    switch (base.what) {
    case profile_base::kind::static_keys: {
        auto made = sigv4::credentials::make(base.access_key_id, base.secret_access_key, base.session_token);
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
        detail::keep_role(options_.cache.get(), base.role, current);
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
        std::string code;
        if (role.mfa_serial) {
            if (!options_.mfa_token)
                return error(errc::invalid_configuration,
                             "assuming " + role.role_arn + " needs the code of the MFA device " + *role.mfa_serial +
                                 " (the profile's mfa_serial), and nothing can ask for it: give "
                                 "client_config::mfa_token, or run crowd on a terminal");
            auto asked = options_.mfa_token(*role.mfa_serial);
            if (!asked)
                return error(asked.error().code(), "the MFA code for " + *role.mfa_serial + ": " +
                                                       std::string(asked.error().detail()));
            code = std::move(*asked);
            bool const digits = code.size() == 6 && std::all_of(code.begin(), code.end(), [](char c) {
                return c >= '0' && c <= '9';
            });
            if (!digits)
                return error(errc::invalid_configuration,
                             "the MFA code for " + *role.mfa_serial + " is not six digits");
        }
        current = assume_role(*sts, *current, role, code);
        detail::keep_role(options_.cache.get(), role, current);
        if (!current)
            return error(current.error().code(),
                         "assuming " + role.role_arn + ": " + std::string(current.error().detail()));
    }
    return current;
}

MTURK_CROWD_DECL auto web_identity_credentials_provider::get() const -> result<sigv4::credentials>
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
    std::shared_ptr<profile_set const> files = files_;
    if (!files) {
        auto loaded = load_profile_files(locations);
        if (!loaded)
            return loaded.error();
        files = std::make_shared<profile_set const>(std::move(*loaded));
    }
    auto const found = files->profiles.find(locations.profile);
    auto sts = detail::sts_for(context_, &*files, found == files->profiles.end() ? nullptr : &found->second);
    if (!sts)
        return sts.error();
    role_to_assume role{.role_arn = *role_arn};
    if (auto session = context_.env("AWS_ROLE_SESSION_NAME"); session && !session->empty())
        role.session_name = *session;
    if (auto hit = detail::cached_role(cache_.get(), role, context_))
        return *hit;
    auto assumed = assume_role_with_web_identity(*sts, *token, role);
    detail::keep_role(cache_.get(), role, assumed);
    return assumed;
}

MTURK_CROWD_DECL auto profile_credentials_provider::describe(profile_locations const& l) -> std::string
{
    std::string out = l.credentials_file.empty() ? std::string("(no credentials file)") : l.credentials_file;
    out += " or ";
    out += l.config_file.empty() ? std::string("(no config file)") : l.config_file;
    return out;
}

}  // namespace mturk::crowd

#endif
