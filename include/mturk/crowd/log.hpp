// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_LOG_HPP
#define MTURK_CROWD_LOG_HPP

#include <mturk/crowd/detail/config.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

/* The client's log: records of a level, a component and a message, handed to a sink of
   the caller's (nothing is written anywhere unless a sink is given). What is logged is
   chosen as the AWS SDKs choose it (aws-sdk-cpp's LogLevel, Go's ClientLogMode): by
   level, and by mode (calls, requests and responses with or without their bodies,
   signing, retries, credentials, the endpoint, the connection pool). Secrets never
   reach a record: requests, responses and canonical requests are redacted as
   log_redaction.hpp does, and credentials are named by their source and key id's last
   four characters only. */
namespace mturk::crowd {

/// How much is logged: a record is given to the sink when its level is at least the
/// logger's. `off` logs nothing.
enum class log_level : std::uint8_t { trace, debug, info, warn, error, off };

/// "trace", "debug", "info", "warn", "error", "off".
constexpr std::string_view to_string(log_level level) noexcept
{
    switch (level) {
    case log_level::trace: return "trace";
    case log_level::debug: return "debug";
    case log_level::info: return "info";
    case log_level::warn: return "warn";
    case log_level::error: return "error";
    case log_level::off: return "off";
    }
    return "off";
}

/** What is logged, a set of bits; each names the component of its records. Bodies are
    modes of their own: a task's input or result may be private. */
enum class log_mode : std::uint32_t {
    none = 0,
    calls = 1u << 0,            ///< "call": each call's start and end (duration, attempts, outcome)
    requests = 1u << 1,         ///< "request": each attempt's request line and headers, redacted
    request_bodies = 1u << 2,   ///< with `requests`: the request's body too
    responses = 1u << 3,        ///< "response": each answer's status and headers, redacted
    response_bodies = 1u << 4,  ///< with `responses`: the answer's body too
    signing = 1u << 5,          ///< "signing": the canonical request and string to sign, tokens redacted
    retries = 1u << 6,          ///< "retry": each retry decision, with its delay and reason
    credentials = 1u << 7,      ///< "credentials": where they came from, how long it took, their expiry
    endpoint = 1u << 8,         ///< "endpoint": the endpoint and region, and where each came from
    pool = 1u << 9,             ///< "pool": connections opened, reused, closed, and waits for one
    all = (1u << 10) - 1,
};

constexpr log_mode operator|(log_mode a, log_mode b) noexcept
{
    return static_cast<log_mode>(static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b));
}
constexpr log_mode operator&(log_mode a, log_mode b) noexcept
{
    return static_cast<log_mode>(static_cast<std::uint32_t>(a) & static_cast<std::uint32_t>(b));
}
/// Whether `modes` has every bit of `m`.
constexpr bool has_mode(log_mode modes, log_mode m) noexcept { return (modes & m) == m && m != log_mode::none; }

/// One record. The views are valid during the sink's call only.
struct log_record {
    std::chrono::system_clock::time_point time{};
    log_level level = log_level::info;
    std::string_view component{};      ///< "call", "request", "response", "signing", "retry", "credentials", "endpoint", "pool"
    std::string_view invocation_id{};  ///< the request's `amz-sdk-invocation-id`; empty outside a request
    unsigned attempt = 0;              ///< the attempt (1 for the first); 0 outside an attempt
    std::string_view message{};
};

/** A client's logger (`client_config::logger`). Off unless a sink is given and the level
    is below `off`. The sink is called from whichever thread runs an operation (and from
    the credential refresh's thread): it must be thread-safe, short, and not call the
    client. `log_to_stream` makes one. */
struct client_logger {
    log_level level = log_level::off;
    /// The default: what the aws CLI's --debug shows but the bodies.
    log_mode modes = log_mode::calls | log_mode::requests | log_mode::responses | log_mode::signing |
                     log_mode::retries | log_mode::credentials | log_mode::endpoint | log_mode::pool;
    std::function<void(log_record const&)> sink{};

    /// Whether a record of `l` for mode `m` would reach the sink (ask before building one).
    bool enabled(log_level l, log_mode m) const noexcept
    {
        return sink && level != log_level::off && l >= level && has_mode(modes, m);
    }
};

/// How `format_log_line` writes a record.
enum class log_format {
    text,  ///< "2026-12-05T22:00:00.123Z DEBUG request [<invocation id> #1] message"
    json,  ///< one JSON object: time, level, component, invocation_id, attempt, message
};

/** One line, without the final newline. A multi-line message (a request's headers)
    stays one line in JSON (escaped) and is indented in text. */
MTURK_CROWD_DECL std::string format_log_line(log_record const& record, log_format format);

/// A sink that writes each record as one line to `stream` (stderr, say), whole lines
/// only: records from several threads never interleave.
MTURK_CROWD_DECL std::function<void(log_record const&)> log_to_stream(std::FILE* stream, log_format format);

}  // namespace mturk::crowd

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/impl/log.ipp>
#endif

#endif
