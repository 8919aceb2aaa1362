// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_ENGINE_CLIENT_ENGINE_HPP
#define MTURK_CROWD_ENGINE_CLIENT_ENGINE_HPP

#include <mturk/crowd/clock.hpp>
#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/endpoint.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/function.hpp>
#include <mturk/crowd/http_message.hpp>
#include <mturk/crowd/client_types.hpp>
#include <mturk/crowd/retry.hpp>
#include <mturk/crowd/service_response.hpp>
#include <mturk/crowd/sigv4/credentials.hpp>
#include <mturk/crowd/sigv4/signer.hpp>
#include <mturk/crowd/task.hpp>
#include <mturk/crowd/task_name.hpp>
#include <mturk/crowd/version.hpp>

#include <boost/json/parse.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <concepts>
#include <cstring>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

/* The request engine behind basic_client, without I/O (the model: Boost.MySQL's sans-I/O
   algorithms and their sync and async runners). Each operation is a small state machine
   that says what it needs next: send its request, pause for a while, or nothing more
   (done, with its result). A runner does the I/O: the synchronous one with the
   transport's send() and the clock's sleep_for(), the asynchronous one
   (transport/async_runner.hpp) with async_send() and a timer. Signing, retries, clock
   skew, the status mapping and the outcome rules are written once, here. */
namespace mturk::crowd::detail {

/// "0.4", "60", "12.25": milliseconds as seconds, without trailing zeros.
inline std::string seconds_text(std::chrono::milliseconds d)
{
    auto const ms = d.count();
    std::string seconds = std::to_string(ms / 1000);
    if (auto const fraction = ms % 1000; fraction != 0) {
        std::string digits = std::to_string(1000 + fraction).substr(1);  // 50 ms: "050"
        digits.erase(digits.find_last_not_of('0') + 1);
        seconds += "." + digits;
    }
    return seconds;
}

/// What an operation needs next. `credentials`: credentials that are not at hand (a
/// first fetch from the network, or after expiry); the synchronous runner fetches them
/// itself, the asynchronous one beside its executor (`fetch_credentials_beside`).
struct engine_step {
    enum kind { send, pause, done, credentials } what = done;
    std::chrono::milliseconds delay{0};  ///< for pause
};

/// One request on its way: the message, its payload hash (computed once), and what its
/// attempts have learnt.
struct pending_request {
    http_method method = http_method::get;
    http_request message;
    std::array<char, 64> payload_hash{};  // the body's hex SHA-256, when payload_hashed
    bool payload_hashed = false;
    unsigned attempt = 1;
    unsigned quota_paid = 0;      // what the current attempt cost the retry quota, when a retry
    bool skew_corrected = false;  // the clock offset was learnt during this request
    std::chrono::system_clock::time_point sent_at{};
    // An earlier attempt, or an earlier copy the transport sent, may have been acted on:
    // its answer was lost, or it was answered 5xx.
    bool maybe_acted_on = false;
    std::optional<std::chrono::milliseconds> retry_after{};  // what the last answer asked for
    // The account is learnt from the credentials first: the path waits for it.
    bool awaiting_account = false;
    std::string function{};
    std::optional<task_name> name{};
    // amz-sdk-invocation-id, and the call's (a wait's first poll's): held here, so that
    // the hooks' views of them need no copy.
    std::array<char, 36> invocation_id{};
    std::array<char, 36> call_id{};
    // X-Amzn-Trace-Id was added from _X_AMZN_TRACE_ID (not by the caller's hook): later
    // attempts may renew it.
    bool trace_id_ours = false;
};

/// What to do after an attempt.
struct attempt_verdict {
    enum kind { finished, failed, retry_after_delay, resend_now } what = failed;
    std::chrono::milliseconds delay{0};  ///< for retry_after_delay
    std::optional<error> failure{};      ///< for failed
};

/// What an attempt's answer (or failure) says, before the retry policy has its word.
struct attempt_assessment {
    bool finished = false;    ///< the service accepted it
    bool resend_now = false;  ///< clock skew was learnt: sign again and resend at once
    attempt_outcome outcome{};
    std::optional<error> failure{};
};

/// Where a `wait` is.
struct wait_progress {
    std::chrono::system_clock::time_point started;
    std::chrono::system_clock::time_point deadline;
    std::chrono::milliseconds delay;  ///< the next pause before jitter
    unsigned polls = 0;
};

/** What a client keeps across calls that does not depend on its clock or retry policy,
    and the steps that need neither (they are given the time): compiled once, in
    impl/client_engine.ipp, whatever the client's types.

    Shared by every operation of a client, from any number of threads and overlapping
    asynchronous operations: what it changes per request is locked (the signer, whose key
    cache and hashing context are reused, and the id generator) or atomic (the clock
    offset). It lives where the client put it (the client's shared state) and never moves. */
class engine_core {
public:
    MTURK_CROWD_DECL engine_core(client_config config, endpoint where);
    engine_core(engine_core const&) = delete;
    engine_core& operator=(engine_core const&) = delete;
    /// Waits for a credentials fetch under way (bounded by the providers' time-outs).
    MTURK_CROWD_DECL ~engine_core();

