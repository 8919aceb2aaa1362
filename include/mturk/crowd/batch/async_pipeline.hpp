// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_BATCH_ASYNC_PIPELINE_HPP
#define MTURK_CROWD_BATCH_ASYNC_PIPELINE_HPP

#include <mturk/crowd/async_operations.hpp>
#include <mturk/crowd/batch/detail/pipeline_core.hpp>
#include <mturk/crowd/batch/detail/task_calls.hpp>
#include <mturk/crowd/batch/pipeline_types.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

/* The batch pipeline over one asynchronous client: `batch::async_run`. The tasks go
   through the client's connection pool and engine, so its adaptive rate limiter (in the
   adaptive retry mode) paces every request of the batch together. */
namespace mturk::crowd::batch {

namespace detail {

/** One running batch: the bookkeeping (`pipeline_core`), the requests in flight with a
    cancellation signal each, one timer for the next due poll, all on one strand over the
    client's executor. It holds the client's shared block, so a client moved or destroyed
    while it runs is no danger: its destruction cancels the requests, and the batch stops. */
template <api_function F, class State, class Source, class OnFinished>
class async_pipeline : public std::enable_shared_from_this<async_pipeline<F, State, Source, OnFinished>> {
    using calls = task_calls<F>;
    using task_id = pipeline_core::task_id;
    using clock = std::chrono::steady_clock;

public:
    using completion = boost::asio::any_completion_handler<void(boost::system::error_code, batch_progress)>;

    async_pipeline(std::shared_ptr<State> state, Source source, pipeline_options const& options,
                   OnFinished on_finished)
        : state_(std::move(state)),
          strand_(boost::asio::make_strand(boost::asio::any_io_executor(state_->transport.get_executor()))),
          timer_(strand_),
          source_(std::move(source)),
          on_finished_(std::move(on_finished)),
          on_progress_(options.on_progress),
          core_(options)
    {
    }

    template <class Handler>
    void start(Handler handler)
    {
        auto slot = boost::asio::get_associated_cancellation_slot(handler);
        auto handler_executor = boost::asio::get_associated_executor(handler, strand_);
        work_.emplace(boost::asio::any_io_executor(handler_executor));
        handler_.emplace(std::move(handler));
        auto self = this->shared_from_this();
        if (slot.is_connected()) {
            // Every cancellation type is honoured alike: a batch stops in a known state
            // (each task handed on whole, or not at all).
            slot_ = slot;
            slot.assign([self](boost::asio::cancellation_type) {
                boost::asio::post(self->strand_, [self] { self->stop(); });
            });
        }
        std::weak_ptr<async_pipeline> weak = self;
        registration_ = state_->operations.add([weak] {
            if (auto s = weak.lock())
                boost::asio::post(s->strand_, [s] { s->stop(); });
        });
        core_.client_at_start(state_->engine.statistics());
        boost::asio::post(strand_, [self, gone = registration_ == 0] {
            if (gone)  // the client was destroyed before the batch began
                self->stop();
            self->pump();
        });
    }

private:
    // Sends what the schedule says may go now, or arms the timer for the next due poll.
    void pump()
    {
        if (!handler_)
            return;  // completed already
        auto const now = clock::now();
        for (;;) {
            if (core_.wants_task()) {
                if (auto task = source_()) {
                    core_.add(task->name, calls::function_of(*task));
                    staged_ = std::move(task);
                } else {
                    core_.source_ended();
                }
            }
            auto const step = core_.next(now);
            switch (step.what) {
            case schedule::step::create: start_creation(step.task); continue;
            case schedule::step::poll: start_poll(step.task); continue;
            case schedule::step::remove: start_removal(step.task); continue;
            case schedule::step::wait_until: arm_timer(step.at); return;
            case schedule::step::wait: return;
            case schedule::step::finished: finish(); return;
            }
        }
    }

    template <class Result>
    auto on_strand(task_id id, void (async_pipeline::*done)(task_id, Result))
    {
        auto& signal = cancels_[id];
        return boost::asio::bind_cancellation_slot(
            signal.slot(), boost::asio::bind_executor(strand_, [self = this->shared_from_this(), id, done](Result r) {
                self->cancels_.erase(id);
                ((*self).*done)(id, std::move(r));
                self->report_progress();
                self->pump();
            }));
    }

