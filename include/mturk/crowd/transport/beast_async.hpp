// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TRANSPORT_BEAST_ASYNC_HPP
#define MTURK_CROWD_TRANSPORT_BEAST_ASYNC_HPP

#include <mturk/crowd/transport/beast.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <memory>
#include <optional>
#include <type_traits>

/* Asynchronous operations with any Asio completion token: callbacks, use_future,
   use_awaitable, deferred. They drive the client's own steps (start_request,
   sign_attempt, judge), so signing, the status mapping, retries and clock skew are those
   of the synchronous calls. Each operation completes on its handler's executor and can
   be cancelled through the token's cancellation slot, during a back-off too. */
namespace mturk::crowd::transport {

/** HTTPS (or plain HTTP) over Boost.Beast on the caller's executor: `async_send` only.
    One kept-alive connection, re-opened when stale; the options and certificate checks of
    `beast_transport`. Operations on one transport must not overlap. */
class async_beast_transport {
public:
    using is_async_transport = std::true_type;
    using executor_type = boost::asio::any_io_executor;

    static result<async_beast_transport> make(executor_type executor, endpoint where, beast_options options = {},
                                              sigv4::environment env = sigv4::process_environment())
    {
        auto tls = detail::make_tls_context(where, options, env);
        if (!tls)
            return tls.error();
        return async_beast_transport(std::move(executor), std::move(where), std::move(options), std::move(*tls));
    }

    executor_type get_executor() const noexcept { return state_->executor; }
    endpoint const& where() const noexcept { return state_->where; }
    std::size_t connections_opened() const noexcept { return state_->opened; }

    /// Sends one request; completes with `void(result<http_response>)`.
    template <class Token>
    auto async_send(http_request request, Token&& token)
    {
        return run_as_operation<result<http_response>>(state_->executor, send_coroutine(state_, std::move(request)),
                                                       std::forward<Token>(token));
    }

    /// Adapts an awaitable to any completion token, on `executor`, forwarding the token's
    /// cancellation slot and completing on the handler's own executor.
    template <class Result, class Token>
    static auto run_as_operation(executor_type executor, boost::asio::awaitable<Result> work, Token&& token)
    {
        return boost::asio::async_initiate<Token, void(Result)>(
            [executor](auto handler, boost::asio::awaitable<Result> w) {
                auto slot = boost::asio::get_associated_cancellation_slot(handler);
                auto handler_executor = boost::asio::get_associated_executor(handler, executor);
                auto done = [h = std::move(handler), handler_executor](std::exception_ptr failure,
                                                                       std::optional<Result> r) mutable {
                    if (failure)  // only allocation can throw in these coroutines
                        std::rethrow_exception(failure);
                    boost::asio::dispatch(handler_executor, [h = std::move(h), r = std::move(r)]() mutable {
                        std::move(h)(std::move(*r));
                    });
                };
                boost::asio::co_spawn(executor, as_optional(std::move(w)),
                                      boost::asio::bind_cancellation_slot(slot, std::move(done)));
            },
            token, std::move(work));
    }

private:
    using tcp = boost::asio::ip::tcp;
    using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

    // co_spawn (Boost 1.81) default-constructs the value on its exception path; a task
    // result has no default, an optional of it does.
    template <class Result>
    static boost::asio::awaitable<std::optional<Result>> as_optional(boost::asio::awaitable<Result> work)
    {
        co_return co_await std::move(work);
    }

    struct state {
        executor_type executor;
        endpoint where;
        beast_options options;
        std::shared_ptr<boost::asio::ssl::context> tls;
        std::unique_ptr<boost::beast::tcp_stream> plain;
        std::unique_ptr<tls_stream> secure;
        boost::beast::flat_buffer buffer;
        std::size_t opened = 0;

        bool connected() const noexcept { return plain || secure; }
        boost::beast::tcp_stream& lowest() { return secure ? boost::beast::get_lowest_layer(*secure) : *plain; }
        void close()
        {
            if (connected()) {
                boost::system::error_code ignored;
                lowest().socket().close(ignored);
            }
            secure.reset();
            plain.reset();
            buffer.clear();
        }
    };

