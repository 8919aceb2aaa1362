// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CLIENT_HPP
#define MTURK_CROWD_CLIENT_HPP

#include <mturk/crowd/account_id.hpp>
#include <mturk/crowd/clock.hpp>
#include <mturk/crowd/detail/type_traits.hpp>
#include <mturk/crowd/endpoint.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/function.hpp>
#include <mturk/crowd/http_message.hpp>
#include <mturk/crowd/request.hpp>
#include <mturk/crowd/retry.hpp>
#include <mturk/crowd/service_response.hpp>
#include <mturk/crowd/sigv4/credential_providers.hpp>
#include <mturk/crowd/sigv4/signer.hpp>
#include <mturk/crowd/task.hpp>
#include <mturk/crowd/task_name.hpp>
#include <mturk/crowd/version.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <chrono>
#include <concepts>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

/* The client. It names no transport: `client`, the alias with the Beast HTTPS transport,
   is declared in <mturk/crowd/transport/beast.hpp>, so that a program with its own
   transport never compiles Asio. */
namespace mturk::crowd {

/** What the client asks of a transport: send one request, give back the response or the
    error that prevented one (a connection error, a timeout, a TLS failure).

    | expression     | type                        |
    |----------------|-----------------------------|
    | `t.send(req)`  | `result<http_response>`     |

    Where to connect is the transport's own configuration; `req.fields` has the `Host`.

    A failure says how far the request got, with `error::set_progress`: `not_sent` when
    nothing of it was written (resolve, connect, TLS), `sent_no_answer` when it was written
    in full or in part and no answer came. The client's outcomes depend on it: a DELETE
    that finds no task after an attempt that may have been acted on succeeded. A failure
    left `unknown` is taken as "may have been acted on". A response the transport got by
    sending the request a second time sets `http_response::resent`.
*/
template <class T>
concept sends_requests = requires(T& t, http_request const& request) {
    { t.send(request) } -> std::same_as<result<http_response>>;
};

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

/** How a client is set up. Only the account is required. */
struct client_config {
    std::optional<account_id> account{};          ///< the 12-digit AWS account in every path; empty: AWS_ACCOUNT_ID
    std::string region = "us-east-1";
    std::string endpoint{};                       ///< empty: AWS_ENDPOINT_URL_CROWD, AWS_ENDPOINT_URL, or https://crowd.<region>.amazonaws.com
    std::function<result<sigv4::credentials>()> credentials{};  ///< empty: the default chain
    std::string app_id{};                         ///< added to the User-Agent as "app/<id>"
    sigv4::environment env = sigv4::process_environment();
    std::function<double()> random{};             ///< [0,1) for wait() jitter; empty: a seeded engine
};

/** The MTurk crowd API: create, read, delete and wait for tasks, typed by a function
    descriptor (`functions::sentiment_analysis`...) or by name with JSON.

    @tparam Transport    sends requests (`sends_requests` concept): Beast HTTPS, or your own
    @tparam Clock        gives UTC time for signing and waits (`client_clock`)
    @tparam RetryPolicy  decides retries (`retry_policy`): `aws_retry` (the configured mode), `standard_retry`,
                         `adaptive_retry`, `no_retry`

    Every request is signed afresh (a new X-Amz-Date) on every attempt; inputs are checked
    with their `validate()` before anything is sent. A client is not thread-safe (it owns
    a signer); give each thread its own, copying the retry policy to share one quota.

    Specification: the MTurk crowd REST API reference (awslabs/mturk-crowd-beta-client-python: docs/REST.md).
*/
/// An asynchronous transport (`async_send` with an Asio completion token) declares
/// `using is_async_transport = std::true_type;`; the client then offers the async_*
/// operations of <mturk/crowd/transport/beast_async.hpp> instead of the synchronous ones.
template <class T>
concept async_transport = T::is_async_transport::value;

template <class Transport, client_clock Clock = system_clock, retry_policy RetryPolicy = standard_retry>
    requires(sends_requests<Transport> || async_transport<Transport>)
class basic_client {
public:
    /// Errors: `errc::invalid_configuration` (no account, a bad endpoint or region).
    static result<basic_client> make(client_config config, Transport transport, Clock clock = Clock{},
                                     RetryPolicy retry = RetryPolicy{})
    {
        if (!config.account) {
            // The variable the AWS SDKs read for account-based endpoints.
            auto const from_env = config.env("AWS_ACCOUNT_ID");
            if (!from_env)
                return error(errc::invalid_configuration, "the account id is not set (client_config::account or AWS_ACCOUNT_ID)");
            auto parsed = account_id::parse(*from_env);
            if (!parsed)
                return error(errc::invalid_configuration, "AWS_ACCOUNT_ID: " + parsed.error().message());
            config.account = *parsed;
        }
        auto where = resolve_endpoint(config.endpoint, config.region, config.env);
        if (!where)
            return where.error();
        return basic_client(std::move(config), std::move(*where), std::move(transport), std::move(clock),
                            std::move(retry));
    }