    /** Without an account from the settings, the credentials' own (what STS, SSO and the
        other sources say); the credentials are kept by the chain for the first request.
        Errors: the credentials', `errc::invalid_configuration` when they have none. */
    MTURK_CROWD_DECL result<void> learn_account();

    /// Whether the account is known (from the settings, or learnt).
    MTURK_CROWD_DECL bool account_known() const;

    /** Whether signing now would not wait: the default chain holds valid credentials (or
        is busy fetching: then no). A `credentials` function of the user's is taken as at
        hand: it is called where the operation runs. */
    MTURK_CROWD_DECL bool credentials_at_hand() const;

    /// The credentials now, waiting for them if need be (the synchronous runner's way).
    MTURK_CROWD_DECL result<sigv4::credentials> credentials_now();

    /** Fetches the credentials on a thread of the engine's own and calls `done` there
        with the outcome. Requests made while a fetch runs wait for the same one. */
    MTURK_CROWD_DECL void fetch_credentials_beside(std::function<void(result<sigv4::credentials>)> done);

    /** Completes a request that was waiting for the account: learns it from `creds` (the
        first to arrive sets it) and builds the path. Errors: as `learn_account`. */
    MTURK_CROWD_DECL result<void> complete_request(pending_request& p, sigv4::credentials const& creds);

    /// Builds the (unsigned) request for task `name` of `function`.
    MTURK_CROWD_DECL pending_request start_request(http_method method, std::string_view function,
                                                   task_name const& name, std::string body);

    /** Signs the next attempt afresh: current credentials, `now` plus the learnt offset;
        `max_attempts` goes into amz-sdk-request when the policy counts them. Errors: the
        credentials provider's, the signer's. */
    MTURK_CROWD_DECL result<void> sign_attempt(pending_request& p, std::chrono::system_clock::time_point now,
                                               std::optional<unsigned> max_attempts);
    /// As above, with credentials already fetched.
    MTURK_CROWD_DECL result<void> sign_attempt(pending_request& p, std::chrono::system_clock::time_point now,
                                               std::optional<unsigned> max_attempts, sigv4::credentials const& creds);

    /// What the hooks are told of the request `p`.
    MTURK_CROWD_DECL static attempt_identity identity_of(pending_request const& p) noexcept;

    /// A call begins: the `on_call_started` hook and the "call" log.
    MTURK_CROWD_DECL void call_began(call_identity const& id);
    /// A call ends: the `on_call_finished` hook and the "call" log.
    MTURK_CROWD_DECL void call_ended(call_finished const& end);
    /// Whether anyone hears of whole calls (their hooks, or the "call" log); if not, the
    /// operations skip the bookkeeping (the identity read back from the path, the clock).
    bool observes_calls() const noexcept { return observes_calls_; }

    /// Whether the logger takes records of `level` for `mode` (ask before building one).
    bool logging(log_level level, log_mode mode) const noexcept { return config_.logger.enabled(level, mode); }
    /// One record, for request `p` (null: none).
    MTURK_CROWD_DECL void log(log_level level, std::string_view component, pending_request const* p,
                              std::string_view message) const;
    /// One record, with the invocation id and attempt it is about (empty and 0: none).
    MTURK_CROWD_DECL void log(log_level level, std::string_view component, std::string_view invocation_id,
                              unsigned attempt, std::string_view message) const;

