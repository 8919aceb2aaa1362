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

/// What `create` gives: the task, and whether this call created it.
template <api_function F>
struct created_task {
    crowd::task<F> task;
    bool newly_created = false;  ///< true: 201 Created; false: 200, the same task (same name, same input) existed
};

/// How `wait` polls: the delay starts at `first_delay`, doubles up to `max_delay`, and
/// is jittered (each wait is between half and all of it); `timeout` bounds the whole wait.
struct wait_options {
    std::chrono::milliseconds first_delay{std::chrono::seconds(1)};
    std::chrono::milliseconds max_delay{std::chrono::seconds(60)};
    std::chrono::milliseconds timeout{std::chrono::hours(24)};
    /// Called after every poll that read the task: the time since the wait began, and the
    /// state found (progress for a terminal, a log line). Empty: nothing is called.
    std::function<void(std::chrono::milliseconds elapsed, task_state state)> on_poll{};
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
    @tparam RetryPolicy  decides retries (`retry_policy`): `standard_retry`, `no_retry`

    Every request is signed afresh (a new X-Amz-Date) on every attempt; inputs are checked
    with their `validate()` before anything is sent. A client is not thread-safe (it owns
    a signer); give each thread its own, copying the retry policy to share one quota.

    Specification: mturk-crowd-rest-api.txt.
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
        the name and input of an existing task is no error (`newly_created` is false).
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
    /// When an attempt's response was lost and the retry finds no task, the call succeeds:
    /// the lost attempt deleted it.
    template <api_function F>
        requires sends_requests<Transport>
    result<void> remove(task_name const& name)
    {
        return remove_as(F::name, name);
    }

    /** Polls task `name` until it is completed or failed; see `wait_options`. The clock
        does the waiting. Errors: `wait_timed_out` when the deadline passes first, and
        those of `get`. */
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
        bool response_lost = false;   // an attempt ended without a response (it may have been acted on)
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

    /// Judges an attempt's outcome: done (2xx), failed (with the mapped error), or send
    /// again now (clock skew learnt) or after a delay (the retry policy's answer).
    next_step judge(pending_request& p, result<http_response> const& response)
    {
        attempt_outcome outcome{.attempt = p.attempt, .cost_of_this_retry = p.paid};
        std::optional<error> failure;
        if (!response || response->resent)
            p.response_lost = true;
        if (!response) {
            failure = response.error();
        } else if ((response->status >= 200 && response->status <= 299) ||
                   (p.method == http_method::delete_ && response->status == 404 && p.response_lost)) {
            // A DELETE whose earlier attempt lost its response and now finds no task:
            // that attempt deleted it (the reference's DELETE is not idempotent).
            retry_.decide(outcome);  // a success: the policy refills its quota
            return {next_step::finished};
        } else {
            failure = error_from_response(p.method, *response);
            outcome.http_status = response->status;
            outcome.retry_after = parse_retry_after(response->fields.find("x-amz-retry-after"),
                                                    response->fields.find("Retry-After"));
            if (!p.skew_corrected && *failure == errc::access_denied &&
                is_clock_skew(read_service_message(response->body))) {
                auto const date = response->fields.find("Date");
                if (auto server_time = date ? parse_http_date(*date) : std::nullopt) {
                    // Sign with the service's time from now on, and try this request again.
                    clock_offset_ = std::chrono::duration_cast<std::chrono::milliseconds>(*server_time - clock_.now());
                    p.skew_corrected = true;
                    return {next_step::resend_now};
                }
            }
        }
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

    /// What a PUT's 2xx response means: 201 created, 200 the same task existed.
    template <api_function F>
    static result<created_task<F>> read_created(http_response const& response)
    {
        if (response.status != 200 && response.status != 201)
            return error(make_error_code(errc::unexpected_status), response.status, "PUT answered without 200 or 201",
                         std::string(response.request_id().value_or("")));
        auto t = read_task<F>(response);
        if (!t)
            return t.error();
        return created_task<F>{std::move(*t), response.status == 201};
    }

    /// The next pause of a wait(), jittered, and the delay after it; the deadline check is the caller's.
    std::chrono::milliseconds wait_pause(std::chrono::milliseconds& delay, wait_options const& options,
                                         std::chrono::system_clock::time_point deadline)
    {
        double const r = std::clamp(config_.random(), 0.0, 1.0);
        auto pause = std::chrono::milliseconds(
            delay.count() / 2 + static_cast<std::int64_t>(r * static_cast<double>(delay.count() - delay.count() / 2)));
        pause = std::min(pause, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_.now()));
        delay = std::min(delay * 2, std::max(options.max_delay, options.first_delay));
        return pause;
    }

    static error wait_timeout(task_name const& name, wait_options const& options)
    {
        auto const ms = options.timeout.count();
        std::string seconds = std::to_string(ms / 1000);
        if (auto const fraction = ms % 1000; fraction != 0) {
            std::string digits = std::to_string(1000 + fraction).substr(1);  // 50 ms: "050"
            digits.erase(digits.find_last_not_of('0') + 1);
            seconds += "." + digits;
        }
        return error(errc::wait_timed_out, "task " + std::string(name.view()) + " still processing after " + seconds + " s");
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

    /// Sends one request with retries, signing each attempt; the response when its status
    /// is 2xx, the mapped error otherwise.
    result<http_response> send(http_method method, std::string_view function, task_name const& name, std::string body)
        requires sends_requests<Transport>
    {
        pending_request pending = start_request(method, function, name, std::move(body));
        for (;;) {
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
        auto response = send(http_method::put, function, name, std::move(body));
        if (!response)
            return response.error();
        return read_created<F>(*response);
    }

    template <api_function F>
    result<task<F>> get_as(std::string_view function, task_name const& name)
    {
        auto response = send(http_method::get, function, name, {});
        if (!response)
            return response.error();
        return read_task<F>(*response);
    }

    result<void> remove_as(std::string_view function, task_name const& name)
    {
        auto response = send(http_method::delete_, function, name, {});
        if (!response)
            return response.error();
        return {};
    }

    template <api_function F>
    result<task<F>> wait_as(std::string_view function, task_name const& name, wait_options const& options)
    {
        auto const started = clock_.now();
        auto const deadline = started + options.timeout;
        auto delay = std::max(options.first_delay, std::chrono::milliseconds(1));
        for (;;) {
            auto t = get_as<F>(function, name);
            if (t && options.on_poll)
                options.on_poll(std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now() - started), t->state);
            if (!t || t->state != task_state::processing)
                return t;
            if (clock_.now() >= deadline)
                return wait_timeout(name, options);
            clock_.sleep_for(wait_pause(delay, options, deadline));
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
