// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_SIGV4_CREDENTIAL_PROVIDERS_HPP
#define MTURK_CROWD_SIGV4_CREDENTIAL_PROVIDERS_HPP

#include <mturk/crowd/detail/iso8601.hpp>
#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/sigv4/container_provider.hpp>
#include <mturk/crowd/sigv4/credentials.hpp>
#include <mturk/crowd/sigv4/http_fetch.hpp>
#include <mturk/crowd/sigv4/instance_metadata_provider.hpp>
#include <mturk/crowd/sigv4/profile_chain.hpp>
#include <mturk/crowd/sigv4/profile_file.hpp>
#include <mturk/crowd/sigv4/sso_provider.hpp>
#include <mturk/crowd/sigv4/sts.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <concepts>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <mutex>
#include <thread>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

/* Where credentials come from, in the order the AWS SDKs look (Specification: AWS SDKs
   and Tools Reference Guide, "Standardized credential providers"): given in code, the
   environment, the shared profile files (static keys, credential_process, assumed roles,
   web identity, IAM Identity Center), web identity from the environment, the container
   endpoint, and EC2 instance metadata.

   A provider's get() gives credentials, or errc::credentials_not_found when it has none,
   which lets the chain ask the next one. Any other error stops the chain: a source that
   is set up wrong must be fixed, not silently passed over for another identity. */
namespace mturk::crowd::sigv4 {

/// What the chain asks of a provider.
template <class P>
concept credentials_provider = requires(P& p) {
    { p.get() } -> std::same_as<result<credentials>>;
};

/// Credentials given in code.
class static_credentials_provider {
public:
    explicit static_credentials_provider(credentials c) : credentials_(std::move(c)) {}
    result<credentials> get() const { return credentials_; }

private:
    credentials credentials_;
};

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and, for temporary credentials, `AWS_SESSION_TOKEN`.
class environment_credentials_provider {
public:
    explicit environment_credentials_provider(environment env = process_environment()) : env_(std::move(env)) {}

    MTURK_CROWD_DECL result<credentials> get() const;

private:
    environment env_;
};

namespace detail {

/// Reads `credential_process` output (Specification: "Sourcing credentials with an
/// external process"). The output is never quoted in an error: it holds secrets.
MTURK_CROWD_DECL result<credentials> parse_process_output(std::string_view output);

#if !defined(_WIN32)
/// Runs `command` with /bin/sh, its stdout captured (at most 1 MiB), stderr and stdin
/// inherited (a process may ask for an MFA code); killed when `timeout` passes (its own children are not).
MTURK_CROWD_DECL result<std::string> run_process(std::string const& command, std::chrono::milliseconds timeout);
#endif

}  // namespace detail

/// Runs a `credential_process` command and reads its JSON (`Version: 1`).
class process_credentials_provider {
public:
    explicit process_credentials_provider(std::string command,
                                          std::chrono::milliseconds timeout = std::chrono::seconds(60))
        : command_(std::move(command)), timeout_(timeout)
    {
    }

    MTURK_CROWD_DECL result<credentials> get() const;

private:
    std::string command_;
    std::chrono::milliseconds timeout_;
};

/// How the profile provider reads the shared files and reaches the services a profile names.
struct profile_provider_options {
    network_context context{};  ///< the environment, and the HTTP client for STS, SSO and credential_source
    std::optional<std::string> profile{};  ///< instead of AWS_PROFILE / "default"
    std::chrono::milliseconds process_timeout = std::chrono::seconds(60);
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

    MTURK_CROWD_DECL result<credentials> get() const;

private:
    MTURK_CROWD_DECL static std::string describe(profile_locations const& l);

    profile_provider_options options_;
};

/// `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and `AWS_ROLE_SESSION_NAME` (as on EKS
/// with IAM roles for service accounts): AssumeRoleWithWebIdentity through STS.
/// `errc::credentials_not_found` unless both the file and the role are set.
class web_identity_credentials_provider {
public:
    explicit web_identity_credentials_provider(network_context context) : context_(std::move(context)) {}

