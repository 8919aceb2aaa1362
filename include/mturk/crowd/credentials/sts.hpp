// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_STS_HPP
#define MTURK_CROWD_CREDENTIALS_STS_HPP

#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/endpoint.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/sigv4/credentials.hpp>
#include <mturk/crowd/credentials/http_fetch.hpp>
#include <mturk/crowd/settings/profile_file.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/* The two AWS Security Token Service calls that turn one identity into temporary
   credentials for a role: AssumeRole (signed with the source credentials) and
   AssumeRoleWithWebIdentity (unsigned: the identity provider's token is the proof).
   Specification: AWS STS API Reference, "AssumeRole" and "AssumeRoleWithWebIdentity";
   both are Query-protocol POSTs answered in XML, read here with Expat. */
namespace mturk::crowd {

/// How to reach STS.
struct sts_options {
    network_context context;  ///< its `fetch` is required
    endpoint where;           ///< from `resolve_service_endpoint("STS", "sts", ...)`
    std::string region = "us-east-1";  ///< the signing region of AssumeRole
    std::chrono::milliseconds timeout{std::chrono::seconds(5)};
    unsigned max_attempts = 3;  ///< attempts on 5xx, throttling and connection failures
};

/// The role to assume, as a profile's `role_arn`, `role_session_name`, `external_id`
/// and `duration_seconds` give it.
struct role_to_assume {
    std::string role_arn;
    std::string session_name{};  ///< empty: "mturk-crowd-cpp-<Unix milliseconds>"
    std::optional<std::string> external_id{};
    std::optional<std::chrono::seconds> duration{};  ///< empty: STS's default (one hour)
    /// The profile's `mfa_serial`: the MFA device whose code STS asks for (SerialNumber,
    /// TokenCode).
    std::optional<std::string> mfa_serial{};
};

/** AssumeRole with `source`; with the role's `mfa_serial`, `mfa_code` is the device's
    current code (SerialNumber and TokenCode). The answer's account (from the assumed role's ARN) is set
    on the credentials. Errors: `errc::credentials_refused` for STS's refusals (the
    message says which: `AccessDenied`, `ExpiredToken`, ...), a transport's error when STS
    cannot be reached after `max_attempts`, `errc::credentials_answer_invalid` when the
    answer cannot be read. */
MTURK_CROWD_DECL result<sigv4::credentials> assume_role(sts_options const& sts, sigv4::credentials const& source,
                                                 role_to_assume const& role, std::string_view mfa_code = {});

/** AssumeRoleWithWebIdentity with the OIDC `token` (the content of
    `web_identity_token_file` / `AWS_WEB_IDENTITY_TOKEN_FILE`). Errors as `assume_role`;
    `InvalidIdentityToken`, `ExpiredToken` and `IDPRejectedClaim` are named. */
MTURK_CROWD_DECL result<sigv4::credentials> assume_role_with_web_identity(sts_options const& sts, std::string const& token,
                                                                   role_to_assume const& role);

/** Where an AWS service is, by the SDKs' rules for configured endpoints: in code
    (`configured`), `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's
    `[services]` section (`<service> = endpoint_url = ...`), the profile's
    `endpoint_url`, then `https://<prefix>.<region>.amazonaws.com` (`<prefix>-fips` when
    `AWS_USE_FIPS_ENDPOINT` or the profile's `use_fips_endpoint` is true, `.api.aws` when
    `AWS_USE_DUALSTACK_ENDPOINT` or `use_dualstack_endpoint` is). Setting
    `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` (or the profile's
    `ignore_configured_endpoint_urls = true`) skips all but `configured`.
    `service_key` is the upper-case form in variable names ("STS"); the lower-case form is
    the `[services]` key. `from`, when given, receives where the endpoint came from: "code",
    "env <VARIABLE>", "<file> line <n>" or "default". Errors: `errc::invalid_configuration`,
    naming the setting. */
MTURK_CROWD_DECL result<endpoint> resolve_service_endpoint(std::string_view service_key, std::string_view host_prefix,
                                                           std::string_view region, environment const& env,
                                                           profile_set const* profiles, profile const* selected,
                                                           std::string_view configured = {}, std::string* from = nullptr);

namespace detail {

/// The text of one element that holds text, and the path of element names to it from
/// the root ("AssumeRoleResponse/AssumeRoleResult/Credentials/AccessKeyId").
struct xml_leaf {
    std::string path;
    std::string text;
};

/** Reads an XML document into its leaves, in document order. Namespaces and attributes
    are not kept. A document with a DOCTYPE is refused (STS never sends one, and entity
    tricks need one), as are documents over 1 MiB or 32 levels deep.
    Errors: `errc::credentials_answer_invalid` with Expat's reason and line. */
MTURK_CROWD_DECL result<std::vector<xml_leaf>> read_xml_leaves(std::string_view xml);

/// Reads STS's answer to `action`: the credentials of a 2xx, or the refusal's code and
/// message (ErrorResponse/Error/Code and Message).
MTURK_CROWD_DECL result<sigv4::credentials> read_sts_answer(http_response const& answer, std::string_view action);

/// `application/x-www-form-urlencoded` from name/value pairs, in order.
MTURK_CROWD_DECL std::string form_encode(std::vector<std::pair<std::string_view, std::string_view>> const& fields);

/// The account of an ARN ("arn:aws:sts::123456789012:assumed-role/..."), if it has one.
MTURK_CROWD_DECL std::optional<std::string> account_of_arn(std::string_view arn);

}  // namespace detail

}  // namespace mturk::crowd

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/credentials/impl/sts.ipp>
#endif

#endif
