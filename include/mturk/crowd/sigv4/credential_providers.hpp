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

    result<credentials> get() const
    {
        auto key_id = env_("AWS_ACCESS_KEY_ID");
        auto secret = env_("AWS_SECRET_ACCESS_KEY");
        auto token = env_("AWS_SESSION_TOKEN");
        bool const has_key = key_id && !key_id->empty();
        bool const has_secret = secret && !secret->empty();
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
        return made;
    }

private:
    environment env_;
};

namespace detail {

/// Reads `credential_process` output (Specification: "Sourcing credentials with an
/// external process"). The output is never quoted in an error: it holds secrets.
MTURK_CROWD_DECL result<credentials> parse_process_output(std::string_view output);

#if !defined(_WIN32)
/// Runs `command` with /bin/sh, its stdout captured (at most 1 MiB), stderr and stdin
/// inherited (a process may ask for an MFA code); killed when `timeout` passes.
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

    result<credentials> get() const
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

    result<credentials> get() const
    {
        auto locations = locate_profile_files(env_);
        if (profile_name_)
            locations.profile = *profile_name_;
        bool const chosen = profile_name_.has_value() || env_("AWS_PROFILE").has_value();
        auto files = load_profile_files(locations);
        if (!files)
            return files.error();
        std::string const where = describe(locations);
        auto const found = files->profiles.find(locations.profile);
        if (found == files->profiles.end())
            return error(chosen ? errc::invalid_credentials : errc::credentials_not_found,
                         "no profile \"" + locations.profile + "\" in " + where);
        profile const& p = found->second;
        auto property = [&](std::string_view key) -> profile_property const* {
            auto it = p.find(std::string(key));
            return it == p.end() || it->second.value.empty() ? nullptr : &it->second;
        };
        std::string const name = "profile \"" + locations.profile + "\"";
        auto const* key_id = property("aws_access_key_id");
        auto const* secret = property("aws_secret_access_key");
        if (key_id || secret) {
            auto const* present = key_id ? key_id : secret;
            std::string const at = present->file + " line " + std::to_string(present->line) + ": ";
            if (!secret)
                return error(errc::invalid_credentials, at + name + " has aws_access_key_id but no aws_secret_access_key");
            if (!key_id)
                return error(errc::invalid_credentials, at + name + " has aws_secret_access_key but no aws_access_key_id");
            auto const* token = property("aws_session_token");
            auto made = credentials::make(key_id->value, secret->value, token ? token->value : std::string());
            if (!made)
                return error(made.error().code(), at + std::string(made.error().detail()));
            return made;
        }
        if (auto const* process = property("credential_process"))
            return process_credentials_provider(process->value, process_timeout_).get();
        for (auto const* unsupported : {"role_arn", "sso_session", "sso_start_url", "web_identity_token_file",
                                        "credential_source"}) {
            if (auto const* prop = property(unsupported))
                return error(errc::invalid_credentials,
                             prop->file + " line " + std::to_string(prop->line) + ": " + name + " uses " + unsupported +
                                 ", which this library does not support; give it static keys or a credential_process");
        }
        return error(errc::credentials_not_found, name + " in " + where + " has no credentials");
    }

private:
    static std::string describe(profile_locations const& l)
    {
        std::string out = l.credentials_file.empty() ? std::string("(no credentials file)") : l.credentials_file;
        out += " or ";
        out += l.config_file.empty() ? std::string("(no config file)") : l.config_file;
        return out;
    }

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

    result<credentials> get()
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto const now = options_.now();
        if (cached_ && !due_for_refresh(*cached_, now))
            return *cached_;
        auto fresh = resolve();
        if (fresh) {
            cached_ = *fresh;
            return fresh;
        }
        if (cached_ && (!cached_->expiration() || *cached_->expiration() > now))
            return *cached_;
        return fresh;
    }

    /// Forgets the kept credentials (after the service refused them, say).
    void invalidate()
    {
        std::lock_guard<std::mutex> lock(mutex_);
        cached_.reset();
    }

private:
    bool due_for_refresh(credentials const& c, std::chrono::system_clock::time_point now) const
    {
        return c.expiration() && *c.expiration() - options_.refresh_before_expiry <= now;
    }

    result<credentials> resolve() const
    {
        if (options_.explicit_credentials)
            return *options_.explicit_credentials;
        std::string tried;
        auto environment_result = environment_credentials_provider(options_.env).get();
        if (environment_result || environment_result.error() != errc::credentials_not_found)
            return environment_result;
        tried += environment_result.error().detail();
        auto profile_result = profile_credentials_provider(options_.env, options_.profile, options_.process_timeout).get();
        if (profile_result || profile_result.error() != errc::credentials_not_found)
            return profile_result;
        tried += "; ";
        tried += profile_result.error().detail();
        return error(errc::credentials_not_found, tried);
    }

    credentials_chain_options options_;
    std::mutex mutex_;
    std::optional<credentials> cached_;
};

}  // namespace mturk::crowd::sigv4

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/sigv4/impl/credential_providers.ipp>
#endif

#endif
