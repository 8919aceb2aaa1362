// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_ENGINE_ASYNC_RUNNER_HPP
#define MTURK_CROWD_ENGINE_ASYNC_RUNNER_HPP

#include <mturk/crowd/engine/client_engine.hpp>
#include <mturk/crowd/engine/coroutine_tokens.hpp>
#include <mturk/crowd/transport/concepts.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/associator.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <utility>

/* The asynchronous runner of the client's operations: the same sans-I/O operations as the
   synchronous calls (detail/client_engine.hpp), with the transport's async_send for the
   exchanges and a timer for the pauses. Any Asio completion token: callbacks, use_future,
   use_awaitable, deferred.

   Written as a plain callback state machine, not a coroutine: it checks whether it was
   asked to stop after every step it resumes (as Boost.MySQL's engine does), so that a
   cancellation ends the operation with `operation_aborted`, exactly once, and never as an
   exception out of `io_context::run()` (what co_spawn's throw-if-cancelled did). */
namespace mturk::crowd::detail {

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

/** One asynchronous operation on its way: the engine's state machine, the shared client
    state it runs against (kept alive until it completes), the timer of its pauses, and
    the cancellation it was asked for.

    Cancellation: the caller's slot (and the client's destruction, as terminal) reach
    `cancel()`. Terminal is honoured at every step: a pause stops at once; an exchange
    under way is cancelled in the transport, and the operation completes with
    `operation_aborted` unless the answer it was reading has arrived and ends the
    operation. Partial and total are honoured where stopping leaves a known state
    (`can_stop_cleanly`: a read, or a request none of whose attempts may have been acted
    on): during a pause at once, during an exchange once it is over. */
template <class State, class Operation>
class running_operation : public std::enable_shared_from_this<running_operation<State, Operation>> {
public:
    using result_type = typename Operation::result_type;
    using handler_type = boost::asio::any_completion_handler<void(result_type)>;

    static void start(std::shared_ptr<State> state, Operation op, handler_type handler)
    {
        auto running = std::make_shared<running_operation>(std::move(state), std::move(op), std::move(handler));
        running->launch();
    }

    running_operation(std::shared_ptr<State> state, Operation op, handler_type handler)
        : state_(std::move(state)), op_(std::move(op)), handler_(std::move(handler)),
          timer_(state_->transport.get_executor()),
          // A work guard on the handler's executor: it has work until the handler has run.
          handler_work_(boost::asio::prefer(boost::asio::get_associated_executor(handler_, timer_.get_executor()),
                                            boost::asio::execution::outstanding_work.tracked))
    {
    }

    running_operation(running_operation const&) = delete;
    running_operation& operator=(running_operation const&) = delete;

    /// Destroyed unfinished only with its executor's pending handlers: the client no
    /// longer has it to cancel.
    ~running_operation()
    {
        if (!finished_ && registration_ != 0)
            state_->operations.remove(registration_);
    }

    /// Asks the operation to stop (on its executor, as Asio's cancellation slots are emitted).
    void cancel(boost::asio::cancellation_type type)
    {
        using boost::asio::cancellation_type;
        if (finished_)
            return;
        requested_ |= type;
        bool const terminal = (type & cancellation_type::terminal) != cancellation_type::none;
        if (phase_ == phase::sending && terminal)
            exchange_signal_.emit(cancellation_type::terminal);
        else if (phase_ == phase::pausing && stop_requested())
            timer_.cancel();
        else if (phase_ == phase::fetching && stop_requested())  // nothing sent: stop now, ignore the fetch's end
            boost::asio::post(executor(), [running = this->shared_from_this()] {
                running->finish(aborted("cancelled while waiting for credentials"));
            });
    }

private:
    enum class phase { starting, fetching, sending, pausing, between };

    // The caller may emit from outside the executor: the operation's state is only ever
    // touched on it (at once when emitted there).
    struct slot_forwarder {
        std::weak_ptr<running_operation> operation;
        boost::asio::any_io_executor executor;
        void operator()(boost::asio::cancellation_type type) const
        {
            boost::asio::dispatch(executor, [operation = operation, type] {
                if (auto running = operation.lock())
                    running->cancel(type);
            });
        }
    };

    auto executor() { return timer_.get_executor(); }

    void launch()
    {
        std::weak_ptr<running_operation> self = this->weak_from_this();
        caller_slot_ = boost::asio::get_associated_cancellation_slot(handler_);
        if (caller_slot_.is_connected())
            caller_slot_.template emplace<slot_forwarder>(slot_forwarder{self, executor()});
        registration_ = state_->operations.add([self, ex = executor()] {
            // An operation whose handlers were destroyed (its io_context is gone) is not
            // posted to: its executor may be gone with it.
            if (self.expired())
                return;
            boost::asio::post(ex, [self] {
                if (auto running = self.lock())
                    running->cancel(boost::asio::cancellation_type::terminal);
            });
        });
        if (registration_ == 0)  // the client is being destroyed
            requested_ |= boost::asio::cancellation_type::terminal;
        // Never completes inside the initiating function: the first step runs from the executor.
        boost::asio::post(executor(), [running = this->shared_from_this()] { running->advance(running->op_.start()); });
    }

    bool stop_requested() const noexcept
    {
        using boost::asio::cancellation_type;
        if ((requested_ & cancellation_type::terminal) != cancellation_type::none)
            return true;
        return (requested_ & (cancellation_type::partial | cancellation_type::total)) != cancellation_type::none &&
               op_.can_stop_cleanly();
    }