    /** Reads an attempt's outcome at `now`: accepted (2xx, or a DELETE's 404 after an
        attempt that may have been acted on: the task is gone, as asked), clock skew
        learnt (resend now), or the mapped failure; tells the `after_attempt` hook. */
    MTURK_CROWD_DECL attempt_assessment assess_attempt(pending_request& p, result<http_response> const& response,
                                                       std::chrono::system_clock::time_point now);

    /// The verdict on an assessed attempt once the retry policy has decided; tells the
    /// `on_retry_decision` hook.
    MTURK_CROWD_DECL attempt_verdict conclude_attempt(pending_request& p, attempt_assessment& assessed,
                                                      retry_decision const& decision);

    MTURK_CROWD_DECL wait_progress begin_wait(wait_options const& options,
                                              std::chrono::system_clock::time_point now) const;

    /** Judges one poll of a wait at `now`, given the state its answer was read as (or why
        it could not be read): a finished task ends the wait, well (an empty result; the
        caller reads the task from the poll's answer); a processing one, or a failure that
        may pass, pauses (jittered, growing, at least `retry_after`, never past the
        deadline) until the deadline; any other failure ends it at once, its detail saying
        which poll met it and when. Returns the outcome, or nothing and the pause. */
    MTURK_CROWD_DECL std::optional<result<void>> judge_poll(wait_progress& w, task_name const& name,
                                                            wait_options const& options,
                                                            result<task_state> const& polled,
                                                            std::optional<std::chrono::milliseconds> retry_after,
                                                            std::chrono::milliseconds& pause,
                                                            std::chrono::system_clock::time_point now);

    /** Where the signing region and the endpoint came from ("env AWS_REGION", "code",
        "<file> line 3"), for the hints of errors that a wrong setting causes. Called by
        the client's `make`, before any operation. */
    MTURK_CROWD_DECL void set_setting_origins(std::string region_from, std::string endpoint_from);

    endpoint const& service_endpoint() const noexcept { return endpoint_; }
    std::chrono::milliseconds clock_offset() const noexcept
    {
        return std::chrono::milliseconds(clock_offset_ms_.load(std::memory_order_relaxed));
    }
    std::string const& user_agent() const noexcept { return user_agent_; }

    /// The attempts, retries and throttled answers of every operation so far.
    request_statistics statistics() const noexcept
    {
        return {attempts_.load(std::memory_order_relaxed), retries_.load(std::memory_order_relaxed),
                throttled_.load(std::memory_order_relaxed)};
    }

private:
    // A random (version 4) UUID, as the SDKs send in amz-sdk-invocation-id. Needs mutex_.
    using invocation_id_text = std::array<char, 36>;
    MTURK_CROWD_DECL void new_invocation_id(invocation_id_text& out);
    // Needs mutex_ (the account).
    MTURK_CROWD_DECL std::string path_of(std::string_view function, task_name const& name) const;
    // Adds what to do to the failure an operation ends with, when a setting can cause it:
    // the region and the endpoint with where each came from (a refused signature, a 404
    // under a path prefix, no answer).
    MTURK_CROWD_DECL void add_hint(pending_request const& p, error& failure) const;
    // Sets the account from the credentials' own. Needs mutex_.
    MTURK_CROWD_DECL result<void> learn_account_locked(result<sigv4::credentials> const& creds);

    struct credentials_fetcher;  // the thread of fetch_credentials_beside and its waiters: in the .ipp

    client_config config_;  // its account is guarded by mutex_; the rest is not changed after construction
    endpoint endpoint_;
    // Whether signing would not wait for credentials: the default chain's answer, when the
    // engine made one (kept apart from the chain's type, so that this header does not
    // carry the providers; impl/client_engine.ipp makes the chain).
    std::function<bool()> chain_has_valid_credentials_;
    std::unique_ptr<credentials_fetcher> fetcher_;
    mutable std::mutex mutex_;  // guards signer_, ids_ and the account: never held across I/O
    sigv4::signer signer_;
    std::mt19937_64 ids_;
    // Relaxed: a request signed with the offset of a moment ago is refused for skew at
    // worst, and then learns it again.
    std::atomic<std::int64_t> clock_offset_ms_{0};
    // Counts only (no ordering with anything else): relaxed.
    std::atomic<std::uint64_t> attempts_{0}, retries_{0}, throttled_{0};
    std::string host_header_;  // the endpoint's, made once
    std::string region_from_, endpoint_from_;  // set_setting_origins
    std::string user_agent_;
    // The User-Agent's business metric of the retry mode ("E" standard, "F" adaptive),
    // given by the client's engine, which knows its policy.
    std::string_view retry_mode_metric_;
    std::string_view retry_mode_name_;
    bool observes_calls_ = false;  // set once, in the constructor

protected:
    void set_retry_mode(std::string_view name, std::string_view metric) noexcept
    {
        retry_mode_name_ = name;
        retry_mode_metric_ = metric;
    }
};

/// The state a client keeps across calls, and the steps every operation is made of: the
/// core's, with the client's clock and retry policy.
template <client_clock Clock, retry_policy RetryPolicy>
class client_engine : public engine_core {
public:
    // The operations name these through their engine.
    using pending_request = detail::pending_request;
    using attempt_verdict = detail::attempt_verdict;
    using wait_progress = detail::wait_progress;

