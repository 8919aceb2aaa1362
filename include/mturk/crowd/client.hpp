// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CLIENT_HPP
#define MTURK_CROWD_CLIENT_HPP

#include <mturk/crowd/account_id.hpp>
#include <mturk/crowd/resolved_settings.hpp>
#include <mturk/crowd/client_types.hpp>
#include <mturk/crowd/clock.hpp>
#include <mturk/crowd/engine/client_engine.hpp>
#include <mturk/crowd/engine/coroutine_tokens.hpp>
#include <mturk/crowd/detail/type_traits.hpp>
#include <mturk/crowd/endpoint.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/function.hpp>
#include <mturk/crowd/http_message.hpp>
#include <mturk/crowd/request.hpp>
#include <mturk/crowd/retry.hpp>
#include <mturk/crowd/task.hpp>
#include <mturk/crowd/task_name.hpp>
#include <mturk/crowd/transport/concepts.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <concepts>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

/* The client. It names no transport: `client`, the alias with the Beast HTTPS transport,
   is declared in <mturk/crowd/beast_client.hpp>, so that a program with its own
   transport never compiles Asio. */
namespace mturk::crowd {

namespace detail {

/// The PUT body for an untyped input, which must be a JSON object. Errors: `errc::invalid_input`.
inline result<std::string> untyped_put_body(boost::json::value const& input)
{
    if (!input.is_object())
        return error(errc::invalid_input, "input: the service takes a JSON object");
    return put_body_of(input);
}

/// The PUT body of a typed input, after its own `validate()`.
template <class Input>
result<std::string> checked_put_body(Input const& input)
{
    if constexpr (requires { input.validate(); }) {
        if (auto checked = input.validate(); !checked)
            return checked.error();
    }
    return put_body_of(to_json(input));
}

}  // namespace detail

/** The MTurk crowd API: create, read, delete and wait for tasks, typed by a function
    descriptor (`functions::sentiment_analysis`...) or by name with JSON.

    @tparam Transport    sends requests: `sends_requests` (synchronous: `create`, `get`,
                         `remove`, `wait`) or `async_transport` (Asio: `async_create`,
                         `async_get`, `async_remove`, `async_wait`). Beast HTTPS, or your own.
    @tparam Clock        gives UTC time for signing, and waits for the synchronous calls
                         (`client_clock`); `testing::manual_clock` makes tests exact
    @tparam RetryPolicy  decides retries (`retry_policy`): `aws_retry` (the configured mode),
                         `standard_retry`, `adaptive_retry`, `no_retry`

    Every request is signed afresh (a new X-Amz-Date) on every attempt; inputs are checked
    with their `validate()` before anything is sent. What a call tells you after ambiguous
    failures (a lost answer, a gateway's 504) is README's "What a call tells you".

    One client serves a whole program: its synchronous calls may be made from any number
    of threads at once, and its asynchronous operations may overlap in any number, sharing
    one engine (signer, credentials, retry quota) and the transport's connection pool
    (docs/client.md). The engine and the transport live in one block shared with the
    running operations, so a client may be moved while they run; destroying it completes
    them with `operation_aborted`. The calls run one sans-I/O engine
    (engine/client_engine.hpp): the synchronous and the asynchronous ones differ only in
    who does the I/O.

    Specification: the MTurk crowd REST API reference (awslabs/mturk-crowd-beta-client-python: docs/REST.md).
*/
template <class Transport, client_clock Clock = system_clock, retry_policy RetryPolicy = standard_retry>
    requires(sends_requests<Transport> || async_transport<Transport>)
class basic_client {
    using engine_type = detail::client_engine<Clock, RetryPolicy>;

public:
    /** Resolves the settings (`resolve_settings`: code, environment, profile). Without an
        account there, the credentials are fetched now to learn theirs (STS, SSO, container,
        instance metadata and `credential_process` say it); an asynchronous client whose
        credentials are not at hand leaves that to its first operation, which fetches them
        beside the executor.
        Errors: `errc::invalid_configuration` (no account anywhere, a bad endpoint, region
        or app id), the credentials' errors when they were asked for the account. */
    static result<basic_client> make(client_config config, Transport transport, Clock clock = Clock{},
                                     RetryPolicy retry = RetryPolicy{})
    {
        auto settings = resolve_settings(config);
        if (!settings)
            return settings.error();
        return make(std::move(*settings), std::move(config), std::move(transport), std::move(clock), std::move(retry));
    }