    /** Creates task `name` of function `F` (PUT). The input is checked first; a call with
        the name and input of an existing task is no error (`creation` says who created it).
        Errors: the input's `errc::invalid_input`; `task_conflict` (the name is in use with
        another input), `bad_request`, `unknown_function`, and the others of every call. */
    template <api_function F>
        requires sends_requests<Transport>
    result<created_task<F>> create(task_name const& name, typename F::input_type const& input)
    {
        if constexpr (requires { input.validate(); }) {
            if (auto checked = input.validate(); !checked)
                return checked.error();
        }
        return create_as<F>(F::name, name, put_body<F>(input));
    }

    /// Refuses the input of another function with a message that says so.
    template <api_function F, class Input>
        requires(!std::same_as<std::remove_cvref_t<Input>, typename F::input_type>)
    result<created_task<F>> create(task_name const&, Input const&)
    {
        static_assert(detail::dependent_false<Input>,
                      "mturk::crowd: this input is not the input_type of the function the task is created for; "
                      "each function takes only its own F::input_type");
        return error(errc::invalid_input);
    }

    /// Reads task `name` of function `F` (GET). Errors: `task_not_found`, and the others.
    template <api_function F>
        requires sends_requests<Transport>
    result<task<F>> get(task_name const& name)
    {
        return get_as<F>(F::name, name);
    }

    /// Deletes a finished task (DELETE). Errors: `task_not_found`, `task_still_processing`.
    /// A 404 after an attempt that may have been acted on (its answer was lost, or it was
    /// answered 5xx) is success: the task is gone, as asked. After attempts that were all
    /// refused before being sent, a 404 is `task_not_found`.
    template <api_function F>
        requires sends_requests<Transport>
    result<void> remove(task_name const& name)
    {
        return remove_as(F::name, name);
    }

    /** Polls task `name` until it is completed or failed; see `wait_options`. The clock
        does the waiting. Transient errors are waited out until the deadline. Errors:
        `wait_timed_out` when the deadline passes first (its detail names the last error,
        if the last poll failed); an error that will not change (`task_not_found`,
        `access_denied`, an unreadable result), its detail saying which poll met it and when. */
    template <api_function F>
        requires sends_requests<Transport>
    result<task<F>> wait(task_name const& name, wait_options const& options = {})
    {
        return wait_as<F>(F::name, name, options);
    }

    /// `create` for a function named at run time; `input` must be a JSON object.
    result<created_task<untyped_function>> create(std::string_view function, task_name const& name,
                                                  boost::json::value const& input)
        requires sends_requests<Transport>
    {
        if (auto checked = check_function(function); !checked)
            return checked.error();
        auto body = untyped_put_body(input);
        if (!body)
            return body.error();
        return create_as<untyped_function>(function, name, std::move(*body));
    }
    result<task<untyped_function>> get(std::string_view function, task_name const& name)
        requires sends_requests<Transport>
    {
        if (auto checked = check_function(function); !checked)
            return checked.error();
        return get_as<untyped_function>(function, name);
    }
    result<void> remove(std::string_view function, task_name const& name)
        requires sends_requests<Transport>
    {
        if (auto checked = check_function(function); !checked)
            return checked;
        return remove_as(function, name);
    }
    result<task<untyped_function>> wait(std::string_view function, task_name const& name,
                                        wait_options const& options = {})
        requires sends_requests<Transport>
    {
        if (auto checked = check_function(function); !checked)
            return checked.error();
        return wait_as<untyped_function>(function, name, options);
    }