    async_beast_transport(executor_type executor, endpoint where, beast_options options,
                          std::shared_ptr<boost::asio::ssl::context> tls)
        : state_(std::make_shared<state>())
    {
        state_->executor = std::move(executor);
        state_->where = std::move(where);
        state_->options = std::move(options);
        state_->tls = std::move(tls);
    }

    /** Resolves the host before `deadline`. getaddrinfo cannot be interrupted, so the
        coroutine waits on a timer that the lookup's handler (holding only shared state)
        fires early; on time-out the lookup is left to finish on its own. */
    static boost::asio::awaitable<result<tcp::resolver::results_type>> resolve(
        std::shared_ptr<state> s, std::chrono::steady_clock::time_point deadline)
    {
        namespace asio = boost::asio;
        struct lookup {
            explicit lookup(executor_type e) : wake(std::move(e)) {}
            asio::steady_timer wake;
            boost::system::error_code ec;
            tcp::resolver::results_type results;
            bool done = false;
        };
        auto state = std::make_shared<lookup>(s->executor);
        state->wake.expires_at(deadline);
        tcp::resolver resolver(s->executor);
        resolver.async_resolve(s->where.host, std::to_string(s->where.port),
                               [state](boost::system::error_code ec, tcp::resolver::results_type results) {
                                   state->ec = ec;
                                   state->results = std::move(results);
                                   state->done = true;
                                   // Ends the wait below, even one not yet started.
                                   state->wake.expires_at(asio::steady_timer::time_point::min());
                               });
        boost::system::error_code waited;
        co_await state->wake.async_wait(asio::redirect_error(asio::use_awaitable, waited));
        auto const limit = s->options.connect_timeout;
        if (!state->done)
            co_return detail::connection_failure("resolving", s->where,
                                                 waited ? waited : boost::beast::error::timeout, limit,
                                                 request_progress::not_sent);
        if (state->ec)
            co_return detail::connection_failure("resolving", s->where, state->ec, limit, request_progress::not_sent);
        co_return std::move(state->results);
    }