    /** The same with `config`'s settings already resolved (`resolve_settings(config)`), for
        a factory that needed them first (the transport's endpoint and CA bundle, the retry
        mode), so that the environment and the profile files are read once per client. */
    static result<basic_client> make(resolved_settings settings, client_config config, Transport transport,
                                     Clock clock = Clock{}, RetryPolicy retry = RetryPolicy{})
    {
        config.region = settings.region.value;
        config.app_id = settings.app_id.value;
        config.account = settings.account_id;
        auto state = std::make_shared<state_type>(std::move(transport), std::move(config),
                                                  std::move(settings.service_endpoint), std::move(clock),
                                                  std::move(retry));
        state->engine.set_setting_origins(settings.region.origin.text(), settings.endpoint.origin.text());
        // An asynchronous client does not wait for credentials here: without them at hand,
        // the first operation learns the account, its credentials fetched beside the executor.
        bool const learn_later = async_transport<Transport> && !state->engine.credentials_at_hand();
        if (!learn_later) {
            if (auto learnt = state->engine.learn_account(); !learnt)
                return learnt.error();
        }
        return basic_client(std::move(state));
    }

    basic_client(basic_client&&) noexcept = default;
    /// Cancels what the client being replaced still runs, as destruction does.
    basic_client& operator=(basic_client&& other) noexcept
    {
        if (this != &other) {
            cancel_running();
            state_ = std::move(other.state_);
        }
        return *this;
    }
    /// Asynchronous operations still running complete with `operation_aborted`; what they
    /// use stays alive until they have.
    ~basic_client() { cancel_running(); }

    /** Creates task `name` of function `F` (PUT). The input is checked first; a call with
        the name and input of an existing task is no error (`creation` says who created it).
        Errors: the input's `errc::invalid_input`; `task_conflict` (the name is in use with
        another input), `bad_request`, `unknown_function`, and the others of every call. */
    template <api_function F>
        requires sends_requests<Transport>
    result<created_task<F>> create(task_name const& name, typename F::input_type const& input)
    {
        return detail::read_created<F>(run(request(engine(), http_method::put, F::name, name, detail::checked_put_body(input))));
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
        return detail::read_task<F>(run(request(engine(), http_method::get, F::name, name)));
    }

    /// Deletes a finished task (DELETE). Errors: `task_not_found`, `task_still_processing`.
    /// A 404 after an attempt that may have been acted on (its answer was lost, or it was
    /// answered 5xx) is success: the task is gone, as asked. After attempts that were all
    /// refused before being sent, a 404 is `task_not_found`.
    template <api_function F>
        requires sends_requests<Transport>
    result<void> remove(task_name const& name)
    {
        return detail::read_removed(run(request(engine(), http_method::delete_, F::name, name)));
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
        return detail::read_task<F>(run(wait_operation(engine(), F::name, name, options, &detail::polled_state<F>)));
    }

    /// `create` for a function named at run time; `input` must be a JSON object.
    result<created_task<untyped_function>> create(std::string_view function, task_name const& name,
                                                  boost::json::value const& input)
        requires sends_requests<Transport>
    {
        return detail::read_created<untyped_function>(
            run(untyped_request(engine(), http_method::put, function, name, detail::untyped_put_body(input))));
    }
    result<task<untyped_function>> get(std::string_view function, task_name const& name)
        requires sends_requests<Transport>
    {
        return detail::read_task<untyped_function>(run(untyped_request(engine(), http_method::get, function, name)));
    }
    result<void> remove(std::string_view function, task_name const& name)
        requires sends_requests<Transport>
    {
        return detail::read_removed(run(untyped_request(engine(), http_method::delete_, function, name)));
    }
    result<task<untyped_function>> wait(std::string_view function, task_name const& name,
                                        wait_options const& options = {})
        requires sends_requests<Transport>
    {
        return detail::read_task<untyped_function>(
            run(wait_operation(engine(), function, name, options, &detail::polled_state<untyped_function>)));
    }

