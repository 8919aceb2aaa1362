// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_BATCH_PIPELINE_HPP
#define MTURK_CROWD_BATCH_PIPELINE_HPP

#include <mturk/crowd/batch/detail/pipeline_core.hpp>
#include <mturk/crowd/batch/detail/task_calls.hpp>
#include <mturk/crowd/batch/pipeline_types.hpp>
#include <mturk/crowd/client.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

/* The batch pipeline over one synchronous client: `batch::run`, with `max_in_flight`
   threads sharing the client (which is thread-safe) and one bookkeeping under a mutex. */
namespace mturk::crowd::batch {

namespace detail {

template <api_function F, class Client, class Source, class OnFinished>
class sync_pipeline {
    using calls = task_calls<F>;
    using task_id = pipeline_core::task_id;
    using clock = std::chrono::steady_clock;

public:
    sync_pipeline(Client& client, Source& source, pipeline_options const& options, OnFinished& on_finished)
        : client_(client), source_(source), on_finished_(on_finished), on_progress_(options.on_progress),
          core_(options), workers_(std::max<std::size_t>(options.max_in_flight, 1))
    {
        core_.client_at_start(client_.statistics());
    }

    batch_progress run(std::stop_token stop)
    {
        // Not a stop_callback that locks: a stop requested from a callback, which runs
        // under the lock, would deadlock. The waits below watch the token themselves.
        stop_ = std::move(stop);
        {
            std::vector<std::jthread> threads;
            threads.reserve(workers_ - 1);
            for (std::size_t i = 1; i < workers_; ++i)
                threads.emplace_back([this] { work(); });
            work();
        }  // joined
        if (failure_)
            std::rethrow_exception(failure_);  // the source's or a callback's, in the caller's thread
        return core_.progress(client_.statistics());
    }

private:
    // Each thread sends one request at a time, the bookkeeping locked only between them.
    void work()
    {
        std::unique_lock lock(mutex_);
        for (;;) {
            if ((stop_requested_ || stop_.stop_requested()) && !core_.stopping()) {
                core_.stop();
                staged_.reset();
            }
            if (core_.wants_task()) {
                if (!pull())
                    continue;
            }
            auto const step = core_.next(clock::now());
            switch (step.what) {
            case schedule::step::create: create(lock, step.task); break;
            case schedule::step::poll: poll(lock, step.task); break;
            case schedule::step::remove: remove(lock, step.task); break;
            case schedule::step::wait_until: wait_for_change(lock, step.at); break;
            case schedule::step::wait: wait_for_change(lock, clock::time_point::max()); break;
            case schedule::step::finished:  // the others wake to see it too
                ++generation_;
                changed_.notify_all();
                return;
            }
        }
    }

    // Until a request ends, a callback fails, `until`, or (while the batch runs) a stop
    // is requested. Once stopping, only the requests' ends matter: waking on the token,
    // requested for good, would spin.
    void wait_for_change(std::unique_lock<std::mutex>& lock, clock::time_point until)
    {
        auto const seen = generation_;
        auto const changed = [&] { return generation_ != seen; };
        std::stop_token const none;
        auto const& watched = core_.stopping() ? none : stop_;
        if (until == clock::time_point::max())
            changed_.wait(lock, watched, changed);
        else
            changed_.wait_until(lock, watched, until, changed);
    }

    // Reads the next task (locked: the source is called by one thread at a time).
    bool pull()
    {
        try {
            if (auto task = source_()) {
                core_.add(task->name, calls::function_of(*task));
                staged_ = std::move(task);
            } else {
                core_.source_ended();
            }
            return true;
        } catch (...) {
            fail(std::current_exception());
            return false;
        }
    }

    // A user's exception stops the batch; run() rethrows it once the threads are done.
    void fail(std::exception_ptr e)
    {
        if (!failure_)
            failure_ = std::move(e);
        stop_requested_ = true;
        ++generation_;
        changed_.notify_all();
    }