    void start_creation(task_id id)
    {
        // The staged task is the one the schedule creates: it was added just before.
        auto task = std::move(*staged_);
        staged_.reset();
        crowd::detail::async_runner<std::remove_cvref_t<decltype(state_->transport)>>::run(
            state_, calls::creation(task), &crowd::detail::read_created<F>,
            on_strand<result<created_task<F>>>(id, &async_pipeline::created));
    }
    void start_poll(task_id id)
    {
        crowd::detail::async_runner<std::remove_cvref_t<decltype(state_->transport)>>::run(
            state_, calls::request(http_method::get, core_.function_of(id), core_.name_of(id)),
            read_polled, on_strand<result<task<F>>>(id, &async_pipeline::polled));
    }
    void start_removal(task_id id)
    {
        crowd::detail::async_runner<std::remove_cvref_t<decltype(state_->transport)>>::run(
            state_, calls::request(http_method::delete_, core_.function_of(id), core_.name_of(id)),
            &crowd::detail::read_removed, on_strand<result<void>>(id, &async_pipeline::removed));
    }

    // The reading of a poll's final answer (read_task<F> also reads a bare response).
    static constexpr result<task<F>> (*read_polled)(result<crowd::detail::final_answer> const&) =
        &crowd::detail::read_task<F>;

    static bool aborted(error const& e) noexcept { return e.code() == boost::asio::error::operation_aborted; }

    void created(task_id id, result<created_task<F>> r)
    {
        if (!r) {
            if (aborted(r.error()))
                return abandon(id);
            core_.creation_failed(id);
            return hand_on(id, std::move(r).error(), false);
        }
        auto const state = r->task.state;
        if (core_.created(id, r->creation, state, clock::now()))
            hand_on(id, std::move(r->task), true);
    }
    void polled(task_id id, result<task<F>> r)
    {
        if (!r) {
            if (aborted(r.error()))
                return abandon(id);
            if (core_.poll_failed(id, r.error(), clock::now()) == pipeline_core::poll_verdict::ended)
                hand_on(id, std::move(r).error(), false);
            return;
        }
        if (core_.polled(id, r->state, clock::now()) == pipeline_core::poll_verdict::finished)
            hand_on(id, std::move(*r), true);
    }
    void removed(task_id id, result<void> r)
    {
        core_.removal_ended(id, r.has_value());
        if (!r && aborted(r.error()))
            stop();
    }
    void abandon(task_id id)
    {
        core_.abandoned(id);
        stop();  // not cancelled by the batch: the client is going away
    }

    template <class Outcome>
    void hand_on(task_id id, Outcome&& outcome, bool finished)
    {
        on_finished_(task_outcome<F>{id, core_.name_of(id), core_.function_of(id), core_.creation_of(id),
                                     result<task<F>>(std::forward<Outcome>(outcome))});
        core_.handed_on(id, finished);
    }

    void report_progress()
    {
        if (on_progress_)
            on_progress_(core_.progress(state_->engine.statistics()));
    }

    void arm_timer(clock::time_point at)
    {
        if (timer_waits_ != 0 && timer_at_ <= at)
            return;  // already set for an earlier time
        timer_at_ = at;
        timer_.expires_at(at);  // cancels a wait for a later time: its handler pumps too
        ++timer_waits_;
        timer_.async_wait([self = this->shared_from_this()](boost::system::error_code) {
            --self->timer_waits_;
            self->pump();
        });
    }

    // Stops the batch: nothing new is sent; the requests in flight are cancelled.
    void stop()
    {
        if (!handler_ || core_.stopping())
            return;
        stopped_ = true;
        core_.stop();
        staged_.reset();
        // By the ids, not the map: a request may end while the others are told (the
        // runner posts its completion, but the map is not this loop's to rely on).
        std::vector<task_id> running;
        running.reserve(cancels_.size());
        for (auto const& entry : cancels_)
            running.push_back(entry.first);
        for (task_id const id : running)
            if (auto found = cancels_.find(id); found != cancels_.end())
                found->second.emit(boost::asio::cancellation_type::terminal);
        timer_.cancel();
        pump();
    }

