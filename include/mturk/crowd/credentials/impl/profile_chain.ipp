// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_IMPL_PROFILE_CHAIN_IPP
#define MTURK_CROWD_CREDENTIALS_IMPL_PROFILE_CHAIN_IPP

#include <mturk/crowd/credentials/profile_chain.hpp>

#include <algorithm>
#include <iterator>
#include <set>

namespace mturk::crowd {
namespace detail {

struct profile_reader {
    std::string const& name;
    profile const& properties;

    profile_property const* find(std::string_view key) const
    {
        auto const it = properties.find(std::string(key));
        return it == properties.end() || it->second.value.empty() ? nullptr : &it->second;
    }
    std::string at(profile_property const& p) const { return p.file + " line " + std::to_string(p.line); }
    error fail(errc code, std::string const& problem) const
    {
        return error(code, "profile `" + name + "`: " + problem);
    }
};

inline result<role_to_assume> role_of(profile_reader const& p)
{
    role_to_assume role;
    role.role_arn = p.find("role_arn")->value;
    if (auto const* session = p.find("role_session_name"))
        role.session_name = session->value;
    if (auto const* external = p.find("external_id"))
        role.external_id = external->value;
    if (auto const* serial = p.find("mfa_serial"))
        role.mfa_serial = serial->value;
    if (auto const* duration = p.find("duration_seconds")) {
        long long seconds = 0;
        bool ok = !duration->value.empty() && duration->value.size() <= 6;
        for (char c : duration->value) {
            ok = ok && c >= '0' && c <= '9';
            seconds = seconds * 10 + (c - '0');
        }
        if (!ok || seconds < 900 || seconds > 43200)
            return p.fail(errc::invalid_configuration, p.at(*duration) + ": duration_seconds \"" + duration->value +
                                                           "\" is not a number of seconds from 900 to 43200");
        role.duration = std::chrono::seconds(seconds);
    }
    return role;
}

inline result<profile_base> static_keys_of(profile_reader const& p)
{
    auto const* key = p.find("aws_access_key_id");
    auto const* secret = p.find("aws_secret_access_key");
    if (!key)
        return error(errc::invalid_credentials, p.at(*secret) + ": profile \"" + p.name +
                                                    "\" has aws_secret_access_key but no aws_access_key_id");
    if (!secret)
        return error(errc::invalid_credentials, p.at(*key) + ": profile \"" + p.name +
                                                    "\" has aws_access_key_id but no aws_secret_access_key");
    profile_base base;
    base.what = profile_base::kind::static_keys;
    base.profile_name = p.name;
    base.where = p.at(*key);
    base.access_key_id = key->value;
    base.secret_access_key = secret->value;
    if (auto const* token = p.find("aws_session_token"))
        base.session_token = token->value;
    if (auto const* account = p.find("aws_account_id"))
        base.account_id = account->value;
    return base;
}

inline bool has_static_keys(profile_reader const& p)
{
    return p.find("aws_access_key_id") || p.find("aws_secret_access_key");
}

// A profile without role_arn: what it holds itself.
inline result<profile_base> base_of(profile_reader const& p, profile_set const& all)
{
    if (p.find("web_identity_token_file"))
        return p.fail(errc::invalid_credentials, p.at(*p.find("web_identity_token_file")) +
                                                     ": `web_identity_token_file` was specified but `role_arn` was missing");
    if (has_static_keys(p))
        return static_keys_of(p);
    if (auto const* process = p.find("credential_process")) {
        profile_base base;
        base.what = profile_base::kind::credential_process;
        base.profile_name = p.name;
        base.where = p.at(*process);
        base.command = process->value;
        if (auto const* account = p.find("aws_account_id"))
            base.account_id = account->value;
        return base;
    }
    auto const* session = p.find("sso_session");
    auto const* account = p.find("sso_account_id");
    auto const* role = p.find("sso_role_name");
    auto const* start_url = p.find("sso_start_url");
    if (session || account || role || start_url) {
        profile_base base;
        base.what = profile_base::kind::sso;
        base.profile_name = p.name;
        if (role && !account)
            return p.fail(errc::invalid_credentials, "if `sso_role_name` is set, then `sso_account_id` must also be set");
        if (account && !role)
            return p.fail(errc::invalid_credentials, "if `sso_account_id` is set, then `sso_role_name` must also be set");
        if (account)
            base.sso_account_id = account->value;
        if (role)
            base.sso_role_name = role->value;
        if (session) {
            base.where = p.at(*session);
            auto const found = all.sso_sessions.find(session->value);
            if (found == all.sso_sessions.end())
                return p.fail(errc::invalid_credentials, p.at(*session) + ": sso-session named `" + session->value +
                                                             "` (referenced by profile `" + p.name + "`) was not found");
            profile_reader const s{session->value, found->second};
            if (auto const* region = p.find("sso_region"); region && s.find("sso_region") &&
                                                            region->value != s.find("sso_region")->value)
                return p.fail(errc::invalid_credentials, p.at(*region) + ": sso_region differs from sso-session `" +
                                                             session->value + "`'s");
            if (auto const* region = p.find("sso_region"); region && !s.find("sso_region"))
                return p.fail(errc::invalid_credentials,
                              p.at(*region) + ": `sso_region` can only be specified in the [sso-session] config when "
                                              "a session name is given");
            base.sso_session = session->value;
            if (auto const* url = s.find("sso_start_url"))
                base.sso_start_url = url->value;
            if (auto const* region = s.find("sso_region"))
                base.sso_region = region->value;
        } else {
            base.where = start_url ? p.at(*start_url) : p.at(*account);
            auto const* region = p.find("sso_region");
            if (!start_url || !region)
                return p.fail(errc::invalid_credentials,
                              "an SSO profile without sso_session needs sso_start_url, sso_region, sso_account_id and "
                              "sso_role_name");
            base.sso_start_url = start_url->value;
            base.sso_region = region->value;
        }
        if (base.sso_start_url.empty() || base.sso_region.empty())
            return p.fail(errc::invalid_credentials, "sso-session `" + *base.sso_session +
                                                         "` needs sso_start_url and sso_region");
        return base;
    }
    return p.fail(errc::credentials_not_found, "did not contain credential information");
}

}  // namespace detail

MTURK_CROWD_DECL auto resolve_profile_chain(profile_set const& profiles, std::string const& selected)
    -> result<profile_chain>
{
    if (profiles.profiles.empty())
        return error(errc::credentials_not_found, "No profiles were defined");
    profile_chain chain;
    std::set<std::string> visited;
    std::string name = selected;
    std::vector<role_to_assume> outermost_first;
    for (bool first = true;; first = false) {
        auto const found = profiles.profiles.find(name);
        if (found == profiles.profiles.end())  // a source profile's existence is checked before it is followed
            return error(errc::credentials_not_found, "profile `" + name + "` is not defined");
        if (!visited.insert(name).second)
            return error(errc::invalid_credentials, "profile `" + name + "` formed an infinite loop of source_profile");
        detail::profile_reader const p{found->first, found->second};
        auto const* role_arn = p.find("role_arn");
        // A source profile with static keys is used for them, even if it names a role.
        if (!role_arn || (!first && detail::has_static_keys(p))) {
            auto base = detail::base_of(p, profiles);
            if (!base)
                return base.error();
            chain.base = std::move(*base);
            break;
        }
        if (auto const* token_file = p.find("web_identity_token_file")) {
            auto role = detail::role_of(p);
            if (!role)
                return role.error();
            chain.base.what = profile_base::kind::web_identity;
            chain.base.profile_name = name;
            chain.base.where = p.at(*token_file);
            chain.base.role = std::move(*role);
            chain.base.token_file = token_file->value;
            break;
        }
        auto role = detail::role_of(p);
        if (!role)
            return role.error();
        outermost_first.push_back(std::move(*role));
        auto const* source = p.find("source_profile");
        auto const* named = p.find("credential_source");
        if (source && named)
            return p.fail(errc::invalid_credentials,
                          p.at(*source) + ": profile contained both source_profile and credential_source");
        if (named) {
            static constexpr std::string_view known[] = {"Environment", "Ec2InstanceMetadata", "EcsContainer"};
            if (std::find(std::begin(known), std::end(known), named->value) == std::end(known))
                return p.fail(errc::invalid_credentials,
                              p.at(*named) + ": credential_source `" + named->value +
                                  "` is not one of Environment, Ec2InstanceMetadata, EcsContainer");
            chain.base.what = profile_base::kind::named_source;
            chain.base.profile_name = name;
            chain.base.where = p.at(*named);
            chain.base.source_name = named->value;
            break;
        }
        if (!source)
            return p.fail(errc::invalid_credentials,
                          p.at(*role_arn) + ": a profile with role_arn must contain `source_profile` or `credential_source`");
        if (source->value == name) {
            // Self-reference: this profile's own keys are the source of its role.
            if (!detail::has_static_keys(p))  // (found by fuzzing: static_keys_of needs one of the two)
                return p.fail(errc::invalid_credentials, p.at(*source) + ": profile " + name +
                                                             " is its own source_profile but has no static keys "
                                                             "(aws_access_key_id and aws_secret_access_key)");
            auto base = detail::static_keys_of(p);
            if (!base)
                return base.error();
            chain.base = std::move(*base);
            break;
        }
        if (profiles.profiles.find(source->value) == profiles.profiles.end())
            return p.fail(errc::invalid_credentials, p.at(*source) + ": could not find source profile " +
                                                         source->value + " referenced from " + name);
        name = source->value;
    }
    chain.roles.assign(outermost_first.rbegin(), outermost_first.rend());
    return chain;
}

}  // namespace mturk::crowd

#endif