    void advance(engine_step step)
    {
        namespace asio = boost::asio;
        if (step.what == engine_step::done)
            return finish(op_.take_result());
        if (stop_requested())
            return finish(aborted(phase_ == phase::starting ? "cancelled before the first request was sent"
                                                            : "cancelled between attempts"));
        if (step.what == engine_step::credentials) {
            // Fetched on the engine's own thread (the network, a process): the executor
            // goes on meanwhile, and this operation resumes on it.
            phase_ = phase::fetching;
            state_->engine.fetch_credentials_beside(
                [running = this->shared_from_this(), ex = executor()](result<sigv4::credentials> creds) mutable {
                    boost::asio::post(ex, [running, creds = std::move(creds)]() mutable {
                        running->on_credentials(std::move(creds));
                    });
                });
            return;
        }
        if (step.what == engine_step::send) {
            phase_ = phase::sending;
            state_->transport.async_send(
                op_.request(), asio::bind_cancellation_slot(
                                   exchange_signal_.slot(), [running = this->shared_from_this()](
                                                                result<http_response> response) mutable {
                                       running->on_response(std::move(response));
                                   }));
            return;
        }
        phase_ = phase::pausing;
        timer_.expires_after(step.delay);
        timer_.async_wait([running = this->shared_from_this()](boost::system::error_code ec) {
            running->on_paused(ec);
        });
    }

    void on_response(result<http_response> response)
    {
        using boost::asio::cancellation_type;
        phase_ = phase::between;
        if (!response && (requested_ & cancellation_type::terminal) != cancellation_type::none)
            // The exchange was cut short: the request may or may not have reached the service.
            return finish(aborted("cancelled during an exchange (the request may have been acted on)")
                              .set_progress(response.error().progress()));
        // An answer is judged even when a stop was asked for meanwhile: the retry quota and
        // the clock offset learn from it, and an answer that ends the operation is its result.
        advance(op_.on_response(std::move(response)));
    }

    void on_credentials(result<sigv4::credentials> creds)
    {
        if (finished_)
            return;
        phase_ = phase::between;
        if (stop_requested())
            return finish(aborted("cancelled while waiting for credentials"));
        advance(op_.on_credentials(std::move(creds)));
    }

    void on_paused(boost::system::error_code ec)
    {
        phase_ = phase::between;
        if (ec || stop_requested())
            return finish(aborted("cancelled while pausing between attempts or polls"));
        advance(op_.on_paused());
    }

    static error aborted(std::string detail)
    {
        return error(boost::asio::error::operation_aborted, std::move(detail));
    }

    void finish(result_type r)
    {
        if (finished_)
            return;
        finished_ = true;
        op_.report_end(r);  // the call hooks hear its end once, aborted ones too
        if (caller_slot_.is_connected())
            caller_slot_.clear();
        if (registration_ != 0)
            state_->operations.remove(registration_);
        // On the handler's own executor; `handler_work_` is released once it has run.
        auto handler_executor = handler_work_;
        boost::asio::dispatch(handler_executor, [h = std::move(handler_), r = std::move(r),
                                                 work = std::move(handler_work_)]() mutable {
            std::move(h)(std::move(r));
        });
    }

    std::shared_ptr<State> state_;
    Operation op_;
    handler_type handler_;
    boost::asio::steady_timer timer_;
    decltype(boost::asio::prefer(std::declval<boost::asio::associated_executor_t<handler_type,
                                                                                 boost::asio::steady_timer::executor_type>>(),
                                 boost::asio::execution::outstanding_work.tracked)) handler_work_;
    boost::asio::cancellation_slot caller_slot_;
    boost::asio::cancellation_signal exchange_signal_;  // reaches the transport's exchange
    boost::asio::cancellation_type requested_ = boost::asio::cancellation_type::none;
    phase phase_ = phase::starting;
    std::uint64_t registration_ = 0;
    bool finished_ = false;
};

template <class Executor>
struct resumes_coroutine<boost::asio::use_awaitable_t<Executor>> : std::true_type {};
template <class Token>
struct resumes_coroutine<boost::asio::as_tuple_t<Token>> : resumes_coroutine<Token> {};
template <class Token>
struct resumes_coroutine<boost::asio::redirect_error_t<Token>> : resumes_coroutine<Token> {};

template <class Transport>
    requires async_transport<Transport>
struct async_runner<Transport> {
    /** Starts the operation `make(engine)` builds, on the transport's executor; completes
        `token` with `read(answer)`. `make` runs when the operation is launched (at once,
        or when a deferred one is started). Only the initiation is compiled per function
        and token: the operation runs behind an `any_completion_handler`, so its state
        machine is compiled once per client type. */
    template <class State, class MakeOperation, class Typed, class Answer, class Token>
    static auto run(std::shared_ptr<State> state, MakeOperation make, Typed (*read)(Answer const&), Token&& token)
    {
        return boost::asio::async_initiate<Token, void(Typed)>(
            [](auto handler, std::shared_ptr<State> s, MakeOperation m, auto r) {
                using handler_type = reading_handler<decltype(handler), decltype(r)>;
                auto op = m(s->engine);
                using operation_type = decltype(op);
                running_operation<State, operation_type>::start(
                    std::move(s), std::move(op),
                    boost::asio::any_completion_handler<void(typename operation_type::result_type)>(
                        handler_type{std::move(handler), r}));
            },
            token, std::move(state), std::move(make), read);
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