    /** `create<F>` asynchronously (needs <mturk/crowd/async_operations.hpp>, which
        <mturk/crowd/beast_async_client.hpp> includes).

        - Completion signature: `void(result<created_task<F>>)`.
        - Executor: the work runs on the transport's executor; the handler is called on its
          own associated executor (the transport's when it has none).
        - Cancellation: the token's cancellation slot. Terminal at every step; partial and
          total in pauses that leave a known state (docs/async.md has the table). A
          cancelled operation completes with `boost::asio::error::operation_aborted`,
          exactly once, never by an exception.
        - Lifetimes: the operation keeps what it uses; the client may be moved, and its
          destruction cancels the operation. `name` and `input` are copied at initiation
          (the input into the request body), so a deferred token (`asio::deferred`) may
          be started after they are gone; the request is built when it is launched.
        - Name and input are checked at once; a refused input completes with its error
          without sending anything. */
    template <api_function F, class Token>
        requires async_transport<Transport>
    auto async_create(task_name name, typename F::input_type const& input, Token&& token)
    {
        return run_async(
            [name, body = detail::checked_put_body(input)](engine_type& e) mutable {
                return request(e, http_method::put, F::name, name, std::move(body));
            },
            &detail::read_created<F>, std::forward<Token>(token));
    }

    /// On g++ 12, refuses a temporary input awaited in a coroutine (the compiler would
    /// destroy it twice) with a message that says to name it first.
    template <api_function F, class Token>
        requires(async_transport<Transport> && detail::co_await_destroys_temporaries_twice &&
                 detail::resumes_coroutine<std::remove_cvref_t<Token>>::value)
    void async_create(task_name, typename F::input_type&&, Token&&)
    {
        static_assert(detail::dependent_false<Token>,
                      "mturk::crowd: g++ before 13 destroys a temporary in a co_await expression twice; "
                      "name the input first: auto const input = ...; co_await client.async_create<F>(name, input, token)");
    }

    /// Refuses the input of another function with a message that says so.
    template <api_function F, class Input, class Token>
        requires(!std::same_as<std::remove_cvref_t<Input>, typename F::input_type>)
    void async_create(task_name, Input const&, Token&&)
    {
        static_assert(detail::dependent_false<Input>,
                      "mturk::crowd: this input is not the input_type of the function the task is created for; "
                      "each function takes only its own F::input_type");
    }

    /// `get<F>` asynchronously: completes with `void(result<task<F>>)`; executor,
    /// cancellation and lifetimes as `async_create`.
    template <api_function F, class Token>
        requires async_transport<Transport>
    auto async_get(task_name name, Token&& token)
    {
        return run_async([name](engine_type& e) { return request(e, http_method::get, F::name, name); },
                         &detail::read_task<F>, std::forward<Token>(token));
    }

    /// `remove<F>` asynchronously: completes with `void(result<void>)`; the rules of
    /// `remove`, and executor, cancellation and lifetimes as `async_create`.
    template <api_function F, class Token>
        requires async_transport<Transport>
    auto async_remove(task_name name, Token&& token)
    {
        return run_async([name](engine_type& e) { return request(e, http_method::delete_, F::name, name); },
                         &detail::read_removed, std::forward<Token>(token));
    }

    /// `wait<F>` asynchronously, pausing on a timer: completes with
    /// `void(result<task<F>>)`; `options` is copied (its `on_poll` is called on the
    /// transport's executor); executor, cancellation and lifetimes as `async_create`.
    template <api_function F, class Token>
        requires async_transport<Transport>
    auto async_wait(task_name name, wait_options options, Token&& token)
    {
        return run_async(
            [name, options = std::move(options)](engine_type& e) mutable {
                return wait_operation(e, F::name, name, std::move(options), &detail::polled_state<F>);
            },
            &detail::read_task<F>, std::forward<Token>(token));
    }

