// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CLIENT_TYPES_HPP
#define MTURK_CROWD_CLIENT_TYPES_HPP

#include <mturk/crowd/account_id.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/function.hpp>
#include <mturk/crowd/http_message.hpp>
#include <mturk/crowd/sigv4/credentials.hpp>
#include <mturk/crowd/credentials/http_fetch.hpp>
#include <mturk/crowd/credentials/resolution.hpp>

#include <memory>
#include <mturk/crowd/log.hpp>
#include <mturk/crowd/settings/environment.hpp>
#include <mturk/crowd/task.hpp>

#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

/* The types of the client's API: how it is set up (client_config), how a wait polls
   (wait_options, poll_report), and what create gives (created_task, creation). */
namespace mturk::crowd {

class credentials_file_cache;  // credentials/file_cache.hpp

/// Any function, named at run time: JSON in, JSON out. For functions this library does
/// not know yet (the service has had unlisted ones).
struct untyped_function {
    static constexpr std::string_view name = "";
    using input_type = boost::json::value;
    using result_type = boost::json::value;
};

/** Who created a task that `create` returns. A PUT is idempotent: the service answers 200
    with the task when one of that name and input exists. When an earlier attempt of the
    same call may have been acted on (its answer was lost, or it was answered 5xx), a 200
    cannot tell whether that attempt or someone before the call created the task, and
    `creation::uncertain` says so instead of guessing. */
enum class creation {
    created,          ///< 201: this call created the task
    already_existed,  ///< 200, and no earlier attempt of this call can have reached the service
    uncertain,        ///< 200 after an attempt that may have been acted on: this call, or someone before it
};

constexpr std::string_view to_string(creation c) noexcept
{
    switch (c) {
    case creation::created: return "created";
    case creation::already_existed: return "already existed";
    case creation::uncertain: return "created by this call or before it";
    }
    return "unknown";
}

/// What `create` gives: the task, and who created it.
template <api_function F>
struct created_task {
    crowd::task<F> task;
    crowd::creation creation = creation::created;
};

/// One poll of a `wait`, as `wait_options::on_poll` sees it.
struct poll_report {
    unsigned number = 1;                   ///< 1 for the first poll
    std::chrono::milliseconds elapsed{0};  ///< since the wait began
    std::optional<task_state> state{};     ///< the state read; empty when the poll failed
    crowd::error failure{};                ///< why the poll failed (code 0 when it did not)
};

/** How `wait` polls: the delay starts at `first_delay`, doubles up to `max_delay`, and is
    jittered (each pause is between half and all of it); `timeout` bounds the whole wait.

    A poll that fails with an error that may pass (throttling, a 5xx, a connection error, a
    timeout: what the retry policy calls transient) does not end the wait: it pauses on its
    schedule, at least as long as a `Retry-After` asks, and polls again until the deadline.
    An error that will not change (403, 404, an unreadable result) ends it at once. */
struct wait_options {
    std::chrono::milliseconds first_delay{std::chrono::seconds(1)};
    std::chrono::milliseconds max_delay{std::chrono::seconds(60)};
    std::chrono::milliseconds timeout{std::chrono::hours(24)};
    /// Called after every poll, failed ones too (progress for a terminal, a log line).
    /// Empty: nothing is called.
    std::function<void(poll_report const&)> on_poll{};
};

/// Which request of the API a hook sees.
struct attempt_identity {
    std::string_view operation;  ///< "create", "get" or "remove" (a wait's polls are gets)
    std::string_view function;   ///< the API function's name
    std::string_view task;       ///< the task name
    std::string_view invocation_id;  ///< one per request, the same on every attempt (`amz-sdk-invocation-id`)
    unsigned attempt = 1;        ///< 1 for the first
    /// The call the request belongs to: its own invocation id, or for a wait's polls the
    /// first poll's (`call_identity::call_id`).
    std::string_view call_id{};
};

/// The name of an operation in the SDKs' metrics and traces (`rpc.method`): "PutTask",
/// "GetTask", "DeleteTask" (IAM's action names), and "WaitForTask" for a wait (a series
/// of GetTask).
constexpr std::string_view rpc_method_of(std::string_view operation) noexcept
{
    if (operation == "create")
        return "PutTask";
    if (operation == "remove")
        return "DeleteTask";
    if (operation == "wait")
        return "WaitForTask";
    return "GetTask";
}

/// A request about to be signed, each attempt: headers added here are sent (and signed,
/// but for the SigV4 unsigned ones: `User-Agent`, `X-Amzn-Trace-Id`), as a trace's
/// `traceparent` is. Only add or replace headers of your own: the method, the target and
/// the body are the call's.
struct request_to_sign {
    attempt_identity const& id;
    http_fields& fields;
};

/// An attempt about to be sent: signed, as it goes out (log it with `to_loggable_text`).
struct attempt_started {
    attempt_identity const& id;
    http_request const& request;
};

/// An attempt's end: the answer, or how the transport failed.
struct attempt_finished {
    attempt_identity const& id;
    std::chrono::milliseconds took{0};       ///< from sending to the answer or failure, on the client's clock
    http_response const* response = nullptr;  ///< the answer, any status; null when none came
    /// Why the attempt failed: the transport's error when no answer came, or the error a
    /// refusal maps to (`throttled` for a 429...); null when the service accepted it.
    error const* failure = nullptr;
};

/// What the retry policy decided after a failed attempt.
struct retry_decided {
    attempt_identity const& id;
    error const& failure;                ///< what the attempt failed with
    bool retry = false;
    std::chrono::milliseconds delay{0};  ///< before the next attempt, when retrying
    std::string_view reason;             ///< the policy's words ("throttled", "quota exhausted", ...)
};

/// A whole call, as the call hooks see it: one `create`, `get`, `remove` or `wait`,
/// synchronous or not, with all its attempts (and a wait's polls).
struct call_identity {
    std::string_view operation;   ///< "create", "get", "remove" or "wait"
    std::string_view rpc_method;  ///< `rpc_method_of(operation)`: "PutTask", "GetTask", "DeleteTask", "WaitForTask"
    std::string_view function;    ///< the API function's name
    std::string_view task;        ///< the task name
    std::string_view call_id;     ///< the first request's `amz-sdk-invocation-id`
};

/// A call begins: before its first attempt (or its credentials) is waited for.
struct call_started {
    call_identity const& id;
};

/** A call ends, once: the service accepted it, or it failed (an error the caller gets,
    its input refused included), or it was cancelled (`operation_aborted`). What the
    answer holds is read afterwards: a body the library cannot read fails the call
    without a second `call_finished`. */
struct call_finished {
    call_identity const& id;
    std::chrono::milliseconds duration{0};  ///< from start to end on the client's clock, retries, pauses and polls included
    unsigned attempts = 0;                  ///< every attempt sent (a wait: of all its polls)
    unsigned polls = 0;                     ///< a wait's polls; 0 for the others
    error const* failure = nullptr;         ///< null when the service accepted the call
    std::optional<crowd::creation> creation{};  ///< a `create` that succeeded: who created the task
};

/// What a client has sent since it was made (`basic_client::statistics`): counted by every
/// operation, synchronous or not, with relaxed atomics.
struct request_statistics {
    std::uint64_t attempts = 0;   ///< attempts that ended (an answer, or a failure to get one)
    std::uint64_t retries = 0;    ///< attempts the retry policy decided to send again
    std::uint64_t throttled = 0;  ///< attempts answered as throttled (HTTP 429)
};

/** Hooks the client calls (the AWS SDKs call them interceptors), for logs, metrics and
    traces (telemetry/metrics.hpp and telemetry/traces.hpp turn them into the SDKs'
    metrics and spans). They run on the thread that drives the operation, between its
    steps (`on_credentials_resolved`: on the thread that resolved them, perhaps the
    chain's own): keep them short, make them thread-safe, and do not call the client
    from them. Empty ones are not called. */
struct client_hooks {
    std::function<void(call_started const&)> on_call_started{};
    std::function<void(call_finished const&)> on_call_finished{};
    std::function<void(request_to_sign const&)> before_signing{};
    std::function<void(attempt_started const&)> before_attempt{};
    std::function<void(attempt_finished const&)> after_attempt{};
    std::function<void(retry_decided const&)> on_retry_decision{};
    /// Each resolution of the default chain (none with `client_config::credentials` of your own).
    std::function<void(credentials_resolution const&)> on_credentials_resolved{};
};

/** How a client is set up. Only the account is required. */
struct client_config {
    /// The 12-digit AWS account in every path; empty: AWS_ACCOUNT_ID, the profile's
    /// `aws_account_id`, else the account the credentials say (docs/configuration.md).
    std::optional<account_id> account{};
    std::string region{};    ///< empty: AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`, us-east-1
    /// Empty: AWS_ENDPOINT_URL_CROWD, AWS_ENDPOINT_URL, the profile's `[services]` `crowd`
    /// section and `endpoint_url`, else https://crowd.<region>.amazonaws.com.
    std::string endpoint{};
    std::function<result<sigv4::credentials>()> credentials{};  ///< empty: the default chain
    /// The HTTP client of the default chain's network providers (STS, SSO, containers,
    /// instance metadata); `make_client` gives the Beast one. Empty with your own
    /// transport: those providers are passed over.
    http_fetch credentials_fetch{};
    std::string app_id{};  ///< added to the User-Agent as "app/<id>"; empty: AWS_SDK_UA_APP_ID, the profile's `sdk_ua_app_id`
    environment env = process_environment();
    std::function<double()> random{};             ///< [0,1) for wait() jitter; empty: a seeded engine
    client_hooks hooks{};                         ///< interceptors: calls, attempts, retry decisions, credentials
    client_logger logger{};                       ///< off unless given a sink and a level (log.hpp)
    /** A profile's `mfa_serial`: asked for the code of that MFA device when a role is
        assumed with it (STS's TokenCode). Empty: such a profile fails with a clear error.
        `crowd` asks on the terminal. */
    std::function<result<std::string>(std::string_view mfa_serial)> mfa_token{};
    /// Where the default chain keeps assumed-role and web-identity credentials across
    /// processes (`credentials_file_cache::aws_cli()`: the aws CLI's ~/.aws/cli/cache, as
    /// `crowd` does); empty: in memory only, as the SDKs do.
    std::shared_ptr<credentials_file_cache const> credentials_cache{};
};

}  // namespace mturk::crowd

#endif
