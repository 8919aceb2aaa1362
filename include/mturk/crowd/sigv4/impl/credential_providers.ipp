// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_SIGV4_IMPL_CREDENTIAL_PROVIDERS_IPP
#define MTURK_CROWD_SIGV4_IMPL_CREDENTIAL_PROVIDERS_IPP

#include <mturk/crowd/sigv4/credential_providers.hpp>

// POSIX: running credential_process with a deadline.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#if !defined(_WIN32)
extern char** environ;  // NOLINT: POSIX declares it nowhere
#endif


namespace mturk::crowd::sigv4 {
namespace detail {

MTURK_CROWD_DECL result<credentials> parse_process_output(std::string_view output)
{
    boost::system::error_code ec;
    auto doc = boost::json::parse(output, ec);
    if (ec || !doc.is_object())
        return error(errc::credential_process_failed, "its output is not a JSON object");
    auto const& o = doc.get_object();
    auto const* version = o.if_contains("Version");
    if (!version || !version->is_number() || version->to_number<double>() != 1.0)
        return error(errc::credential_process_failed, "its output must have \"Version\": 1");
    auto string_of = [&](std::string_view key) -> std::optional<std::string> {
        auto const* v = o.if_contains(key);
        if (!v || !v->is_string())
            return std::nullopt;
        return std::string(v->get_string());
    };
    auto key_id = string_of("AccessKeyId");
    auto secret = string_of("SecretAccessKey");
    if (!key_id || !secret)
        return error(errc::credential_process_failed, "its output lacks AccessKeyId or SecretAccessKey (strings)");
    std::optional<credentials::time_point> expiration;
    if (auto const* e = o.if_contains("Expiration"); e && !e->is_null()) {
        auto const parsed = e->is_string() ? crowd::detail::parse_iso8601_utc(e->get_string()) : std::nullopt;
        if (!parsed)
            return error(errc::credential_process_failed, "its Expiration is not an ISO 8601 UTC time");
        expiration = *parsed;
    }
    auto made = credentials::make(std::move(*key_id), std::move(*secret), string_of("SessionToken").value_or(""),
                                  expiration);
    if (!made)
        return error(errc::credential_process_failed, std::string(made.error().detail()));
    return made;
}

MTURK_CROWD_DECL result<std::string> run_process(std::string const& command, std::chrono::milliseconds timeout)
{
    int fds[2];
    if (::pipe(fds) != 0)
        return error(errc::credential_process_failed, "cannot create a pipe");
    ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    char shell[] = "/bin/sh";
    char dash_c[] = "-c";
    std::string command_copy = command;
    char* argv[] = {shell, dash_c, command_copy.data(), nullptr};
    pid_t pid = 0;
    int const spawned = ::posix_spawn(&pid, shell, &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (spawned != 0) {
        ::close(fds[0]);
        return error(errc::credential_process_failed, "/bin/sh could not be started");
    }

    std::string output;
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    bool timed_out = false;
    bool too_long = false;
    for (;;) {
        auto const left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timed_out = true;
            break;
        }
        pollfd p{fds[0], POLLIN, 0};
        int const ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0) {
            timed_out = ready == 0;
            break;
        }
        char buffer[4096];
        ssize_t const n = ::read(fds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        output.append(buffer, static_cast<std::size_t>(n));
        if (output.size() > (1u << 20)) {
            too_long = true;
            break;
        }
    }
    ::close(fds[0]);
    if (timed_out || too_long)
        ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timed_out)
        return error(errc::credential_process_failed,
                     "it did not finish within " + std::to_string(timeout.count()) + " ms and was stopped");
    if (too_long)
        return error(errc::credential_process_failed, "it wrote more than 1 MiB");
    if (WIFSIGNALED(status))
        return error(errc::credential_process_failed, "it was killed by signal " + std::to_string(WTERMSIG(status)));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return error(errc::credential_process_failed, "it exited with status " + std::to_string(WEXITSTATUS(status)));
    return output;
}

}  // namespace
}  // namespace

namespace mturk::crowd::sigv4 {

MTURK_CROWD_DECL auto environment_credentials_provider::get() const -> result<credentials>
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

MTURK_CROWD_DECL auto process_credentials_provider::get() const -> result<credentials>
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

MTURK_CROWD_DECL auto profile_credentials_provider::get() const -> result<credentials>
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

MTURK_CROWD_DECL auto profile_credentials_provider::describe(profile_locations const& l) -> std::string
{
    std::string out = l.credentials_file.empty() ? std::string("(no credentials file)") : l.credentials_file;
    out += " or ";
    out += l.config_file.empty() ? std::string("(no config file)") : l.config_file;
    return out;
}

MTURK_CROWD_DECL auto default_credentials_chain::get() -> result<credentials>
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

MTURK_CROWD_DECL auto default_credentials_chain::invalidate() -> void
{
    std::lock_guard<std::mutex> lock(mutex_);
    cached_.reset();
}

MTURK_CROWD_DECL auto default_credentials_chain::due_for_refresh(credentials const& c, std::chrono::system_clock::time_point now) const -> bool
{
    return c.expiration() && *c.expiration() - options_.refresh_before_expiry <= now;
}

MTURK_CROWD_DECL auto default_credentials_chain::resolve() const -> result<credentials>
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

}  // namespace mturk::crowd::sigv4

#endif