    void finish()
    {
        if (timer_waits_ != 0) {  // its handler comes back here
            timer_.cancel();
            return;
        }
        if (slot_)
            slot_->clear();
        state_->operations.remove(registration_);
        auto const progress = core_.progress(state_->engine.statistics());
        boost::system::error_code const ec =
            stopped_ ? boost::system::error_code(boost::asio::error::operation_aborted) : boost::system::error_code();
        auto handler = std::move(*handler_);
        handler_.reset();
        auto work = std::move(*work_);
        work_.reset();
        auto const executor = work.get_executor();
        boost::asio::dispatch(executor, [handler = std::move(handler), ec, progress, work = std::move(work)]() mutable {
            std::move(handler)(ec, progress);
        });
    }

    std::shared_ptr<State> state_;
    boost::asio::strand<boost::asio::any_io_executor> strand_;
    boost::asio::steady_timer timer_;
    Source source_;
    OnFinished on_finished_;
    std::function<void(batch_progress const&)> on_progress_;
    pipeline_core core_;
    std::optional<batch_task<F>> staged_;  // read from the source, its PUT about to go
    std::unordered_map<task_id, boost::asio::cancellation_signal> cancels_;  // one per request in flight
    std::optional<boost::asio::cancellation_slot> slot_;
    std::optional<boost::asio::executor_work_guard<boost::asio::any_io_executor>> work_;
    // Never assigned: Boost 1.81's any_completion_handler move assignment recurses
    // without end (it converts `other`, an lvalue, as a new handler).
    std::optional<completion> handler_;
    clock::time_point timer_at_{};
    unsigned timer_waits_ = 0;
    std::uint64_t registration_ = 0;
    bool stopped_ = false;
};

}  // namespace detail

/** Creates every task of `source`, polls each until it is finished, and calls
    `on_finished(task_outcome<F>&&)` once for each as it ends; then completes with
    `void(boost::system::error_code, batch_progress)`.

    - `F`: a function descriptor, or `untyped_function` (each `batch_task` names its own).
    - Requests: at most `max_in_flight` at once through the client's pool; a task waiting
      for its next poll holds none. Polls are spread in time (docs/large-jobs.md).
    - Memory: per pending task its name and schedule (about 100 bytes); inputs are read
      from `source` only when their PUT can go at once.
    - The client's retry policy retries each request; a poll that still fails with an
      error that may pass is tried again later (`max_poll_failures`). Make the client in
      the adaptive retry mode (`AWS_RETRY_MODE=adaptive`) and a 429 slows the whole batch.
    - `source`, `on_finished` and `on_progress` are called on a strand of the client's
      executor, one at a time; an exception from them propagates out of the executor's
      `run()`.
    - Cancellation: any type through the token's slot stops the batch: nothing more is
      read or created, waiting polls are dropped, requests in flight are cancelled; each
      task has been handed on whole or not at all. It then completes with
      `operation_aborted` and the counts (`abandoned` says how many tasks were left).
    - Lifetimes: the batch shares the client's state; destroying the client stops it
      (completing with `operation_aborted`). `source` and `on_finished` are moved in.

    Errors (the first argument): `operation_aborted` when stopped; `errc::invalid_configuration`
    for a moved-from client (nothing is read or sent); a task's own error goes to its
    outcome, never here. */
template <api_function F, class Client, class Source, class OnFinished, class Token>
    requires task_source<Source, F> && std::invocable<OnFinished&, task_outcome<F>&&>
auto async_run(Client& client, Source source, pipeline_options options, OnFinished on_finished, Token&& token)
{
    auto state = crowd::detail::access::state(client);
    using state_type = typename decltype(state)::element_type;
    using pipeline = detail::async_pipeline<F, state_type, Source, OnFinished>;
    return boost::asio::async_initiate<Token, void(boost::system::error_code, batch_progress)>(
        [](auto handler, std::shared_ptr<state_type> s, Source src, pipeline_options o, OnFinished done) {
            if (!s) {  // a moved-from client has no executor: the handler's own
                auto executor = boost::asio::get_associated_executor(handler);
                boost::asio::post(executor, [handler = std::move(handler)]() mutable {
                    std::move(handler)(make_error_code(errc::invalid_configuration), batch_progress{});
                });
                return;
            }
            std::make_shared<pipeline>(std::move(s), std::move(src), o, std::move(done))->start(std::move(handler));
        },
        token, std::move(state), std::move(source), std::move(options), std::move(on_finished));
}

}  // namespace mturk::crowd::batch

#endif
