// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_PROCESS_PROVIDER_HPP
#define MTURK_CROWD_CREDENTIALS_PROCESS_PROVIDER_HPP

#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/sigv4/credentials.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <utility>

namespace mturk::crowd {

namespace detail {

/// Reads `credential_process` output (Specification: "Sourcing credentials with an
/// external process"). The output is never quoted in an error: it holds secrets.
MTURK_CROWD_DECL result<sigv4::credentials> parse_process_output(std::string_view output);

#if !defined(_WIN32)
/// Runs `command` with /bin/sh, its stdout captured (at most 1 MiB), stderr and stdin
/// inherited (a process may ask for an MFA code) and no other descriptor. `timeout` is
/// for the whole helper, its output and its exit: when it passes the helper is killed
/// (its own children are not: they may be reading the terminal, in its process group).
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

    MTURK_CROWD_DECL result<sigv4::credentials> get() const;

private:
    std::string command_;
    std::chrono::milliseconds timeout_;
};

}  // namespace mturk::crowd

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/credentials/impl/process_provider.ipp>
#endif

#endif
