// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_PROFILE_CHAIN_HPP
#define MTURK_CROWD_CREDENTIALS_PROFILE_CHAIN_HPP

#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/settings/profile_file.hpp>
#include <mturk/crowd/credentials/sts.hpp>

#include <optional>
#include <string>
#include <vector>

/* What a profile of the shared files asks for, before anything is fetched: a base
   identity, then the roles to assume with it, in order. Specification: AWS SDKs and
   Tools Reference Guide, "Assume role credential provider" (role_arn with source_profile
   or credential_source, chains, loops), "IAM Identity Center credential provider"
   (sso_session, legacy sso_* keys). Resolving is pure, so every rule is tested apart from
   the network. */
namespace mturk::crowd {

/// Where the chain's first credentials come from.
struct profile_base {
    enum class kind {
        static_keys,         ///< aws_access_key_id / aws_secret_access_key (/ aws_session_token)
        credential_process,  ///< a command's JSON output
        web_identity,        ///< role_arn + web_identity_token_file: AssumeRoleWithWebIdentity
        sso,                 ///< IAM Identity Center: the cached token, then GetRoleCredentials
        named_source,        ///< credential_source: Environment, Ec2InstanceMetadata or EcsContainer
    } what = kind::static_keys;
    std::string profile_name;  ///< the profile it was read from
    std::string where;         ///< "file line N", for messages

    // static_keys
    std::string access_key_id{};
    std::string secret_access_key{};
    std::string session_token{};
    std::optional<std::string> account_id{};  ///< aws_account_id
    // credential_process
    std::string command{};
    // web_identity
    role_to_assume role{};
    std::string token_file{};
    // sso: the legacy keys, or the session's
    std::optional<std::string> sso_session{};
    std::string sso_start_url{};
    std::string sso_region{};
    std::optional<std::string> sso_account_id{};
    std::optional<std::string> sso_role_name{};
    // named_source
    std::string source_name{};
};

/// A resolved profile: its base, then the roles to assume one after the other.
struct profile_chain {
    profile_base base;
    std::vector<role_to_assume> roles;  ///< innermost (closest to the base) first
};

/** Resolves `selected` in `profiles`. Errors (`errc::invalid_credentials`, or
    `errc::credentials_not_found` when the profile or its files hold no credentials):
    a role_arn with neither source_profile nor credential_source, or with both; a
    source_profile that does not exist; a loop; half static keys; web_identity_token_file
    without role_arn; inconsistent SSO keys; an unknown credential_source. The detail
    names the profile and, where there is one, the file and line. */
MTURK_CROWD_DECL result<profile_chain> resolve_profile_chain(profile_set const& profiles, std::string const& selected);

}  // namespace mturk::crowd

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/credentials/impl/profile_chain.ipp>
#endif

#endif