    /// One request on its way, for drivers of the client's steps (the synchronous calls
    /// here, the asynchronous operations of a transport): the message, its payload hash
    /// (computed once), and what its attempts have learnt.
    struct pending_request {
        http_method method = http_method::get;
        http_request message;
        std::string payload_hash;
        unsigned attempt = 1;
        unsigned paid = 0;            // quota the current attempt cost, when a retry
        bool skew_corrected = false;  // the clock offset was learnt during this request
        // An earlier attempt, or an earlier copy the transport sent, may have been acted on:
        // its answer was lost, or it was answered 5xx.
        bool maybe_acted_on = false;
        std::optional<std::chrono::milliseconds> retry_after{};  // what the last answer asked for
    };

    /// What a driver does after an attempt.
    struct next_step {
        enum kind { finished, failed, wait_then_resend, resend_now } what = failed;
        std::chrono::milliseconds delay{0};  ///< for wait_then_resend, waited through the clock or a timer
        std::optional<error> failure{};      ///< for failed
    };

    /// Builds the request for task `name` of `function` (unsigned).
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
        auto const now = clock_.now() + clock_offset_;
        return signer_.sign(p.message, *creds,
                            {.region = config_.region,
                             .service = "crowd",
                             .time = std::chrono::floor<std::chrono::seconds>(now),
                             .payload_hash = p.payload_hash});
    }