    MTURK_CROWD_DECL result<credentials> get() const;

private:
    network_context context_;
};

/// How the default chain looks for credentials and keeps them.
struct credentials_chain_options {
    std::optional<credentials> explicit_credentials{};  ///< used first when given
    environment env = process_environment();
    std::optional<std::string> profile{};             ///< instead of AWS_PROFILE / "default"
    std::chrono::seconds refresh_before_expiry = std::chrono::minutes(5);
    std::chrono::milliseconds process_timeout = std::chrono::seconds(60);
    std::function<std::chrono::system_clock::time_point()> now = [] { return std::chrono::system_clock::now(); };
    /// The HTTP client of the providers that use the network (STS, SSO, containers,
    /// instance metadata); `make_client` gives the Beast one. Empty: those providers are
    /// passed over, and the "not found" error says so.
    http_fetch fetch{};
    std::function<void(std::chrono::milliseconds)> pause{};  ///< between a provider's attempts; empty: sleep
    /// Refresh kept credentials that are due but still valid on a thread of the chain's
    /// own, returning the kept ones meanwhile: a caller (an executor's thread, say) waits
    /// only when there is nothing valid to use. False: the caller that finds them due
    /// refreshes them itself.
    bool refresh_in_background = true;
};

/** The default chain, in the AWS SDKs' order: explicit credentials, the environment, the
    selected profile (`profile_credentials_provider`), web identity from the environment,
    the container endpoint (ECS, EKS Pod Identity), then EC2 instance metadata. What it
    finds is kept, and temporary credentials are fetched again `refresh_before_expiry`
    before they expire, once for all callers (single flight): in the background while the
    kept ones are returned (`refresh_in_background`). If that fails while the kept ones are
    still valid, they stay in use and `last_refresh_error()` says why. A caller waits only
    when nothing valid is kept: the first call, or after expiry. Thread-safe. */
class default_credentials_chain {
public:
    explicit default_credentials_chain(credentials_chain_options options = {}) : options_(std::move(options)) {}
    default_credentials_chain(default_credentials_chain const&) = delete;
    default_credentials_chain& operator=(default_credentials_chain const&) = delete;
    /// Waits for a background refresh under way (bounded by the providers' time-outs).
    ~default_credentials_chain()
    {
        if (refresher_.joinable())
            refresher_.join();
    }

    MTURK_CROWD_DECL result<credentials> get();

    /** Whether `get()` would answer at once: valid credentials are kept, and no caller is
        resolving meanwhile. Never waits (an executor asks it before signing). */
    MTURK_CROWD_DECL bool has_valid_credentials() const;

    /// Forgets the kept credentials (after the service refused them, say).
    MTURK_CROWD_DECL void invalidate();

    /// Why the last refresh failed while kept credentials were used instead; empty after a success.
    MTURK_CROWD_DECL std::optional<error> last_refresh_error() const;

    /// Which provider gave the kept credentials ("environment", "profile \"dev\"",
    /// "container endpoint", ...); empty before the first success.
    MTURK_CROWD_DECL std::string source() const;

private:
    MTURK_CROWD_DECL bool due_for_refresh(credentials const& c, std::chrono::system_clock::time_point now) const;

    MTURK_CROWD_DECL result<credentials> resolve(std::string& source) const;

    /// The background refresh: resolves without the lock, then keeps what it found.
    MTURK_CROWD_DECL void refresh_in_background();

    credentials_chain_options options_;
    std::string source_;
    mutable std::mutex mutex_;
    std::optional<credentials> cached_;
    std::optional<error> last_refresh_error_;
    bool refreshing_ = false;  // a background refresh is under way
    std::thread refresher_;
};

}  // namespace mturk::crowd::sigv4

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/sigv4/impl/credential_providers.ipp>
#endif

#endif