    client_engine(client_config config, endpoint where, Clock clock, RetryPolicy retry)
        : engine_core(std::move(config), std::move(where)), clock_(std::move(clock)), retry_(std::move(retry))
    {
        // The User-Agent names the retry mode as the SDKs do (cfg/retry-mode, m/E or m/F).
        if constexpr (std::same_as<RetryPolicy, aws_retry>) {
            bool const adaptive = retry_.mode() == retry_mode::adaptive;
            set_retry_mode(adaptive ? "adaptive" : "standard", adaptive ? "F" : "E");
        } else if constexpr (std::same_as<RetryPolicy, adaptive_retry>) {
            set_retry_mode("adaptive", "F");
        } else if constexpr (std::same_as<RetryPolicy, standard_retry>) {
            set_retry_mode("standard", "E");
        }
    }

    /// The client's clock now: calls and attempts are timed on it.
    std::chrono::system_clock::time_point now() { return clock_.now(); }

    /// How long to wait before the next attempt: the retry policy's pacing (the adaptive
    /// mode's rate limiter), zero for policies that do not pace.
    std::chrono::milliseconds pace_attempt()
    {
        if constexpr (paces_attempts<RetryPolicy>)
            return retry_.before_attempt(clock_.now());
        else
            return std::chrono::milliseconds(0);
    }

    /// Signs the next attempt afresh with the clock's time. Errors: the credentials
    /// provider's, the signer's.
    result<void> sign_attempt(pending_request& p)
    {
        std::optional<unsigned> max_attempts;
        if constexpr (counts_attempts<RetryPolicy>)
            max_attempts = retry_.max_attempts();
        return engine_core::sign_attempt(p, clock_.now(), max_attempts);
    }

    /// As above, with credentials already fetched.
    result<void> sign_attempt(pending_request& p, sigv4::credentials const& creds)
    {
        std::optional<unsigned> max_attempts;
        if constexpr (counts_attempts<RetryPolicy>)
            max_attempts = retry_.max_attempts();
        return engine_core::sign_attempt(p, clock_.now(), max_attempts, creds);
    }

    /** Judges an attempt's outcome: finished, failed (the mapped error), or send again now
        (clock skew learnt) or after the retry policy's delay. */
    attempt_verdict judge_attempt(pending_request& p, result<http_response> const& response)
    {
        auto assessed = assess_attempt(p, response, clock_.now());
        if (assessed.resend_now)
            return {attempt_verdict::resend_now};
        retry_decision const decision = retry_.decide(assessed.outcome);  // a success refills the quota
        return conclude_attempt(p, assessed, decision);
    }

    wait_progress begin_wait(wait_options const& options) { return engine_core::begin_wait(options, clock_.now()); }

    std::optional<result<void>> judge_poll(wait_progress& w, task_name const& name, wait_options const& options,
                                           result<task_state> const& polled,
                                           std::optional<std::chrono::milliseconds> retry_after,
                                           std::chrono::milliseconds& pause)
    {
        return engine_core::judge_poll(w, name, options, polled, retry_after, pause, clock_.now());
    }

