// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_IMPL_PROCESS_PROVIDER_IPP
#define MTURK_CROWD_CREDENTIALS_IMPL_PROCESS_PROVIDER_IPP

#include <mturk/crowd/credentials/process_provider.hpp>
#include <mturk/crowd/detail/iso8601.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#if !defined(_WIN32)
// POSIX: running credential_process with a deadline.
#include <algorithm>
#include <cerrno>
#include <ctime>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;  // NOLINT: POSIX declares it nowhere
#endif

namespace mturk::crowd {

namespace detail {

MTURK_CROWD_DECL result<sigv4::credentials> parse_process_output(std::string_view output)
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
    std::optional<sigv4::credentials::time_point> expiration;
    if (auto const* e = o.if_contains("Expiration"); e && !e->is_null()) {
        auto const parsed = e->is_string() ? crowd::detail::parse_iso8601_utc(e->get_string()) : std::nullopt;
        if (!parsed)
            return error(errc::credential_process_failed, "its Expiration is not an ISO 8601 UTC time");
        expiration = *parsed;
    }
    auto made = sigv4::credentials::make(std::move(*key_id), std::move(*secret), string_of("SessionToken").value_or(""),
                                  expiration);
    if (!made)
        return error(errc::credential_process_failed, std::string(made.error().detail()));
    if (auto account = string_of("AccountId"); account && !account->empty())
        return made->with_account_id(std::move(*account));
    return made;
}

#if !defined(_WIN32)
namespace process_detail {

/// A pipe whose two ends are close-on-exec from birth: a helper that another thread
/// spawns while this one is being set up must not inherit either end (a write end held
/// by a stranger means this helper's end of output never comes).
inline bool make_pipe(int (&fds)[2])
{
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return false;
    // With stdin, stdout or stderr closed the pipe could take fd 0-2, which the spawn's
    // dup2 onto stdout would then clobber or keep; move such an end above 2.
    for (int& fd : fds) {
        if (fd > STDERR_FILENO)
            continue;
        int const moved = ::fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
        ::close(fd);
        fd = moved;
    }
    if (fds[0] < 0 || fds[1] < 0) {
        for (int fd : fds)
            if (fd >= 0)
                ::close(fd);
        return false;
    }
    return true;
}

/// Waits for `pid` until `deadline`; true when it was reaped (its status in `status`).
inline bool reap_before(pid_t pid, std::chrono::steady_clock::time_point deadline, int& status)
{
    auto pause = std::chrono::milliseconds(1);
    for (;;) {
        pid_t const done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid)
            return true;
        if (done < 0 && errno != EINTR)
            return true;  // ECHILD: reaped elsewhere (a SIGCHLD set to SIG_IGN); nothing to wait for
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        timespec const nap{0, static_cast<long>(std::chrono::nanoseconds(pause).count())};
        ::nanosleep(&nap, nullptr);
        pause = std::min(pause * 2, std::chrono::milliseconds(50));
    }
}

}  // namespace process_detail

MTURK_CROWD_DECL result<std::string> run_process(std::string const& command, std::chrono::milliseconds timeout)
{
    int fds[2];
    if (!process_detail::make_pipe(fds))
        return error(errc::credential_process_failed, "cannot create a pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    // dup2 makes the helper's stdout without close-on-exec; the pipe's own two
    // descriptors close at exec.
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    // Nor anything else the program holds without close-on-exec (Asio opens its sockets
    // without it): the helper gets stdin, stdout and stderr only.
    posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
#endif
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

    // One deadline for the whole helper: its output and its exit. A helper that closes
    // its stdout and keeps running is stopped like one that writes nothing.
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
    int status = 0;
    bool reaped = false;
    if (!timed_out && !too_long) {
        reaped = process_detail::reap_before(pid, deadline, status);
        timed_out = !reaped;
    }
    if (!reaped) {
        ::kill(pid, SIGKILL);
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
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
#endif

}  // namespace detail

MTURK_CROWD_DECL auto process_credentials_provider::get() const -> result<sigv4::credentials>
{
#if defined(_WIN32)
    return error(errc::credential_process_failed, "credential_process is not supported on Windows yet");
#else
    auto output = detail::run_process(command_, timeout_);
    auto creds = output ? detail::parse_process_output(*output) : result<sigv4::credentials>(output.error());
    if (!creds)
        return error(errc::credential_process_failed, "credential_process \"" + command_ + "\": " +
                                                          std::string(creds.error().detail()));
    return creds;
#endif
}

}  // namespace mturk::crowd

#endif
