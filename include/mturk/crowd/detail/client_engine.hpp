// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_DETAIL_CLIENT_ENGINE_HPP
#define MTURK_CROWD_DETAIL_CLIENT_ENGINE_HPP

#include <mturk/crowd/clock.hpp>
#include <mturk/crowd/endpoint.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/function.hpp>
#include <mturk/crowd/http_message.hpp>
#include <mturk/crowd/client_types.hpp>
#include <mturk/crowd/retry.hpp>
#include <mturk/crowd/service_response.hpp>
#include <mturk/crowd/sigv4/credential_providers.hpp>
#include <mturk/crowd/sigv4/signer.hpp>
#include <mturk/crowd/task.hpp>
#include <mturk/crowd/task_name.hpp>
#include <mturk/crowd/version.hpp>

#include <boost/json/parse.hpp>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>

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

/// What an operation needs next.
struct engine_step {
    enum kind { send, pause, done } what = done;
    std::chrono::milliseconds delay{0};  ///< for pause
};

/// The state a client keeps across calls, and the steps every operation is made of.
template <client_clock Clock, retry_policy RetryPolicy>
class client_engine {
public:
    client_engine(client_config config, endpoint where, Clock clock, RetryPolicy retry)
        : config_(std::move(config)), endpoint_(std::move(where)), clock_(std::move(clock)), retry_(std::move(retry))
    {
        if (!config_.credentials) {
            auto chain = std::make_shared<sigv4::default_credentials_chain>(
                sigv4::credentials_chain_options{.env = config_.env, .fetch = config_.credentials_fetch});
            config_.credentials = [chain] { return chain->get(); };
        }
        if (!config_.random) {
            auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
            config_.random = [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
        }
        // On Lambda, the trace of the invocation; passed on (unsigned: proxies may rewrite it).
        if (auto trace = config_.env("_X_AMZN_TRACE_ID"); trace && !trace->empty() &&
                                                          trace->find_first_of("\r\n") == std::string::npos)
            trace_id_ = std::move(*trace);
        user_agent_ = "mturk-crowd-cpp/" + std::to_string(MTURK_CROWD_VERSION_MAJOR) + "." +
                      std::to_string(MTURK_CROWD_VERSION_MINOR) + "." + std::to_string(MTURK_CROWD_VERSION_PATCH);
        if (!config_.app_id.empty())
            user_agent_ += " app/" + config_.app_id;
    }

    /** Without an account from the settings, the credentials' own (what STS, SSO and the
        other sources say); the credentials are kept by the chain for the first request.
        Errors: the credentials', `errc::invalid_configuration` when they have none. */
    result<void> learn_account()
    {
        if (config_.account)
            return {};
        auto creds = config_.credentials();
        if (!creds)
            return error(creds.error().code(), "no account id is set (client_config::account, AWS_ACCOUNT_ID or the "
                                               "profile's aws_account_id), and the credentials could not be asked "
                                               "for theirs: " + std::string(creds.error().detail()));
        if (!creds->account_id())
            return error(errc::invalid_configuration,
                         "the account id is not set (client_config::account, AWS_ACCOUNT_ID or the profile's "
                         "aws_account_id), and the credentials do not say theirs");
        auto parsed = account_id::parse(*creds->account_id());
        if (!parsed)
            return error(errc::invalid_configuration,
                         "the credentials' account id \"" + *creds->account_id() + "\": " + parsed.error().message());
        config_.account = *parsed;
        return {};
    }

    /// One request on its way: the message, its payload hash (computed once), and what
    /// its attempts have learnt.
    struct pending_request {
        http_method method = http_method::get;
        http_request message;
        std::string payload_hash;
        unsigned attempt = 1;
        unsigned quota_paid = 0;      // what the current attempt cost the retry quota, when a retry
        bool skew_corrected = false;  // the clock offset was learnt during this request
        std::chrono::system_clock::time_point sent_at{};
        // An earlier attempt, or an earlier copy the transport sent, may have been acted on:
        // its answer was lost, or it was answered 5xx.
        bool maybe_acted_on = false;
        std::optional<std::chrono::milliseconds> retry_after{};  // what the last answer asked for
    };

    /// What to do after an attempt.
    struct attempt_verdict {
        enum kind { finished, failed, retry_after_delay, resend_now } what = failed;
        std::chrono::milliseconds delay{0};  ///< for retry_after_delay
        std::optional<error> failure{};      ///< for failed
    };

    /// Builds the (unsigned) request for task `name` of `function`.
    pending_request start_request(http_method method, std::string_view function, task_name const& name,
                                  std::string body)
    {
        pending_request p;
        p.method = method;
        p.message.method = method;
        p.message.target = path_of(function, name);
        p.message.fields.add("Host", endpoint_.host_header());
        p.message.fields.add("User-Agent", user_agent_);
        p.message.fields.add("Accept", "application/json");
        p.message.fields.add("amz-sdk-invocation-id", new_invocation_id());  // one per call, kept on every attempt
        if (!trace_id_.empty())
            p.message.fields.add("X-Amzn-Trace-Id", trace_id_);
        if (method == http_method::put)
            p.message.fields.add("Content-Type", "application/json");
        p.message.body = std::move(body);
        p.payload_hash = signer_.payload_hash(p.message.body);
        return p;
    }

    /// How long to wait before the next attempt: the retry policy's pacing (the adaptive
    /// mode's rate limiter), zero for policies that do not pace.
    std::chrono::milliseconds pace_attempt()
    {
        if constexpr (paces_attempts<RetryPolicy>)
            return retry_.before_attempt(clock_.now());
        else
            return std::chrono::milliseconds(0);
    }

    /// Signs the next attempt afresh: current credentials, the clock's time plus the
    /// learnt offset. Errors: the credentials provider's, the signer's.
    result<void> sign_attempt(pending_request& p)
    {
        auto creds = config_.credentials();
        if (!creds)
            return creds.error();
        // "attempt=N; max=M", written in place: set() reuses the field's storage on retries.
        char attempt_text[48] = "attempt=";
        char* end = std::to_chars(attempt_text + 8, attempt_text + 20, p.attempt).ptr;
        if constexpr (counts_attempts<RetryPolicy>) {
            std::memcpy(end, "; max=", 6);
            end = std::to_chars(end + 6, attempt_text + sizeof attempt_text, retry_.max_attempts()).ptr;
        }
        p.message.fields.set("amz-sdk-request", std::string_view(attempt_text, static_cast<std::size_t>(end - attempt_text)));
        auto const now = clock_.now() + clock_offset_;
        auto signed_ok = signer_.sign(p.message, *creds,
                                      {.region = config_.region,
                                       .service = "crowd",
                                       .time = std::chrono::floor<std::chrono::seconds>(now),
                                       .payload_hash = p.payload_hash});
        if (!signed_ok)
            return signed_ok;
        p.sent_at = clock_.now();
        if (config_.hooks.before_attempt)
            config_.hooks.before_attempt({identity_of(p), p.message});
        return signed_ok;
    }

    /// What the hooks are told of the request `p`.
    static attempt_identity identity_of(pending_request const& p) noexcept
    {
        std::string_view const operation = p.method == http_method::put      ? "create"
                                           : p.method == http_method::delete_ ? "remove"
                                                                               : "get";
        // Read back from the path (".../functions/<function>/tasks/<task>"): no copies
        // per request for hooks that may not be there.
        std::string_view const target = p.message.target;
        auto const functions = target.rfind("/functions/");
        auto const tasks = target.rfind("/tasks/");
        std::string_view function;
        std::string_view task;
        if (functions != std::string_view::npos && tasks != std::string_view::npos && tasks > functions) {
            function = target.substr(functions + 11, tasks - functions - 11);
            task = target.substr(tasks + 7);
        }
        return {operation, function, task, p.message.fields.find("amz-sdk-invocation-id").value_or(""), p.attempt};
    }

    /** Judges an attempt's outcome: finished (2xx, or a DELETE's 404 after an attempt that
        may have been acted on: the task is gone, as asked), failed (the mapped error),
        or send again now (clock skew learnt) or after the retry policy's delay. */
    attempt_verdict judge_attempt(pending_request& p, result<http_response> const& response)
    {
        attempt_outcome outcome{.attempt = p.attempt, .cost_of_this_retry = p.quota_paid, .at = clock_.now()};
        // Only for the hooks: nothing per attempt when there are none.
        bool const hooked = config_.hooks.after_attempt || config_.hooks.on_retry_decision;
        attempt_identity const id = hooked ? identity_of(p) : attempt_identity{};
        if (config_.hooks.after_attempt) {
            std::optional<error> const transport_failure =
                response ? std::nullopt : std::optional<error>(response.error());
            config_.hooks.after_attempt({id, std::chrono::duration_cast<std::chrono::milliseconds>(outcome.at - p.sent_at),
                                         response ? &*response : nullptr,
                                         transport_failure ? &*transport_failure : nullptr});
        }
        std::optional<error> failure;
        bool acted_on_now = false;  // this attempt may have been acted on, for the attempts after it
        if (!response) {
            failure = response.error();
            acted_on_now = failure->progress() != request_progress::not_sent;
        } else {
            if (response->resent)
                p.maybe_acted_on = true;  // the transport's first copy may have been acted on
            bool const success = response->status >= 200 && response->status <= 299;
            bool const gone_as_asked = p.method == http_method::delete_ && response->status == 404 && p.maybe_acted_on;
            if (success || gone_as_asked) {
                retry_.decide(outcome);  // a success: the policy refills its quota
                return {attempt_verdict::finished};
            }
            failure = error_from_response(p.method, *response);
            outcome.http_status = response->status;
            outcome.retry_after = parse_retry_after(response->fields.find("x-amz-retry-after"),
                                                    response->fields.find("Retry-After"));
            p.retry_after = outcome.retry_after;
            acted_on_now = response->status >= 500;
            if (!p.skew_corrected && *failure == errc::access_denied && is_clock_skew(read_service_message(*response))) {
                auto const date = response->fields.find("Date");
                if (auto server_time = date ? parse_http_date(*date) : std::nullopt) {
                    // Sign with the service's time from now on, and try this request again.
                    clock_offset_ = std::chrono::duration_cast<std::chrono::milliseconds>(*server_time - clock_.now());
                    p.skew_corrected = true;
                    return {attempt_verdict::resend_now};
                }
            }
        }
        p.maybe_acted_on = p.maybe_acted_on || acted_on_now;
        outcome.code = failure->code();
        retry_decision const decision = retry_.decide(outcome);
        if (config_.hooks.on_retry_decision)
            config_.hooks.on_retry_decision({id, *failure, decision.retry, decision.delay, decision.reason});
        if (!decision.retry)
            return {attempt_verdict::failed, std::chrono::milliseconds(0), std::move(failure)};
        p.quota_paid = decision.quota_cost;
        ++p.attempt;
        return {attempt_verdict::retry_after_delay, decision.delay};
    }

    /// Where a `wait` is.
    struct wait_progress {
        std::chrono::system_clock::time_point started;
        std::chrono::system_clock::time_point deadline;
        std::chrono::milliseconds delay;  ///< the next pause before jitter
        unsigned polls = 0;
    };

    wait_progress begin_wait(wait_options const& options)
    {
        auto const now = clock_.now();
        return {now, now + options.timeout, std::max(options.first_delay, std::chrono::milliseconds(1)), 0};
    }

    /** Judges one poll of a wait, given the state its answer was read as (or why it could
        not be read): a finished task ends the wait, well (an empty result; the caller
        reads the task from the poll's answer); a processing one, or a failure that may
        pass, pauses (jittered, growing, at least `retry_after`, never past the deadline)
        until the deadline; any other failure ends it at once, its detail saying which poll
        met it and when. Returns the outcome, or nothing and the pause. */
    std::optional<result<void>> judge_poll(wait_progress& w, task_name const& name, wait_options const& options,
                                           result<task_state> const& polled,
                                           std::optional<std::chrono::milliseconds> retry_after,
                                           std::chrono::milliseconds& pause)
    {
        ++w.polls;
        auto const now = clock_.now();
        auto const elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - w.started);
        if (options.on_poll) {
            poll_report report{.number = w.polls, .elapsed = elapsed};
            if (polled)
                report.state = *polled;
            else
                report.failure = polled.error();
            options.on_poll(report);
        }
        if (polled && *polled != task_state::processing)
            return result<void>{};
        if (!polled) {
            auto const& e = polled.error();
            auto const kind = classify({.code = e.code(), .http_status = e.http_status()});
            if (kind != failure_kind::throttling && kind != failure_kind::transient) {
                // Keep the code, status and request id; say where in the wait it happened.
                std::string detail = std::string(e.detail()) + (e.detail().empty() ? "" : " ") + "(poll " +
                                     std::to_string(w.polls) + ", " + seconds_text(elapsed) + " s into the wait)";
                return result<void>(error(e.code(), e.http_status(), std::move(detail), std::string(e.request_id())));
            }
        }
        if (now >= w.deadline) {
            std::string detail = "task " + std::string(name.view()) +
                                 (polled ? " still processing after " : " had no final state after ") +
                                 seconds_text(options.timeout) + " s";
            if (!polled)
                detail += "; the last poll failed: " + polled.error().what();
            return result<void>(error(errc::wait_timed_out, std::move(detail)));
        }
        double const r = std::clamp(config_.random(), 0.0, 1.0);
        auto const d = w.delay.count();
        pause = std::chrono::milliseconds(d / 2 + static_cast<std::int64_t>(r * static_cast<double>(d - d / 2)));
        if (!polled && retry_after)
            pause = std::max(pause, *retry_after);
        pause = std::min(pause, std::chrono::duration_cast<std::chrono::milliseconds>(w.deadline - now));
        w.delay = std::min(w.delay * 2, std::max(options.max_delay, options.first_delay));
        return std::nullopt;
    }