    Clock& clock() noexcept { return clock_; }
    RetryPolicy& retry_policy() noexcept { return retry_; }

private:
    Clock clock_;
    [[no_unique_address]] RetryPolicy retry_;
};

/// Checks a function name given at run time. Errors: `errc::function_name_invalid`.
inline result<void> check_function(std::string_view function)
{
    if (function_name_problem(function) != 0)
        return error(errc::function_name_invalid, "function \"" + std::string(function) + "\"");
    return {};
}

/** What a request ends with when the service accepted it: the answer (2xx, or a
    DELETE's 404 after an attempt that may have been acted on), and whether an earlier
    attempt may have been acted on. The operations end with this, whatever the function:
    the state machines and their runners are compiled once per client type, and only
    reading the answer (`read_task<F>`, `read_created<F>`) is compiled per function. */
struct final_answer {
    http_response response;
    bool maybe_acted_on = false;
    /// The typed task a wait's last poll already read (`polled_state<F>`), which
    /// `read_task<F>` then takes instead of reading the response again; `parsed_as` says
    /// whose task it is (a `task_tag<F>`'s address), so no other `F` ever takes it.
    std::shared_ptr<void> parsed{};
    void const* parsed_as = nullptr;
};

/// One object per function type: its address names `task<F>` without RTTI.
template <class F>
inline constexpr char task_tag = 0;

/// A 2xx response's body as JSON, or `errc::invalid_json` with the response's status and request id.
MTURK_CROWD_DECL result<boost::json::value> response_document(http_response const& response);

/// `e` with the status and request id of the response it came from.
MTURK_CROWD_DECL error with_response_origin(error const& e, http_response const& response);

/// The task a 2xx response carries; parse errors keep the response's status and request id.
template <api_function F>
result<task<F>> read_task(http_response const& response)
{
    auto document = response_document(response);
    if (!document)
        return document.error();
    auto parsed = task_from_json<F>(std::move(*document));
    if (!parsed)  // keep where it came from
        return with_response_origin(parsed.error(), response);
    return parsed;
}

/// A GET's (or a wait's) outcome as the task of `F`.
template <api_function F>
result<task<F>> read_task(result<final_answer> const& answer)
{
    if (!answer)
        return answer.error();
    if (answer->parsed && answer->parsed_as == &task_tag<F>)  // read by the wait's last poll: taken, once
        return std::move(*static_cast<task<F>*>(answer->parsed.get()));
    return read_task<F>(answer->response);
}

/// What a PUT's outcome means: 201 created by this call; 200 the same task existed,
/// before this call or (`maybe_acted_on`) perhaps through an earlier attempt of it.
/// Errors: the answer's, or `errc::unexpected_status`.
MTURK_CROWD_DECL result<creation> read_creation(result<final_answer> const& answer);

/// A PUT's outcome: the task of `F` and who created it (`read_creation`).
template <api_function F>
result<created_task<F>> read_created(result<final_answer> const& answer)
{
    auto const who = read_creation(answer);
    if (!who)
        return who.error();
    auto t = read_task<F>(answer->response);
    if (!t)
        return t.error();
    return created_task<F>{std::move(*t), *who};
}

/// A DELETE's outcome: the task is gone.
inline result<void> read_removed(result<final_answer> const& answer)
{
    if (!answer)
        return answer.error();
    return {};
}

/// The state a poll's answer gives the task of `F`, read as `read_task<F>` reads it (so
/// that a result `F` cannot read ends the wait as it would end a `get`). The task read is
/// kept in the answer, so that the last poll's is not read twice.
template <api_function F>
result<task_state> polled_state(result<final_answer>& answer)
{
    auto t = read_task<F>(answer);
    if (!t)
        return t.error();
    auto const state = t->state;
    answer->parsed = std::make_shared<task<F>>(std::move(*t));
    answer->parsed_as = &task_tag<F>;
    return state;
}

/// The outcome of a call as its `call_finished` tells it: the creation of a PUT that
/// succeeded (`read_creation`'s rule, without reading the body).
inline std::optional<creation> creation_of(http_method method, result<final_answer> const& answer) noexcept
{
    if (method != http_method::put || !answer)
        return std::nullopt;
    if (answer->response.status == 201)
        return creation::created;
    if (answer->response.status == 200)
        return answer->maybe_acted_on ? creation::uncertain : creation::already_existed;
    return std::nullopt;
}

/** One request with retries: pace, sign, send, judge; pause and again. Ends with the
    final answer, or the error that ended the attempts. A request that is a call of its
    own (not a wait's poll) tells the call hooks its start (`start`) and its end (the
    runner's `report_end`). */
template <class Engine>
class request_operation {
public:
    using result_type = result<final_answer>;