    /** Judges an attempt's outcome: done (2xx), failed (with the mapped error), or send
        again now (clock skew learnt) or after a delay (the retry policy's answer).

        What the caller gets depends on how far earlier attempts got (README, "What a call
        tells you"): a DELETE's 404 after an attempt that may have been acted on is success. */
    next_step judge(pending_request& p, result<http_response> const& response)
    {
        attempt_outcome outcome{.attempt = p.attempt, .cost_of_this_retry = p.paid, .at = clock_.now()};
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
                return {next_step::finished};
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
                    return {next_step::resend_now};
                }
            }
        }
        p.maybe_acted_on = p.maybe_acted_on || acted_on_now;
        outcome.code = failure->code();
        retry_decision const decision = retry_.decide(outcome);
        if (!decision.retry)
            return {next_step::failed, std::chrono::milliseconds(0), std::move(failure)};
        p.paid = decision.quota_cost;
        ++p.attempt;
        return {next_step::wait_then_resend, decision.delay};
    }

    /// Checks a function name given at run time. Errors: `errc::function_name_invalid`.
    static result<void> check_function(std::string_view function)
    {
        if (detail::function_name_problem(function) != 0)
            return error(errc::function_name_invalid, "function \"" + std::string(function) + "\"");
        return {};
    }

    /// The PUT body for an untyped input, which must be a JSON object. Errors: `errc::invalid_input`.
    static result<std::string> untyped_put_body(boost::json::value const& input)
    {
        if (!input.is_object())
            return error(errc::invalid_input, "input: the service takes a JSON object");
        boost::json::object body;
        body.emplace("input", input);
        return boost::json::serialize(body);
    }

    /// The task a 2xx response carries; parse errors keep the response's status and request id.
    template <api_function F>
    static result<task<F>> read_task(http_response const& response)
    {
        boost::system::error_code ec;
        auto document = boost::json::parse(response.body, ec);
        auto parsed = ec ? result<task<F>>(error(errc::invalid_json, ec.message()))
                         : task_from_json<F>(std::move(document));
        if (!parsed)  // keep where it came from
            return error(parsed.error().code(), response.status, std::string(parsed.error().detail()),
                         std::string(response.request_id().value_or("")));
        return parsed;
    }

    /// What a PUT's 2xx response means: 201 created by this call; 200 the same task
    /// existed, before this call or (`maybe_acted_on`) perhaps through an earlier attempt.
    template <api_function F>
    static result<created_task<F>> read_created(http_response const& response, bool maybe_acted_on)
    {
        if (response.status != 200 && response.status != 201)
            return error(make_error_code(errc::unexpected_status), response.status, "PUT answered without 200 or 201",
                         std::string(response.request_id().value_or("")));
        auto t = read_task<F>(response);
        if (!t)
            return t.error();
        creation const who = response.status == 201 ? creation::created
                             : maybe_acted_on       ? creation::uncertain
                                                    : creation::already_existed;
        return created_task<F>{std::move(*t), who};
    }

    /// Where a `wait` is: for drivers of the client's steps.
    struct wait_progress {
        std::chrono::system_clock::time_point started;
        std::chrono::system_clock::time_point deadline;
        std::chrono::milliseconds delay;  ///< the next pause before jitter
        unsigned polls = 0;
    };

    /// What a wait does after a poll: end with `outcome`, or pause and poll again.
    template <api_function F>
    struct wait_step {
        std::optional<result<task<F>>> outcome{};  ///< set: the wait ends with this
        std::chrono::milliseconds pause{0};
    };

    wait_progress begin_wait(wait_options const& options)
    {
        auto const now = clock_.now();
        return {now, now + options.timeout, std::max(options.first_delay, std::chrono::milliseconds(1)), 0};
    }

    /** Judges one poll of a wait: a finished task ends it; a processing one, or a failure
        that may pass, pauses (jittered, growing, at least `retry_after`, never past the
        deadline) until the deadline; any other failure ends it at once. */
    template <api_function F>
    wait_step<F> judge_poll(wait_progress& w, task_name const& name, wait_options const& options,
                            result<task<F>> polled, std::optional<std::chrono::milliseconds> retry_after)
    {
        ++w.polls;
        auto const now = clock_.now();
        auto const elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - w.started);
        if (options.on_poll) {
            poll_report report{.number = w.polls, .elapsed = elapsed};
            if (polled)
                report.state = polled->state;
            else
                report.failure = polled.error();
            options.on_poll(report);
        }
        if (polled && polled->state != task_state::processing)
            return {std::move(polled)};
        if (!polled) {
            auto const& e = polled.error();
            auto const kind = classify({.code = e.code(), .http_status = e.http_status()});
            if (kind != failure_kind::throttling && kind != failure_kind::transient) {
                // Keep the code, status and request id; say where in the wait it happened.
                std::string detail = std::string(e.detail()) + (e.detail().empty() ? "" : " ") + "(poll " +
                                     std::to_string(w.polls) + ", " + seconds_text(elapsed) + " s into the wait)";
                return {result<task<F>>(error(e.code(), e.http_status(), std::move(detail), std::string(e.request_id())))};
            }
        }
        if (now >= w.deadline) {
            std::string detail = "task " + std::string(name.view()) +
                                 (polled ? " still processing after " : " had no final state after ") +
                                 seconds_text(options.timeout) + " s";
            if (!polled)
                detail += "; the last poll failed: " + polled.error().what();
            return {result<task<F>>(error(errc::wait_timed_out, std::move(detail)))};
        }
        double const r = std::clamp(config_.random(), 0.0, 1.0);
        auto const d = w.delay.count();
        auto pause = std::chrono::milliseconds(d / 2 + static_cast<std::int64_t>(r * static_cast<double>(d - d / 2)));
        if (!polled && retry_after)
            pause = std::max(pause, *retry_after);
        pause = std::min(pause, std::chrono::duration_cast<std::chrono::milliseconds>(w.deadline - now));
        w.delay = std::min(w.delay * 2, std::max(options.max_delay, options.first_delay));
        return {std::nullopt, pause};
    }

    Transport& transport() noexcept { return transport_; }
    Clock& clock() noexcept { return clock_; }
    RetryPolicy& retry_policy() noexcept { return retry_; }
    endpoint const& service_endpoint() const noexcept { return endpoint_; }
    /// What the client adds to its clock when signing, learnt from a refusal for skew.
    std::chrono::milliseconds clock_offset() const noexcept { return clock_offset_; }
    std::string const& user_agent() const noexcept { return user_agent_; }