    Clock& clock() noexcept { return clock_; }
    RetryPolicy& retry_policy() noexcept { return retry_; }
    endpoint const& service_endpoint() const noexcept { return endpoint_; }
    std::chrono::milliseconds clock_offset() const noexcept { return clock_offset_; }
    std::string const& user_agent() const noexcept { return user_agent_; }

private:
    // A random (version 4) UUID, as the SDKs send in amz-sdk-invocation-id.
    std::string new_invocation_id()
    {
        std::uint64_t const hi = (ids_() & ~std::uint64_t(0xF000)) | 0x4000;  // version 4
        std::uint64_t const lo = (ids_() & ~(std::uint64_t(0xC) << 60)) | (std::uint64_t(0x8) << 60);  // variant 10
        constexpr char hex[] = "0123456789abcdef";
        std::string out;
        out.reserve(36);
        for (int i = 15; i >= 0; --i) {
            out += hex[(hi >> (i * 4)) & 0xF];
            if (i == 8 || i == 4)
                out += '-';
        }
        out += '-';
        for (int i = 15; i >= 0; --i) {
            out += hex[(lo >> (i * 4)) & 0xF];
            if (i == 12)
                out += '-';
        }
        return out;
    }

    std::string path_of(std::string_view function, task_name const& name) const
    {
        std::string path = endpoint_.base_path;
        path += '/';
        path += config_.account->view();
        path += "/functions/";
        path += function;
        path += "/tasks/";
        path += name.view();
        return path;
    }