    request_operation(Engine& engine, typename Engine::pending_request request, bool is_call = true)
        : engine_(&engine), pending_(std::move(request)), is_call_(is_call)
    {
    }

    /// An operation over before it starts: a name or an input refused before sending.
    request_operation(Engine& engine, typename Engine::pending_request request, error refused)
        : engine_(&engine), pending_(std::move(request)), result_(std::move(refused))
    {
    }

    engine_step start()
    {
        if (is_call_)
            begin_call();
        return result_ ? engine_step{engine_step::done} : pace();
    }

    engine_step on_response(result<http_response> response)
    {
        ++attempts_sent_;
        auto verdict = engine_->judge_attempt(pending_, response);
        switch (verdict.what) {
        case Engine::attempt_verdict::finished:
            return finish(final_answer{std::move(*response), pending_.maybe_acted_on});
        case Engine::attempt_verdict::failed: return finish(std::move(*verdict.failure));
        case Engine::attempt_verdict::resend_now: return pace();
        case Engine::attempt_verdict::retry_after_delay: break;
        }
        backing_off_ = true;
        return {engine_step::pause, verdict.delay};
    }

    engine_step on_paused()
    {
        if (backing_off_) {
            backing_off_ = false;
            return pace();
        }
        return sign_and_send();
    }

    /// The credentials asked for (`engine_step::credentials`) have come, or failed.
    engine_step on_credentials(result<sigv4::credentials> creds)
    {
        if (!creds)
            return finish(creds.error());
        if (pending_.awaiting_account) {
            if (auto completed = engine_->complete_request(pending_, *creds); !completed)
                return finish(completed.error());
        }
        if (auto signed_ok = engine_->sign_attempt(pending_, *creds); !signed_ok)
            return finish(signed_ok.error());
        return {engine_step::send};
    }

    /** The call's end, told once, by whoever completes the operation (its runner), with
        what it completes with: its result, or `operation_aborted` when it was stopped. */
    void report_end(result_type const& outcome)
    {
        if (!is_call_ || ended_ || !engine_->observes_calls())
            return;
        if (!began_)
            begin_call();
        ended_ = true;
        auto const id = engine_->identity_of(pending_);
        call_identity const call{id.operation, rpc_method_of(id.operation), id.function, id.task, id.call_id};
        std::optional<error> const failed = outcome ? std::nullopt : std::optional<error>(outcome.error());
        engine_->call_ended({.id = call,
                             .duration = std::chrono::duration_cast<std::chrono::milliseconds>(engine_->now() - began_at_),
                             .attempts = attempts_sent_,
                             .failure = failed ? &*failed : nullptr,
                             .creation = creation_of(pending_.method, outcome)});
    }

    /// A wait's poll carries the wait's call id (its first poll's invocation id).
    void set_call_id(std::array<char, 36> const& id) noexcept { pending_.call_id = id; }

    Engine& engine() const noexcept { return *engine_; }
    http_request const& request() const noexcept { return pending_.message; }
    typename Engine::pending_request const& pending() const noexcept { return pending_; }
    unsigned attempts_sent() const noexcept { return attempts_sent_; }
    result_type take_result() { return std::move(*result_); }

    /** Whether stopping now leaves a known state (what partial and total cancellation ask):
        a read, or a request none of whose attempts may have been acted on. */
    bool can_stop_cleanly() const noexcept
    {
        return result_ || pending_.method == http_method::get || !pending_.maybe_acted_on;
    }

private:
    void begin_call()
    {
        began_ = true;
        if (!engine_->observes_calls())
            return;
        began_at_ = engine_->now();
        auto const id = engine_->identity_of(pending_);
        engine_->call_began(call_identity{id.operation, rpc_method_of(id.operation), id.function, id.task, id.call_id});
    }

    engine_step pace()
    {
        if (auto const pause = engine_->pace_attempt(); pause.count() > 0)
            return {engine_step::pause, pause};
        return sign_and_send();
    }

    engine_step sign_and_send()
    {
        if (pending_.awaiting_account || !engine_->credentials_at_hand())
            return {engine_step::credentials};
        if (auto signed_ok = engine_->sign_attempt(pending_); !signed_ok)
            return finish(signed_ok.error());
        return {engine_step::send};
    }

