// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TRANSPORT_ASYNC_RUNNER_HPP
#define MTURK_CROWD_TRANSPORT_ASYNC_RUNNER_HPP

#include <mturk/crowd/client.hpp>
#include <mturk/crowd/detail/client_engine.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associator.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <optional>
#include <utility>

/* The asynchronous runner of the client's operations: the same sans-I/O operations as the
   synchronous calls (detail/client_engine.hpp), with the transport's async_send for the
   exchanges and a timer for the pauses. Any Asio completion token: callbacks, use_future,
   use_awaitable, deferred. */
namespace mturk::crowd::detail {

// co_spawn (Boost 1.81) default-constructs the value on its exception path; a task result
// has no default, an optional of it does.
template <class Result>
boost::asio::awaitable<std::optional<Result>> as_optional(boost::asio::awaitable<Result> work)
{
    co_return co_await std::move(work);
}

/** Adapts an awaitable to any completion token: runs it on `executor`, forwards the
    token's cancellation slot, and completes on the handler's own associated executor. */
template <class Result, class Executor, class Token>
auto run_as_operation(Executor executor, boost::asio::awaitable<Result> work, Token&& token)
{
    return boost::asio::async_initiate<Token, void(Result)>(
        [executor](auto handler, boost::asio::awaitable<Result> w) {
            auto slot = boost::asio::get_associated_cancellation_slot(handler);
            auto handler_executor = boost::asio::get_associated_executor(handler, executor);
            auto done = [h = std::move(handler), handler_executor](std::exception_ptr failure,
                                                                   std::optional<Result> r) mutable {
                if (failure)  // only allocation can throw in these coroutines
                    std::rethrow_exception(failure);
                boost::asio::dispatch(handler_executor,
                                      [h = std::move(h), r = std::move(r)]() mutable { std::move(h)(std::move(*r)); });
            };
            boost::asio::co_spawn(executor, as_optional(std::move(w)),
                                  boost::asio::bind_cancellation_slot(slot, std::move(done)));
        },
        token, std::move(work));
}

/** A completion handler that reads the operation's answer as the caller's types before
    calling `handler`; it is `handler` for Asio (executor, cancellation slot, allocator). */
template <class Handler, class Read>
struct reading_handler {
    Handler handler;
    Read read;

    template <class Answer>
    void operator()(Answer&& answer)
    {
        std::move(handler)(read(std::forward<Answer>(answer)));
    }
};

template <class Transport>
    requires async_transport<Transport>
struct async_runner<Transport> {
    /** Starts `op` on the transport's executor; completes `token` with `read(answer)`.
        Only the token's initiation is compiled per function and token: the operation runs
        behind an `any_completion_handler`, so its coroutine is compiled once per client type. */
    template <class Operation, class Typed, class Token>
    static auto run(Transport& transport, Operation op, Typed (*read)(typename Operation::result_type const&),
                    Token&& token)
    {
        return boost::asio::async_initiate<Token, void(Typed)>(
            [&transport](auto handler, Operation op, auto read) {
                using handler_type = reading_handler<decltype(handler), decltype(read)>;
                start(transport, std::move(op),
                      boost::asio::any_completion_handler<void(typename Operation::result_type)>(
                          handler_type{std::move(handler), read}));
            },
            token, std::move(op), read);
    }

private:
    template <class Operation>
    static void start(Transport& transport, Operation op,
                      boost::asio::any_completion_handler<void(typename Operation::result_type)> handler)
    {
        using result_type = typename Operation::result_type;
        run_as_operation<result_type>(transport.get_executor(), drive(transport, std::move(op)), std::move(handler));
    }

    template <class Operation>
    static boost::asio::awaitable<typename Operation::result_type> drive(Transport& transport, Operation op)
    {
        namespace asio = boost::asio;
        asio::steady_timer timer(transport.get_executor());
        for (engine_step step = op.start();;) {
            switch (step.what) {
            case engine_step::send: {
                auto response = co_await transport.async_send(op.request(), asio::use_awaitable);
                step = op.on_response(std::move(response));
                break;
            }
            case engine_step::pause: {
                boost::system::error_code ec;
                timer.expires_after(step.delay);
                co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
                if (ec)  // cancelled through the token's slot
                    co_return error(asio::error::operation_aborted, "cancelled while pausing between attempts");
                step = op.on_paused();
                break;
            }
            case engine_step::done: co_return op.take_result();
            }
        }
    }
};

}  // namespace mturk::crowd::detail

namespace boost::asio {

/// A reading handler is its inner handler for Asio's associations (as `executor_binder` is).
template <template <class, class> class Associator, class Handler, class Read, class DefaultCandidate>
struct associator<Associator, mturk::crowd::detail::reading_handler<Handler, Read>, DefaultCandidate> {
    using type = typename Associator<Handler, DefaultCandidate>::type;

    static type get(mturk::crowd::detail::reading_handler<Handler, Read> const& h) noexcept
    {
        return Associator<Handler, DefaultCandidate>::get(h.handler);
    }
    static auto get(mturk::crowd::detail::reading_handler<Handler, Read> const& h, DefaultCandidate const& c) noexcept
        -> decltype(Associator<Handler, DefaultCandidate>::get(h.handler, c))
    {
        return Associator<Handler, DefaultCandidate>::get(h.handler, c);
    }
};

}  // namespace boost::asio

#endif