private:
    basic_client(client_config config, endpoint where, Transport transport, Clock clock, RetryPolicy retry)
        : config_(std::move(config)), endpoint_(std::move(where)), transport_(std::move(transport)),
          clock_(std::move(clock)), retry_(std::move(retry))
    {
        if (!config_.credentials) {
            auto chain = std::make_shared<sigv4::default_credentials_chain>(
                sigv4::credentials_chain_options{.env = config_.env});
            config_.credentials = [chain] { return chain->get(); };
        }
        if (!config_.random) {
            auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
            config_.random = [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
        }
        user_agent_ = "mturk-crowd-cpp/" + std::to_string(MTURK_CROWD_VERSION_MAJOR) + "." +
                      std::to_string(MTURK_CROWD_VERSION_MINOR) + "." + std::to_string(MTURK_CROWD_VERSION_PATCH);
        if (!config_.app_id.empty())
            user_agent_ += " app/" + config_.app_id;
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

    /// "0.4", "60", "12.25": milliseconds as seconds, without trailing zeros.
    static std::string seconds_text(std::chrono::milliseconds d)
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

    /// Sends one request with retries, signing each attempt; the response when its status
    /// is 2xx (or a DELETE's 404 that means the task is gone), the mapped error otherwise.
    result<http_response> send(pending_request& pending)
        requires sends_requests<Transport>
    {
        for (;;) {
            if (auto const pause = pace_attempt(); pause.count() > 0)
                clock_.sleep_for(pause);
            if (auto signed_ok = sign_attempt(pending); !signed_ok)
                return signed_ok.error();
            auto response = transport_.send(pending.message);
            next_step const step = judge(pending, response);
            switch (step.what) {
            case next_step::finished: return response;
            case next_step::failed: return *step.failure;
            case next_step::wait_then_resend: clock_.sleep_for(step.delay); break;
            case next_step::resend_now: break;
            }
        }
    }

    template <api_function F>
    result<created_task<F>> create_as(std::string_view function, task_name const& name, std::string body)
    {
        auto pending = start_request(http_method::put, function, name, std::move(body));
        auto response = send(pending);
        if (!response)
            return response.error();
        return read_created<F>(*response, pending.maybe_acted_on);
    }

    template <api_function F>
    result<task<F>> get_as(std::string_view function, task_name const& name,
                           std::optional<std::chrono::milliseconds>* retry_after = nullptr)
    {
        auto pending = start_request(http_method::get, function, name, {});
        auto response = send(pending);
        if (retry_after)
            *retry_after = pending.retry_after;
        if (!response)
            return response.error();
        return read_task<F>(*response);
    }

    result<void> remove_as(std::string_view function, task_name const& name)
    {
        auto pending = start_request(http_method::delete_, function, name, {});
        auto response = send(pending);
        if (!response)
            return response.error();
        return {};
    }

    template <api_function F>
    result<task<F>> wait_as(std::string_view function, task_name const& name, wait_options const& options)
    {
        wait_progress progress = begin_wait(options);
        for (;;) {
            std::optional<std::chrono::milliseconds> retry_after;
            auto polled = get_as<F>(function, name, &retry_after);
            auto step = judge_poll<F>(progress, name, options, std::move(polled), retry_after);
            if (step.outcome)
                return std::move(*step.outcome);
            clock_.sleep_for(step.pause);
        }
    }

    client_config config_;
    endpoint endpoint_;
    Transport transport_;
    Clock clock_;
    [[no_unique_address]] RetryPolicy retry_;
    sigv4::signer signer_;
    std::chrono::milliseconds clock_offset_{0};
    std::string user_agent_;
};

}  // namespace mturk::crowd

#endif