    engine_step finish(result_type r)
    {
        result_.emplace(std::move(r));
        return {engine_step::done};
    }

    Engine* engine_ = nullptr;
    typename Engine::pending_request pending_;
    bool backing_off_ = false;  // the pause under way is a back-off (else the rate limiter's)
    bool is_call_ = true;       // false: a wait's poll, which is part of the wait's call
    bool began_ = false, ended_ = false;
    unsigned attempts_sent_ = 0;
    std::chrono::system_clock::time_point began_at_{};
    std::optional<result_type> result_;
};

/** The request for task `name` of `function` (a valid name: a descriptor's, or one
    `check_function` passed), with `body` for a PUT; an operation over at once when the
    body was refused (still a call the hooks are told of). `is_call`: false for a wait's
    polls. */
template <class Engine>
request_operation<Engine> make_request(Engine& engine, http_method method, std::string_view function,
                                       task_name const& name, result<std::string> body = std::string(),
                                       bool is_call = true)
{
    if (!body)
        return request_operation<Engine>(engine, engine.start_request(method, function, name, std::string()),
                                          body.error());
    return {engine, engine.start_request(method, function, name, std::move(*body)), is_call};
}

/// How a wait reads the state of each poll's answer (`polled_state<F>`).
using poll_state_reader = result<task_state> (*)(result<final_answer>&);

/** Polls with GET requests until the task is finished, the deadline passes, or an error
    that will not change; pausing between polls. Ends with the answer of the poll that
    found the task finished, or the error that ended the wait. One call for the hooks,
    whose id is its first poll's invocation id. */
template <class Engine>
class wait_operation {
public:
    using result_type = result<final_answer>;

    wait_operation(Engine& engine, std::string_view function, task_name const& name, wait_options options,
                   poll_state_reader read_state)
        : engine_(&engine), function_(function), name_(name), options_(std::move(options)),
          read_state_(read_state), poll_(make_request(engine, http_method::get, function_, name_, std::string(), false))
    {
        call_id_ = poll_.pending().invocation_id;
        poll_.set_call_id(call_id_);
        if (auto checked = check_function(function_); !checked)  // no wait at all, and no poll to report
            result_.emplace(checked.error());
    }

    engine_step start()
    {
        begin();
        return result_ ? engine_step{engine_step::done} : after(poll_.start());
    }
    engine_step on_response(result<http_response> response) { return after(poll_.on_response(std::move(response))); }
    engine_step on_paused()
    {
        if (!between_polls_)
            return after(poll_.on_paused());
        between_polls_ = false;
        attempts_before_ += poll_.attempts_sent();
        poll_ = make_request(*engine_, http_method::get, function_, name_, std::string(), false);
        poll_.set_call_id(call_id_);
        return after(poll_.start());
    }
    engine_step on_credentials(result<sigv4::credentials> creds) { return after(poll_.on_credentials(std::move(creds))); }

    /// The call's end, told once (see `request_operation::report_end`).
    void report_end(result_type const& outcome)
    {
        if (!progress_)
            begin();  // stopped before it started: told as begun and ended at once
        if (ended_ || !engine_->observes_calls())
            return;
        ended_ = true;
        std::optional<error> const failed = outcome ? std::nullopt : std::optional<error>(outcome.error());
        engine_->call_ended({.id = identity(),
                             .duration = std::chrono::duration_cast<std::chrono::milliseconds>(engine_->now() - began_at_),
                             .attempts = attempts_before_ + poll_.attempts_sent(),
                             .polls = progress_->polls,
                             .failure = failed ? &*failed : nullptr});
    }

    Engine& engine() const noexcept { return *engine_; }
    http_request const& request() const noexcept { return poll_.request(); }
    result_type take_result() { return std::move(*result_); }
    /// A wait only reads: it can stop at any pause.
    bool can_stop_cleanly() const noexcept { return true; }

private:
    call_identity identity() const noexcept
    {
        return {"wait", rpc_method_of("wait"), function_, name_.view(), std::string_view(call_id_.data(), call_id_.size())};
    }

    // The deadline and the clock of the call start here, not where the operation was
    // made (a deferred operation may be launched later).
    void begin()
    {
        progress_ = engine_->begin_wait(options_);
        if (!engine_->observes_calls())
            return;
        began_at_ = engine_->now();
        engine_->call_began(identity());
    }

