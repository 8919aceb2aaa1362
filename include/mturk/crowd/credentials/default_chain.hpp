// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_DEFAULT_CHAIN_HPP
#define MTURK_CROWD_CREDENTIALS_DEFAULT_CHAIN_HPP

#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/credentials/environment_provider.hpp>
#include <mturk/crowd/credentials/file_cache.hpp>
#include <mturk/crowd/credentials/http_fetch.hpp>
#include <mturk/crowd/credentials/process_provider.hpp>
#include <mturk/crowd/credentials/profile_provider.hpp>
#include <mturk/crowd/credentials/provider.hpp>
#include <mturk/crowd/credentials/resolution.hpp>
#include <mturk/crowd/settings/environment.hpp>
#include <mturk/crowd/sigv4/credentials.hpp>

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

namespace mturk::crowd {

/// How the default chain looks for credentials and keeps them.
struct credentials_chain_options {
    std::optional<sigv4::credentials> explicit_credentials{};  ///< used first when given
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
    /// Told of each resolution (the first, each refresh, each failure): for logs and the
    /// `resolve_identity_duration` metric. Called on the resolving thread while other
    /// callers wait for it: keep it short, and do not call the chain from it.
    std::function<void(credentials_resolution const&)> on_resolved{};
    /// The code of a profile's MFA device (`mfa_serial`) when a role is assumed with it.
    std::function<result<std::string>(std::string_view mfa_serial)> mfa_token{};
    /// Where assumed-role and web-identity credentials are kept across processes
    /// (`credentials_file_cache::aws_cli`, as `crowd` does); empty: in memory only.
    std::shared_ptr<credentials_file_cache const> cache{};
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

    MTURK_CROWD_DECL result<sigv4::credentials> get();

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
    MTURK_CROWD_DECL bool due_for_refresh(sigv4::credentials const& c, std::chrono::system_clock::time_point now) const;

    MTURK_CROWD_DECL result<sigv4::credentials> resolve(std::string& source) const;
    /// `resolve`, timed and told to `on_resolved`.
    MTURK_CROWD_DECL result<sigv4::credentials> resolve_and_tell(std::string& source, bool background) const;

    /// The background refresh: resolves without the lock, then keeps what it found.
    MTURK_CROWD_DECL void refresh_in_background();

    credentials_chain_options options_;
    std::string source_;
    mutable std::mutex mutex_;
    std::optional<sigv4::credentials> cached_;
    std::optional<error> last_refresh_error_;
    bool refreshing_ = false;  // a background refresh is under way
    std::thread refresher_;
};

}  // namespace mturk::crowd

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/credentials/impl/default_chain.ipp>
#endif

#endif