    client_config config_;
    endpoint endpoint_;
    Clock clock_;
    [[no_unique_address]] RetryPolicy retry_;
    sigv4::signer signer_;
    std::chrono::milliseconds clock_offset_{0};
    std::string user_agent_;
    std::string trace_id_;
    std::mt19937_64 ids_{std::random_device{}()};
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
};

/// The task a 2xx response carries; parse errors keep the response's status and request id.
template <api_function F>
result<task<F>> read_task(http_response const& response)
{
    boost::system::error_code ec;
    auto document = boost::json::parse(response.body, ec);
    auto parsed = ec ? result<task<F>>(error(errc::invalid_json, ec.message())) : task_from_json<F>(std::move(document));
    if (!parsed)  // keep where it came from
        return error(parsed.error().code(), response.status, std::string(parsed.error().detail()),
                     std::string(response.request_id().value_or("")));
    return parsed;
}

/// A GET's (or a wait's) outcome as the task of `F`.
template <api_function F>
result<task<F>> read_task(result<final_answer> const& answer)
{
    if (!answer)
        return answer.error();
    return read_task<F>(answer->response);
}

/// What a PUT's outcome means: 201 created by this call; 200 the same task existed,
/// before this call or (`maybe_acted_on`) perhaps through an earlier attempt of it.
template <api_function F>
result<created_task<F>> read_created(result<final_answer> const& answer)
{
    if (!answer)
        return answer.error();
    auto const& response = answer->response;
    if (response.status != 200 && response.status != 201)
        return error(make_error_code(errc::unexpected_status), response.status, "PUT answered without 200 or 201",
                     std::string(response.request_id().value_or("")));
    auto t = read_task<F>(response);
    if (!t)
        return t.error();
    creation const who = response.status == 201 ? creation::created
                         : answer->maybe_acted_on ? creation::uncertain
                                                  : creation::already_existed;
    return created_task<F>{std::move(*t), who};
}

