// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_PROFILE_PROVIDER_HPP
#define MTURK_CROWD_CREDENTIALS_PROFILE_PROVIDER_HPP

#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/credentials/file_cache.hpp>
#include <mturk/crowd/credentials/sts.hpp>
#include <mturk/crowd/settings/environment.hpp>
#include <mturk/crowd/settings/profile_file.hpp>
#include <mturk/crowd/sigv4/credentials.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <memory>
#include <utility>

namespace mturk::crowd {

/// How the profile provider reads the shared files and reaches the services a profile names.
struct profile_provider_options {
    network_context context{};  ///< the environment, and the HTTP client for STS, SSO and credential_source
    std::optional<std::string> profile{};  ///< instead of AWS_PROFILE / "default"
    std::chrono::milliseconds process_timeout = std::chrono::seconds(60);
    /// The shared files, already read (the default chain reads them once per resolution
    /// for every provider that needs them); empty: read at each `get()`.
    std::shared_ptr<profile_set const> files{};
    /// The code of a role's MFA device (`mfa_serial`), asked for each AssumeRole that
    /// needs one. Empty: such a role fails, saying how to give one.
    std::function<result<std::string>(std::string_view mfa_serial)> mfa_token{};
    /// Where assumed-role and web-identity credentials are kept across processes (the aws
    /// CLI's cache); empty: none. A hit skips the source credentials and the MFA code.
    std::shared_ptr<credentials_file_cache const> cache{};
};

/** The selected profile of the shared files, resolved as the AWS SDKs do
    (`resolve_profile_chain`): static keys, `credential_process`, web identity
    (`role_arn` + `web_identity_token_file`), IAM Identity Center (`sso_session` or the
    legacy `sso_*` keys), or a `credential_source`; then each `role_arn` of the
    `source_profile` chain assumed in turn through STS. The account a source learns
    (STS's role ARN, SSO's account, `credential_process`'s `AccountId`, else the profile's
    `aws_account_id`) is set on the credentials.

    STS is reached in the region of `AWS_REGION`, `AWS_DEFAULT_REGION` or the profile's
    `region` (else us-east-1), at the endpoint `resolve_service_endpoint` gives
    (`AWS_ENDPOINT_URL_STS`, ...), FIPS and dual-stack when `use_fips_endpoint` /
    `use_dualstack_endpoint` (or AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT) say so. */
class profile_credentials_provider {
public:
    explicit profile_credentials_provider(environment env = process_environment(),
                                          std::optional<std::string> profile_name = std::nullopt,
                                          std::chrono::milliseconds process_timeout = std::chrono::seconds(60))
        : options_{.context = {.env = std::move(env)}, .profile = std::move(profile_name), .process_timeout = process_timeout}
    {
    }

    explicit profile_credentials_provider(profile_provider_options options) : options_(std::move(options)) {}

    MTURK_CROWD_DECL result<sigv4::credentials> get() const;

private:
    MTURK_CROWD_DECL static std::string describe(profile_locations const& l);

    profile_provider_options options_;
};

/// `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and `AWS_ROLE_SESSION_NAME` (as on EKS
/// with IAM roles for service accounts): AssumeRoleWithWebIdentity through STS.
/// `errc::credentials_not_found` unless both the file and the role are set.
class web_identity_credentials_provider {
public:
    /// `files`: the shared files already read, for STS's settings; empty: read at each `get()`.
    explicit web_identity_credentials_provider(network_context context, std::shared_ptr<profile_set const> files = {},
                                               std::shared_ptr<credentials_file_cache const> cache = {})
        : context_(std::move(context)), files_(std::move(files)), cache_(std::move(cache))
    {
    }

    MTURK_CROWD_DECL result<sigv4::credentials> get() const;

private:
    network_context context_;
    std::shared_ptr<profile_set const> files_;
    std::shared_ptr<credentials_file_cache const> cache_;
};

}  // namespace mturk::crowd

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/credentials/impl/profile_provider.ipp>
#endif

#endif
