// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_SIGV4_CREDENTIAL_PROVIDERS_HPP
#define MTURK_CROWD_SIGV4_CREDENTIAL_PROVIDERS_HPP

#include <mturk/crowd/detail/iso8601.hpp>
#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/sigv4/credentials.hpp>
#include <mturk/crowd/sigv4/profile_file.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <concepts>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

/* Where credentials come from, in the order the AWS SDKs look (Specification: AWS SDKs
   and Tools Reference Guide, "Standardized credential providers"): given in code, the
   environment, the shared profile files, and a profile's credential_process.

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

/** The selected profile of the shared files: its static keys, or its `credential_process`.
    Profiles that assume a role or use SSO are refused with a clear error, not skipped. */
class profile_credentials_provider {
public:
    explicit profile_credentials_provider(environment env = process_environment(),
                                          std::optional<std::string> profile_name = std::nullopt,
                                          std::chrono::milliseconds process_timeout = std::chrono::seconds(60))
        : env_(std::move(env)), profile_name_(std::move(profile_name)), process_timeout_(process_timeout)
    {
    }

    MTURK_CROWD_DECL result<credentials> get() const;

private:
    MTURK_CROWD_DECL static std::string describe(profile_locations const& l);

    environment env_;
    std::optional<std::string> profile_name_;
    std::chrono::milliseconds process_timeout_;
};

/// How the default chain looks for credentials and keeps them.
struct credentials_chain_options {
    std::optional<credentials> explicit_credentials{};  ///< used first when given
    environment env = process_environment();
    std::optional<std::string> profile{};             ///< instead of AWS_PROFILE / "default"
    std::chrono::seconds refresh_before_expiry = std::chrono::minutes(5);
    std::chrono::milliseconds process_timeout = std::chrono::seconds(60);
    std::function<std::chrono::system_clock::time_point()> now = [] { return std::chrono::system_clock::now(); };
};

/** The default chain: explicit credentials, then the environment, then the profile files
    (static keys or the profile's credential_process). What it finds is kept, and
    temporary credentials are fetched again `refresh_before_expiry` before they expire;
    if that fails while the kept ones are still valid, the kept ones are used.
    Thread-safe. */
class default_credentials_chain {
public:
    explicit default_credentials_chain(credentials_chain_options options = {}) : options_(std::move(options)) {}

    MTURK_CROWD_DECL result<credentials> get();

    /// Forgets the kept credentials (after the service refused them, say).
    MTURK_CROWD_DECL void invalidate();

private:
    MTURK_CROWD_DECL bool due_for_refresh(credentials const& c, std::chrono::system_clock::time_point now) const;

    MTURK_CROWD_DECL result<credentials> resolve() const;

    credentials_chain_options options_;
    std::mutex mutex_;
    std::optional<credentials> cached_;
};

}  // namespace mturk::crowd::sigv4

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/sigv4/impl/credential_providers.ipp>
#endif

#endif