/// A DELETE's outcome: the task is gone.
inline result<void> read_removed(result<final_answer> const& answer)
{
    if (!answer)
        return answer.error();
    return {};
}

/// The state a poll's answer gives the task of `F`, read as `read_task<F>` reads it (so
/// that a result `F` cannot read ends the wait as it would end a `get`).
template <api_function F>
result<task_state> polled_state(result<final_answer> const& answer)
{
    auto t = read_task<F>(answer);
    if (!t)
        return t.error();
    return t->state;
}

/** One request with retries: pace, sign, send, judge; pause and again. Ends with the
    final answer, or the error that ended the attempts. */
template <class Engine>
class request_operation {
public:
    using result_type = result<final_answer>;

    request_operation(Engine& engine, typename Engine::pending_request request)
        : engine_(&engine), pending_(std::move(request))
    {
    }

    /// An operation over before it starts: a name or an input refused before sending.
    explicit request_operation(error refused) : result_(std::move(refused)) {}

    engine_step start() { return result_ ? engine_step{engine_step::done} : pace(); }

    engine_step on_response(result<http_response> response)
    {
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

    http_request const& request() const noexcept { return pending_.message; }
    typename Engine::pending_request const& pending() const noexcept { return pending_; }
    result_type take_result() { return std::move(*result_); }

private:
    engine_step pace()
    {
        if (auto const pause = engine_->pace_attempt(); pause.count() > 0)
            return {engine_step::pause, pause};
        return sign_and_send();
    }

    engine_step sign_and_send()
    {
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
    std::optional<result_type> result_;
};

/** The request for task `name` of `function` (checked: it may come from a user at run
    time), with `body` for a PUT; an operation over at once when either was refused. */
template <class Engine>
request_operation<Engine> make_request(Engine& engine, http_method method, std::string_view function,
                                       task_name const& name, result<std::string> body = std::string())
{
    if (auto checked = check_function(function); !checked)
        return request_operation<Engine>(checked.error());
    if (!body)
        return request_operation<Engine>(body.error());
    return {engine, engine.start_request(method, function, name, std::move(*body))};
}

/// How a wait reads the state of each poll's answer (`polled_state<F>`).
using poll_state_reader = result<task_state> (*)(result<final_answer> const&);

/** Polls with GET requests until the task is finished, the deadline passes, or an error
    that will not change; pausing between polls. Ends with the answer of the poll that
    found the task finished, or the error that ended the wait. */
template <class Engine>
class wait_operation {
public:
    using result_type = result<final_answer>;

    wait_operation(Engine& engine, std::string_view function, task_name const& name, wait_options options,
                   poll_state_reader read_state)
        : engine_(&engine), function_(function), name_(name), options_(std::move(options)),
          progress_(engine.begin_wait(options_)), read_state_(read_state),
          poll_(make_request(engine, http_method::get, function_, name_))
    {
        if (auto checked = check_function(function_); !checked)  // no wait at all, and no poll to report
            result_.emplace(checked.error());
    }

    engine_step start() { return result_ ? engine_step{engine_step::done} : after(poll_.start()); }
    engine_step on_response(result<http_response> response) { return after(poll_.on_response(std::move(response))); }
    engine_step on_paused()
    {
        if (!between_polls_)
            return after(poll_.on_paused());
        between_polls_ = false;
        poll_ = make_request(*engine_, http_method::get, function_, name_);
        return after(poll_.start());
    }
    http_request const& request() const noexcept { return poll_.request(); }
    result_type take_result() { return std::move(*result_); }

private:
    engine_step after(engine_step step)
    {
        if (step.what != engine_step::done)
            return step;
        auto const retry_after = poll_.pending().retry_after;
        auto answer = poll_.take_result();
        std::chrono::milliseconds pause{0};
        if (auto outcome = engine_->judge_poll(progress_, name_, options_, read_state_(answer), retry_after, pause)) {
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
    typename Engine::wait_progress progress_;
    poll_state_reader read_state_;
    request_operation<Engine> poll_;
    bool between_polls_ = false;
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
        case engine_step::done: return op.take_result();
        }
    }
}

/// Runs operations asynchronously; defined for asynchronous transports in
/// <mturk/crowd/transport/async_runner.hpp>, so that this header needs no Asio.
template <class Transport>
struct async_runner;

/// The friend through which drivers and tests reach a client's engine (Boost.MySQL's
/// `detail::access`): the client's public section is its users' API only.
struct access {
    template <class Client>
    static auto& engine(Client& client) noexcept
    {
        return client.engine_;
    }
};

}  // namespace mturk::crowd::detail

#endif
