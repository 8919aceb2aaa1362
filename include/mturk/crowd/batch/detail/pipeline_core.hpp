// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_BATCH_DETAIL_PIPELINE_CORE_HPP
#define MTURK_CROWD_BATCH_DETAIL_PIPELINE_CORE_HPP

#include <mturk/crowd/batch/pipeline_types.hpp>
#include <mturk/crowd/batch/schedule.hpp>
#include <mturk/crowd/detail/config.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

/* The batch pipeline's bookkeeping without I/O, shared by its synchronous and asynchronous
   forms: the schedule, the name of each task still under way, how a poll's answer or
   failure moves a task on, and the counts. Compiled once (its .ipp); the forms do the
   requests and call the user. Not thread-safe: its owner serialises it (a mutex, or a
   strand). */
namespace mturk::crowd::batch::detail {

class pipeline_core {
public:
    using task_id = schedule::task_id;
    using time_point = schedule::time_point;

    /// What becomes of a task after a poll.
    enum class poll_verdict {
        again,     ///< polled again later (processing, or a failure that may pass)
        finished,  ///< completed or failed: hand it on
        ended,     ///< ended by an error: hand the error on
    };

    MTURK_CROWD_DECL explicit pipeline_core(pipeline_options const& options);

    /// Whether to read the next task from the source now: it has more, the batch is not
    /// stopping, and its creation could be sent at once.
    MTURK_CROWD_DECL bool wants_task() const noexcept;
    /// A task read from the source, to be created next; its id is its place in the source.
    MTURK_CROWD_DECL task_id add(task_name const& name, std::string_view function);
    /// The source has no more tasks.
    void source_ended() noexcept { source_ended_ = true; }

    /// The next request to send at `now` (the schedule's step).
    schedule::step next(time_point now) { return schedule_.next(now); }

    MTURK_CROWD_DECL task_name const& name_of(task_id id) const;
    MTURK_CROWD_DECL std::string_view function_of(task_id id) const;
    /// How the creation of `id` ended, once it has.
    MTURK_CROWD_DECL std::optional<creation> creation_of(task_id id) const;

    /// The PUT of `id` succeeded; the task it returned is in `state` (finished already
    /// when it existed): true when it ended so, to be handed on.
    MTURK_CROWD_DECL bool created(task_id id, creation how, task_state state, time_point now);
    /// The PUT of `id` failed: the task ends with that error (hand it on).
    MTURK_CROWD_DECL void creation_failed(task_id id);
    /// A poll of `id` read the task in `state`.
    MTURK_CROWD_DECL poll_verdict polled(task_id id, task_state state, time_point now);
    /// A poll of `id` failed with `failure`.
    MTURK_CROWD_DECL poll_verdict poll_failed(task_id id, error const& failure, time_point now);
    /// Task `id` was handed on: a finished one is removed next if asked; else (and one
    /// that ended in an error) it is forgotten.
    MTURK_CROWD_DECL void handed_on(task_id id, bool finished);
    /// The removal of `id` ended.
    MTURK_CROWD_DECL void removal_ended(task_id id, bool removed);
    /// A request of `id` was cancelled by the batch's stop: the task is left.
    MTURK_CROWD_DECL void abandoned(task_id id);

    /// Stops: nothing more is read, created, polled or removed; what is in flight ends.
    MTURK_CROWD_DECL void stop() noexcept;
    bool stopping() const noexcept { return schedule_.stopped(); }

    /// The counts, with the client's retries and throttled answers since the batch began.
    MTURK_CROWD_DECL batch_progress progress(request_statistics const& client_now) const;
    void client_at_start(request_statistics const& s) noexcept { client_at_start_ = s; }

    /// Tasks whose names are still kept: those under way (0 once the batch has ended).
    std::size_t names_kept() const noexcept { return pending_.size(); }

private:
    struct pending_task {
        task_name name;
        std::uint16_t function = 0;           // into functions_
        std::uint8_t poll_failures = 0;       // in a row
        std::int8_t creation = -1;            // how its PUT ended; -1: not yet
    };
    double draw();
    pending_task& pending(task_id id);
    pending_task const& pending(task_id id) const;

    pipeline_options options_;
    schedule schedule_;
    std::unordered_map<task_id, pending_task> pending_;  // tasks under way: created, polled or to remove
    std::vector<std::string> functions_;                 // the distinct functions named, in order met
    std::mt19937_64 engine_;
    task_id next_id_ = 0;
    bool source_ended_ = false;
    request_statistics client_at_start_{};
};

}  // namespace mturk::crowd::batch::detail

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/batch/detail/impl/pipeline_core.ipp>
#endif

#endif