    /// The untyped four, asynchronously: a function named at run time, JSON in and out.
    template <class Token>
        requires async_transport<Transport>
    auto async_create(std::string_view function, task_name name, boost::json::value const& input, Token&& token)
    {
        return run_async(
            [function = std::string(function), name, body = detail::untyped_put_body(input)](engine_type& e) mutable {
                return untyped_request(e, http_method::put, function, name, std::move(body));
            },
            &detail::read_created<untyped_function>, std::forward<Token>(token));
    }
    template <class Token>
        requires async_transport<Transport>
    auto async_get(std::string_view function, task_name name, Token&& token)
    {
        return run_async([function = std::string(function),
                          name](engine_type& e) { return untyped_request(e, http_method::get, function, name); },
                         &detail::read_task<untyped_function>, std::forward<Token>(token));
    }
    template <class Token>
        requires async_transport<Transport>
    auto async_remove(std::string_view function, task_name name, Token&& token)
    {
        return run_async([function = std::string(function),
                          name](engine_type& e) { return untyped_request(e, http_method::delete_, function, name); },
                         &detail::read_removed, std::forward<Token>(token));
    }
    template <class Token>
        requires async_transport<Transport>
    auto async_wait(std::string_view function, task_name name, wait_options options, Token&& token)
    {
        return run_async(
            [function = std::string(function), name, options = std::move(options)](engine_type& e) mutable {
                return wait_operation(e, function, name, std::move(options), &detail::polled_state<untyped_function>);
            },
            &detail::read_task<untyped_function>, std::forward<Token>(token));
    }

    Transport& transport() noexcept { return state_->transport; }
    Clock& clock() noexcept { return engine().clock(); }
    RetryPolicy& retry_policy() noexcept { return engine().retry_policy(); }
    endpoint const& service_endpoint() const noexcept { return state_->engine.service_endpoint(); }
    /// What the client adds to its clock when signing, learnt from a refusal for skew.
    std::chrono::milliseconds clock_offset() const noexcept { return state_->engine.clock_offset(); }
    std::string const& user_agent() const noexcept { return state_->engine.user_agent(); }
    /// What the client has sent so far, by all its operations: attempts, retries, throttled answers.
    request_statistics statistics() const noexcept { return state_->engine.statistics(); }

private:
    friend struct detail::access;
    using state_type = detail::client_state<Transport, engine_type>;
    using request_type = detail::request_operation<engine_type>;
    using wait_type = detail::wait_operation<engine_type>;

    explicit basic_client(std::shared_ptr<state_type> state) : state_(std::move(state)) {}

    engine_type& engine() noexcept { return state_->engine; }

    void cancel_running() noexcept
    {
        if constexpr (async_transport<Transport>) {
            if (state_)
                state_->operations.cancel_all();
        }
    }

    // The operations end with the service's answer whatever the function (so that they
    // are compiled once per client type); the calls above read it as the function's types.
    using answer = result<detail::final_answer>;

    template <class Operation>
    answer run(Operation op)
    {
        return detail::run_sync(std::move(op), state_->transport, engine().clock());
    }

    /** Starts an asynchronous operation: `make` builds it when the operation is launched
        (at once, or when a deferred token is started), so that its invocation id and a
        wait's deadline are those of its start. */
    template <class Typed, class MakeOperation, class Token>
    auto run_async(MakeOperation make, Typed (*read)(answer const&), Token&& token)
    {
        return detail::async_runner<Transport>::run(state_, std::move(make), read, std::forward<Token>(token));
    }

    // A descriptor's name was checked when it compiled; one given at run time is checked here.
    static request_type request(engine_type& e, http_method method, std::string_view function, task_name const& name,
                                result<std::string> body = std::string())
    {
        return detail::make_request(e, method, function, name, std::move(body));
    }

    static request_type untyped_request(engine_type& e, http_method method, std::string_view function,
                                        task_name const& name, result<std::string> body = std::string())
    {
        if (auto checked = detail::check_function(function); !checked)
            return request(e, method, function, name, checked.error());  // refused, and told as a call
        return request(e, method, function, name, std::move(body));
    }

    static wait_type wait_operation(engine_type& e, std::string_view function, task_name const& name,
                                    wait_options options, detail::poll_state_reader read_state)
    {
        return {e, function, name, std::move(options), read_state};
    }

    std::shared_ptr<state_type> state_;  // null only in a moved-from client
};

}  // namespace mturk::crowd

#endif