    engine_step after(engine_step step)
    {
        if (step.what != engine_step::done)
            return step;
        auto const retry_after = poll_.pending().retry_after;
        auto answer = poll_.take_result();
        std::chrono::milliseconds pause{0};
        if (auto outcome = engine_->judge_poll(*progress_, name_, options_, read_state_(answer), retry_after, pause)) {
            if (*outcome)
                result_.emplace(std::move(answer));
            else
                result_.emplace(std::move(outcome->error()));
            return {engine_step::done};
        }
        between_polls_ = true;
        return {engine_step::pause, pause};
    }

    Engine* engine_ = nullptr;
    std::string function_;
    task_name name_;
    wait_options options_;
    std::optional<typename Engine::wait_progress> progress_;
    poll_state_reader read_state_;
    request_operation<Engine> poll_;
    std::array<char, 36> call_id_{};
    std::chrono::system_clock::time_point began_at_{};
    unsigned attempts_before_ = 0;  // the attempts of the polls before the current one
    bool between_polls_ = false;
    bool ended_ = false;
    std::optional<result_type> result_;
};

/// Runs an operation to its end with a synchronous transport, waiting through the clock.
template <class Operation, class Transport, class Clock>
typename Operation::result_type run_sync(Operation op, Transport& transport, Clock& clock)
{
    for (engine_step step = op.start();;) {
        switch (step.what) {
        case engine_step::send: step = op.on_response(transport.send(op.request())); break;
        case engine_step::pause:
            clock.sleep_for(step.delay);
            step = op.on_paused();
            break;
        case engine_step::credentials: step = op.on_credentials(op.engine().credentials_now()); break;
        case engine_step::done: {
            auto outcome = op.take_result();
            op.report_end(outcome);
            return outcome;
        }
        }
    }
}

/// Runs operations asynchronously; defined for asynchronous transports in
/// <mturk/crowd/engine/async_runner.hpp>, so that this header needs no Asio.
template <class Transport>
struct async_runner;

/** The asynchronous operations still running on a client, so that destroying the client
    cancels them (each completes with `operation_aborted`). A canceller asks its operation
    to stop on the operation's own executor; it is called at most once. */
class operation_registry {
public:
    using canceller = std::function<void()>;

    /// Registers a running operation; 0 once the client is gone (the caller stops at once).
    std::uint64_t add(canceller cancel)
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (closed_)
            return 0;
        entries_.emplace_back(++last_id_, std::move(cancel));
        return last_id_;
    }

    void remove(std::uint64_t id)
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto const found = std::find_if(entries_.begin(), entries_.end(), [id](auto const& e) { return e.first == id; });
        if (found != entries_.end()) {
            *found = std::move(entries_.back());
            entries_.pop_back();
        }
    }

    /// The client's destruction: every running operation is asked to stop; none may start.
    void cancel_all()
    {
        std::vector<std::pair<std::uint64_t, canceller>> running;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            closed_ = true;
            running.swap(entries_);
        }
        for (auto& entry : running)  // outside the lock: a canceller may post, and posting may run it
            entry.second();
    }

private:
    std::mutex mutex_;
    std::vector<std::pair<std::uint64_t, canceller>> entries_;
    std::uint64_t last_id_ = 0;
    bool closed_ = false;
};

/** What a client shares with its running operations: the engine and the transport, in
    one block that never moves. The client holds it, and so does each asynchronous
    operation until it completes: a client may be moved while its operations run, and
    its destruction cancels them (`operations`) without freeing what they still use. */
template <class Transport, class Engine>
struct client_state {
    template <class... EngineArgs>
    explicit client_state(Transport t, EngineArgs&&... engine_args)
        : engine(std::forward<EngineArgs>(engine_args)...), transport(std::move(t))
    {
    }

    Engine engine;
    Transport transport;
    operation_registry operations;
};

/// The friend through which drivers and tests reach a client's engine (Boost.MySQL's
/// `detail::access`): the client's public section is its users' API only.
struct access {
    template <class Client>
    static auto& engine(Client& client) noexcept
    {
        return client.state_->engine;
    }
    /// The block a client shares with its running operations (null in a moved-from client).
    template <class Client>
    static auto state(Client& client) noexcept
    {
        return client.state_;
    }
};

}  // namespace mturk::crowd::detail

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/engine/impl/client_engine.ipp>
#endif

#endif
