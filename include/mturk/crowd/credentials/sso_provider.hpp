// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_SSO_PROVIDER_HPP
#define MTURK_CROWD_CREDENTIALS_SSO_PROVIDER_HPP

#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/sigv4/credentials.hpp>
#include <mturk/crowd/credentials/http_fetch.hpp>
#include <mturk/crowd/settings/profile_file.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <utility>

/* IAM Identity Center (SSO) role credentials: the access token that `aws sso login`
   cached in ~/.aws/sso/cache/<SHA-1 of the session name, or of the start URL>.json, then
   the portal's GetRoleCredentials. Specification: AWS SDKs and Tools Reference Guide,
   "IAM Identity Center credential provider"; AWS IAM Identity Center Portal API
   Reference, "GetRoleCredentials". The library does not log in; a token of an
   `sso_session` (one `aws sso login --sso-session` cached, with its client registration
   and refresh token) is refreshed as botocore does: within 15 minutes of its expiry,
   through SSO-OIDC's CreateToken (`https://oidc.<sso_region>.amazonaws.com/token`, or
   `AWS_ENDPOINT_URL_SSO_OIDC`), and written back to the cache file. A refresh that fails
   leaves a token that is still valid in use; once it has expired, the error says to run
   `aws sso login`. Specification: IAM Identity Center OIDC API Reference, "CreateToken". */
namespace mturk::crowd {

struct sso_settings {
    std::optional<std::string> session_name{};  ///< sso_session; empty for the legacy keys
    std::string start_url;
    std::string region;  ///< sso_region: where the portal is
    std::string account_id;
    std::string role_name;
};

struct sso_options {
    std::chrono::milliseconds timeout{std::chrono::seconds(5)};
    unsigned max_attempts = 3;  ///< on 5xx, 429 and connection failures
    std::string home{};         ///< where .aws/sso/cache is; empty: HOME from the context's environment
    /// The profile whose endpoint settings apply to the portal (`[services]`, FIPS, dual-stack).
    profile selected_profile{};
    /// How long before its expiry a session's token is refreshed (botocore: 15 minutes).
    std::chrono::seconds refresh_window{std::chrono::minutes(15)};
};

/** Errors: `errc::credentials_not_found` when the cached token file is absent (not logged
    in); `errc::credentials_refused` when the token has expired or the portal refuses it;
    `errc::credentials_service_failed` when the portal cannot be reached or fails. */
class sso_credentials_provider {
public:
    sso_credentials_provider(network_context context, sso_settings settings, sso_options options = {})
        : context_(std::move(context)), settings_(std::move(settings)), options_(std::move(options))
    {
    }

    MTURK_CROWD_DECL result<sigv4::credentials> get() const;

    /// The cache file of the token: ~/.aws/sso/cache/<hex SHA-1>.json.
    MTURK_CROWD_DECL result<std::string> token_file() const;

private:
    /** A new access token for the token cached in `cached` (its JSON object), through
        CreateToken, written back to `file`; nothing when the cache has no refresh token or
        client registration (`why` left empty), or when the registration has expired or
        the refresh failed (`why` says how). */
    MTURK_CROWD_DECL std::optional<std::pair<std::string, std::chrono::system_clock::time_point>>
    refresh_token(boost::json::object const& cached, std::string const& file, std::string& why) const;

    network_context context_;
    sso_settings settings_;
    sso_options options_;
};

}  // namespace mturk::crowd

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/credentials/impl/sso_provider.ipp>
#endif

#endif