    static boost::asio::awaitable<result<void>> open(std::shared_ptr<state> s)
    {
        namespace asio = boost::asio;
        boost::system::error_code ec;
        // The connect timeout covers the DNS lookup and the TCP connect together.
        auto const deadline = std::chrono::steady_clock::now() + s->options.connect_timeout;
        auto endpoints = co_await resolve(s, deadline);
        if (!endpoints)
            co_return endpoints.error();
        auto stream = std::make_unique<boost::beast::tcp_stream>(s->executor);
        stream->expires_at(deadline);
        co_await stream->async_connect(*endpoints, asio::redirect_error(asio::use_awaitable, ec));
        if (ec)
            co_return detail::connection_failure("connecting to", s->where, ec, s->options.connect_timeout,
                                                 request_progress::not_sent);
        // A request goes out in one write and its answer comes back before the next:
        // Nagle's algorithm could only delay it.
        stream->socket().set_option(tcp::no_delay(true), ec);
        ++s->opened;
        if (!s->where.secure) {
            s->plain = std::move(stream);
            co_return result<void>{};
        }
        auto secure = std::make_unique<tls_stream>(std::move(*stream), *s->tls);
        if (auto prepared = detail::prepare_tls(*secure, s->where, s->options); !prepared)
            co_return prepared;
        boost::beast::get_lowest_layer(*secure).expires_after(s->options.handshake_timeout);
        co_await secure->async_handshake(asio::ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
        if (ec)
            co_return detail::handshake_failure(*secure, s->where, ec, s->options.handshake_timeout);
        s->secure = std::move(secure);
        co_return result<void>{};
    }

    template <class Stream>
    static boost::asio::awaitable<result<http_response>> exchange(std::shared_ptr<state> s, Stream& stream,
                                                                  http_request const& request, bool& started,
                                                                  bool& keep_alive)
    {
        namespace asio = boost::asio;
        namespace http = boost::beast::http;
        boost::system::error_code ec;
        auto message = detail::to_beast(request);
        auto const limit = s->options.request_timeout;
        s->lowest().expires_after(limit);
        std::size_t const written =
            co_await http::async_write(stream, message, asio::redirect_error(asio::use_awaitable, ec));
        if (ec)
            co_return detail::connection_failure("sending to", s->where, ec, limit,
                                                 written == 0 ? request_progress::not_sent
                                                              : request_progress::sent_no_answer);
        http::response_parser<http::string_body> parser;
        parser.body_limit(s->options.max_response_bytes);
        co_await http::async_read_header(stream, s->buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        if (ec)
            co_return detail::connection_failure("reading the response of", s->where, ec, limit,
                                                 request_progress::sent_no_answer);
        started = true;
        co_await http::async_read(stream, s->buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        if (ec)
            co_return detail::connection_failure("reading the response of", s->where, ec, limit,
                                                 request_progress::sent_no_answer);
        keep_alive = parser.get().keep_alive();
        co_return detail::from_beast(parser.get());
    }

    static boost::asio::awaitable<result<http_response>> send_coroutine(std::shared_ptr<state> s, http_request request)
    {
        if (s->connected() && !detail::idle_connection_is_open(s->lowest().socket()))
            s->close();  // closed by the server while idle: nothing was sent on it
        bool reused = s->connected();
        bool earlier_copy_sent = false;
        for (int round = 0;; ++round) {
            if (!s->connected()) {
                if (auto opened = co_await open(s); !opened)
                    co_return opened.error();
                reused = false;
            }
            bool started = false;
            bool keep_alive = false;
            // Not a conditional expression: g++ 12 destroys temporaries of a co_await in
            // both arms of one twice.
            result<http_response> response = error(errc::invalid_request);
            if (s->secure)
                response = co_await exchange(s, *s->secure, request, started, keep_alive);
            else
                response = co_await exchange(s, *s->plain, request, started, keep_alive);
            if (response) {
                if (!keep_alive)
                    s->close();
                response->resent = earlier_copy_sent;
                co_return response;
            }
            s->close();
            if (reused && !started && round == 0 && detail::is_stale(response.error().code())) {
                earlier_copy_sent = response.error().progress() != request_progress::not_sent;
                continue;
            }
            co_return response;
        }
    }

    std::shared_ptr<state> state_;  // shared with the running operation, so the transport may move meanwhile
};

}  // namespace mturk::crowd::transport

namespace mturk::crowd {

/// The client for asynchronous programs: `async_create`, `async_get`, `async_remove`, `async_wait`.
using async_client = basic_client<transport::async_beast_transport, system_clock, aws_retry>;

/// Makes an `async_client` running on `executor`. Errors: `errc::invalid_configuration`.
inline result<async_client> make_async_client(boost::asio::any_io_executor executor, client_config config,
                                              transport::beast_options options = {})
{
    auto where = resolve_endpoint(config.endpoint, config.region, config.env);
    if (!where)
        return where.error();
    auto transport = transport::async_beast_transport::make(std::move(executor), *where, std::move(options), config.env);
    if (!transport)
        return transport.error();
    auto retry = aws_retry::from_environment(config.env);
    if (!retry)
        return retry.error();
    return async_client::make(std::move(config), std::move(*transport), system_clock{}, std::move(*retry));
}

namespace detail {

/// Waits `d` on `timer`; false when the wait was cancelled (through the token's slot).
inline boost::asio::awaitable<bool> pause_for(boost::asio::steady_timer& timer, std::chrono::milliseconds d)
{
    boost::system::error_code ec;
    timer.expires_after(d);
    co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    co_return !ec;
}

/// One request with retries, driving the client's steps as the synchronous `send` does,
/// waiting on a timer (cancellable) instead of the clock.
template <class Client>
boost::asio::awaitable<result<http_response>> send_async(Client& client, typename Client::pending_request& pending)
{
    namespace asio = boost::asio;
    asio::steady_timer timer(client.transport().get_executor());
    for (;;) {
        if (auto const pause = client.pace_attempt(); pause.count() > 0)
            if (!co_await pause_for(timer, pause))
                co_return error(asio::error::operation_aborted, "cancelled while the rate limiter held the request");
        if (auto signed_ok = client.sign_attempt(pending); !signed_ok)
            co_return signed_ok.error();
        auto response = co_await client.transport().async_send(pending.message, asio::use_awaitable);
        auto const step = client.judge(pending, response);
        switch (step.what) {
        case Client::next_step::finished: co_return response;
        case Client::next_step::failed: co_return *step.failure;
        case Client::next_step::resend_now: break;
        case Client::next_step::wait_then_resend:
            if (!co_await pause_for(timer, step.delay))
                co_return error(asio::error::operation_aborted, "cancelled while waiting to retry");
            break;
        }
    }
}

template <api_function F, class Client>
boost::asio::awaitable<result<created_task<F>>> create_async(Client& c, std::string function, task_name n,
                                                             result<std::string> body)
{
    if (!body)
        co_return body.error();
    auto pending = c.start_request(http_method::put, function, n, std::move(*body));
    auto response = co_await send_async(c, pending);
    if (!response)
        co_return response.error();
    co_return Client::template read_created<F>(*response, pending.maybe_acted_on);
}

template <api_function F, class Client>
boost::asio::awaitable<result<task<F>>> get_async(Client& c, std::string function, task_name n,
                                                  std::optional<std::chrono::milliseconds>* retry_after = nullptr)
{
    auto pending = c.start_request(http_method::get, function, n, {});
    auto response = co_await send_async(c, pending);
    if (retry_after)
        *retry_after = pending.retry_after;
    if (!response)
        co_return response.error();
    co_return Client::template read_task<F>(*response);
}

template <class Client>
boost::asio::awaitable<result<void>> remove_async(Client& c, std::string function, task_name n)
{
    auto pending = c.start_request(http_method::delete_, function, n, {});
    auto response = co_await send_async(c, pending);
    if (!response)
        co_return response.error();
    co_return result<void>{};
}

template <api_function F, class Client>
boost::asio::awaitable<result<task<F>>> wait_async(Client& c, std::string function, task_name n, wait_options o)
{
    boost::asio::steady_timer timer(c.transport().get_executor());
    auto progress = c.begin_wait(o);
    for (;;) {
        std::optional<std::chrono::milliseconds> retry_after;
        auto polled = co_await get_async<F>(c, function, n, &retry_after);
        if (!polled && polled.error() == boost::asio::error::operation_aborted)
            co_return polled;  // cancelled inside the poll: the wait ends with it
        auto step = c.template judge_poll<F>(progress, n, o, std::move(polled), retry_after);
        if (step.outcome)
            co_return std::move(*step.outcome);
        if (!co_await pause_for(timer, step.pause))
            co_return error(boost::asio::error::operation_aborted, "cancelled while waiting for task " + std::string(n.view()));
    }
}

/// An operation that fails at once (a bad function name), completing like the others.
template <class Result>
boost::asio::awaitable<Result> failed_at_once(error e)
{
    co_return e;
}

}  // namespace detail

/// `create<F>` asynchronously; completes with `void(result<created_task<F>>)`.
template <api_function F, class Client, class Token>
    requires async_transport<std::remove_cvref_t<decltype(std::declval<Client&>().transport())>>
auto async_create(Client& client, task_name name, typename F::input_type const& input, Token&& token)
{
    result<std::string> body = put_body<F>(input);
    if constexpr (requires { input.validate(); }) {
        if (auto checked = input.validate(); !checked)
            body = checked.error();
    }
    return transport::async_beast_transport::run_as_operation<result<created_task<F>>>(
        client.transport().get_executor(), detail::create_async<F>(client, std::string(F::name), name, std::move(body)),
        std::forward<Token>(token));
}

/// Refuses the input of another function with a message that says so.
template <api_function F, class Client, class Input, class Token>
    requires(!std::same_as<std::remove_cvref_t<Input>, typename F::input_type>)
void async_create(Client&, task_name, Input const&, Token&&)
{
    static_assert(crowd::detail::dependent_false<Input>,
                  "mturk::crowd: this input is not the input_type of the function the task is created for; "
                  "each function takes only its own F::input_type");
}

/// `get<F>` asynchronously; completes with `void(result<task<F>>)`.
template <api_function F, class Client, class Token>
    requires async_transport<std::remove_cvref_t<decltype(std::declval<Client&>().transport())>>
auto async_get(Client& client, task_name name, Token&& token)
{
    return transport::async_beast_transport::run_as_operation<result<task<F>>>(
        client.transport().get_executor(), detail::get_async<F>(client, std::string(F::name), name),
        std::forward<Token>(token));
}

/// `remove<F>` asynchronously; completes with `void(result<void>)`.
template <api_function F, class Client, class Token>
    requires async_transport<std::remove_cvref_t<decltype(std::declval<Client&>().transport())>>
auto async_remove(Client& client, task_name name, Token&& token)
{
    return transport::async_beast_transport::run_as_operation<result<void>>(
        client.transport().get_executor(), detail::remove_async(client, std::string(F::name), name),
        std::forward<Token>(token));
}

/// `wait<F>` asynchronously: polls on a timer; completes with `void(result<task<F>>)`.
template <api_function F, class Client, class Token>
    requires async_transport<std::remove_cvref_t<decltype(std::declval<Client&>().transport())>>
auto async_wait(Client& client, task_name name, wait_options options, Token&& token)
{
    return transport::async_beast_transport::run_as_operation<result<task<F>>>(
        client.transport().get_executor(), detail::wait_async<F>(client, std::string(F::name), name, options),
        std::forward<Token>(token));
}

/// The untyped four: a function named at run time, JSON in and out.
template <class Client, class Token>
    requires async_transport<std::remove_cvref_t<decltype(std::declval<Client&>().transport())>>
auto async_create(Client& client, std::string_view function, task_name name, boost::json::value const& input,
                  Token&& token)
{
    using R = result<created_task<untyped_function>>;
    auto const checked = Client::check_function(function);
    auto work = checked ? detail::create_async<untyped_function>(client, std::string(function), name,
                                                                 Client::untyped_put_body(input))
                        : detail::failed_at_once<R>(checked.error());
    return transport::async_beast_transport::run_as_operation<R>(client.transport().get_executor(), std::move(work),
                                                                 std::forward<Token>(token));
}

template <class Client, class Token>
    requires async_transport<std::remove_cvref_t<decltype(std::declval<Client&>().transport())>>
auto async_get(Client& client, std::string_view function, task_name name, Token&& token)
{
    using R = result<task<untyped_function>>;
    auto const checked = Client::check_function(function);
    auto work = checked ? detail::get_async<untyped_function>(client, std::string(function), name)
                        : detail::failed_at_once<R>(checked.error());
    return transport::async_beast_transport::run_as_operation<R>(client.transport().get_executor(), std::move(work),
                                                                 std::forward<Token>(token));
}

template <class Client, class Token>
    requires async_transport<std::remove_cvref_t<decltype(std::declval<Client&>().transport())>>
auto async_remove(Client& client, std::string_view function, task_name name, Token&& token)
{
    auto const checked = Client::check_function(function);
    auto work = checked ? detail::remove_async(client, std::string(function), name)
                        : detail::failed_at_once<result<void>>(checked.error());
    return transport::async_beast_transport::run_as_operation<result<void>>(
        client.transport().get_executor(), std::move(work), std::forward<Token>(token));
}

template <class Client, class Token>
    requires async_transport<std::remove_cvref_t<decltype(std::declval<Client&>().transport())>>
auto async_wait(Client& client, std::string_view function, task_name name, wait_options options, Token&& token)
{
    using R = result<task<untyped_function>>;
    auto const checked = Client::check_function(function);
    auto work = checked ? detail::wait_async<untyped_function>(client, std::string(function), name, options)
                        : detail::failed_at_once<R>(checked.error());
    return transport::async_beast_transport::run_as_operation<R>(client.transport().get_executor(), std::move(work),
                                                                 std::forward<Token>(token));
}

}  // namespace mturk::crowd

#endif