    void create(std::unique_lock<std::mutex>& lock, task_id id)
    {
        auto task = std::move(*staged_);  // the one task waiting to be created (wants_task)
        staged_.reset();
        lock.unlock();
        auto created = calls::create(client_, task);
        auto const now = clock::now();
        lock.lock();
        if (!created) {
            core_.creation_failed(id);
            hand_on(id, std::move(created).error(), false);
        } else if (core_.created(id, created->creation, created->task.state, now)) {
            hand_on(id, std::move(created->task), true);
        }
        ended();
    }

    void poll(std::unique_lock<std::mutex>& lock, task_id id)
    {
        // Copied: another thread may add a function to the core's table meanwhile.
        std::string const function(core_.function_of(id));
        auto const name = core_.name_of(id);
        lock.unlock();
        auto polled = calls::get(client_, function, name);
        auto const now = clock::now();
        lock.lock();
        if (!polled) {
            if (core_.poll_failed(id, polled.error(), now) == pipeline_core::poll_verdict::ended)
                hand_on(id, std::move(polled).error(), false);
        } else if (core_.polled(id, polled->state, now) == pipeline_core::poll_verdict::finished) {
            hand_on(id, std::move(*polled), true);
        }
        ended();
    }

    void remove(std::unique_lock<std::mutex>& lock, task_id id)
    {
        std::string const function(core_.function_of(id));
        auto const name = core_.name_of(id);
        lock.unlock();
        auto removed = calls::remove(client_, function, name);
        lock.lock();
        core_.removal_ended(id, removed.has_value());
        ended();
    }

    // Called locked: one callback at a time, in the order the tasks end.
    template <class Outcome>
    void hand_on(task_id id, Outcome&& outcome, bool finished)
    {
        try {
            on_finished_(task_outcome<F>{id, core_.name_of(id), core_.function_of(id), core_.creation_of(id),
                                         result<task<F>>(std::forward<Outcome>(outcome))});
        } catch (...) {
            fail(std::current_exception());
        }
        core_.handed_on(id, finished);
    }

    void ended()
    {
        if (on_progress_) {
            try {
                on_progress_(core_.progress(client_.statistics()));
            } catch (...) {
                fail(std::current_exception());
            }
        }
        ++generation_;
        changed_.notify_all();  // a slot is free, a poll may be due sooner
    }

    Client& client_;
    Source& source_;
    OnFinished& on_finished_;
    std::function<void(batch_progress const&)> const& on_progress_;
    pipeline_core core_;
    std::size_t workers_;
    std::mutex mutex_;
    std::condition_variable_any changed_;  // its waits take the stop token
    std::uint64_t generation_ = 0;          // grows at every change the waits look for
    std::stop_token stop_;
    std::optional<batch_task<F>> staged_;  // read from the source, its PUT about to go
    bool stop_requested_ = false;
    std::exception_ptr failure_;
};

}  // namespace detail

/** Creates every task of `source`, polls each until it is finished, and calls
    `on_finished(task_outcome<F>&&)` once for each as it ends; returns the counts.

    The synchronous form of `async_run` (its rules on requests, polls, memory, retries and
    the rate limiter hold here): `max_in_flight` threads share `client`, one request each
    at a time. `source`, `on_finished` and `on_progress` are called one at a time, under
    the batch's lock (keep them short). An exception from one of them stops the batch and
    is rethrown here once every thread has ended.

    `stop`: a stop request ends the batch soon: nothing more is read or created, waiting
    polls are dropped, and the requests under way end as they do (within the client's
    time-outs), their tasks handed on if they ended; `abandoned` counts the rest. */
template <api_function F, class Client, class Source, class OnFinished>
    requires sends_requests<std::remove_cvref_t<decltype(std::declval<Client&>().transport())>> &&
             task_source<Source, F> && std::invocable<OnFinished&, task_outcome<F>&&>
batch_progress run(Client& client, Source source, pipeline_options const& options, OnFinished on_finished,
                   std::stop_token stop = {})
{
    return detail::sync_pipeline<F, Client, Source, OnFinished>(client, source, options, on_finished).run(stop);
}

}  // namespace mturk::crowd::batch

#endif
