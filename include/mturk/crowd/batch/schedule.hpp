// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_BATCH_SCHEDULE_HPP
#define MTURK_CROWD_BATCH_SCHEDULE_HPP

#include <mturk/crowd/client_types.hpp>
#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/task.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <queue>
#include <unordered_map>
#include <vector>

/* The decisions of a batch of tasks, without I/O (as the engine's and the connection
   pool's are): which task is created or polled next, when, and how many requests are in
   flight. The batch pipeline does the requests around it; tests drive it with set times.

   A task waiting for its next poll holds no request: it is a due time in a heap, with the
   pause that led to it (16 bytes), and the pipeline keeps its name. Polls are spread in
   time: each task's pauses grow from `poll_after` (doubling, up to `max_poll_interval`),
   each drawn in [half, whole] of its length as `wait` draws them, so that tasks created
   together are not polled in lockstep. */
namespace mturk::crowd::batch {

/// How a batch spreads its requests.
struct schedule_options {
    /// At most this many requests at once (creations and polls); at least 1.
    std::size_t max_in_flight = 64;
    /// The first poll of a task, after its creation; 0 polls at once.
    std::chrono::milliseconds poll_after{std::chrono::seconds(5)};
    /// The longest pause between two polls of a task.
    std::chrono::milliseconds max_poll_interval{std::chrono::seconds(60)};
};

/// What a batch has done so far, and where its tasks are now.
struct batch_progress {
    std::uint64_t created = 0;          ///< created by this batch (201)
    std::uint64_t already_existed = 0;  ///< found existing (a run before this one, or another shard)
    std::uint64_t uncertain = 0;        ///< created, or found existing: an attempt's answer was lost
    std::uint64_t completed = 0;
    std::uint64_t failed = 0;           ///< the task failed (its problem details tell why)
    std::uint64_t errors = 0;           ///< could not be created or read
    std::uint64_t polls = 0;            ///< polls answered, "processing" ones included
    std::uint64_t removed = 0;          ///< finished tasks deleted after they were handed on
    std::uint64_t not_removed = 0;      ///< finished tasks whose deletion failed (they are still handed on)
    std::uint64_t abandoned = 0;        ///< ended by a stop: a poll not sent, or a request cancelled
    std::uint64_t retried = 0;          ///< attempts sent again by the client's retry policy (the pipeline's count)
    std::uint64_t throttled = 0;        ///< attempts answered 429 (the pipeline's count)
    std::size_t to_create = 0;          ///< now: not yet sent
    std::size_t in_flight = 0;          ///< now: a request under way
    std::size_t waiting = 0;            ///< now: processing, waiting for the next poll
};

/** A batch's bookkeeping. Tasks are the caller's ids (a task's place in its source, say).
    Not thread-safe: its owner locks it. */
class schedule {
public:
    using time_point = std::chrono::steady_clock::time_point;
    using task_id = std::uint32_t;

    /// What to do next.
    struct step {
        enum kind {
            create,      ///< create `task` (now counted in flight)
            poll,        ///< poll `task` (now counted in flight)
            remove,      ///< delete finished `task` (now counted in flight)
            wait_until,  ///< nothing to send before `at`, when the next poll is due
            wait,        ///< nothing to send until a request in flight ends
            finished,    ///< every task has ended
        } what = finished;
        task_id task = 0;
        time_point at{};
    };

    MTURK_CROWD_DECL explicit schedule(schedule_options options = {});

    schedule_options const& options() const noexcept { return options_; }

    /// A task to create (none after `stop`); creations go out in the order added, after
    /// removals and due polls. Ids are
    /// distinct: one added again while its first request is under way is dropped and
    /// counted among the errors.
    MTURK_CROWD_DECL void add(task_id id);

    /** The next request to send at `now`, while fewer than `max_in_flight` are: a
        removal, else the poll due earliest if it is due, else a creation, else when to
        look again. Due polls go before creations so that a long source does not pile up
        every task before the first one is read. */
    MTURK_CROWD_DECL step next(time_point now);

    /** A creation of `id` ended well at `now`: its first poll is due `poll_after` later
        (drawn by `random`, in [0, 1]); a task the answer shows finished already (it
        existed) ends at once, counted as completed or failed. False, and nothing changes,
        when `id` was not being created. */
    MTURK_CROWD_DECL bool on_created(task_id id, creation how, time_point now, double random,
                                     task_state state = task_state::processing);

    /** A poll of `id` read `state` at `now`: a processing task is polled again after a
        longer pause; a finished one ends. False when `id` was not being polled. */
    MTURK_CROWD_DECL bool on_polled(task_id id, task_state state, time_point now, double random);

    /** A poll of `id` failed with an error that may pass (throttled, a 5xx, a lost
        connection): the task exists, so it is polled again after a longer pause, as if
        it were processing; no poll is counted. False when `id` was not being polled. */
    MTURK_CROWD_DECL bool on_poll_failed(task_id id, time_point now, double random);

    /// A creation or a poll of `id` ended in an error: the task ends, counted among the
    /// errors. False when `id` had no request in flight.
    MTURK_CROWD_DECL bool on_error(task_id id);

    /// Finished task `id`, handed on, is to be deleted: a removal goes out before any
    /// creation or poll. False, and nothing changes, when `id` has a request in flight.
    MTURK_CROWD_DECL bool remove_later(task_id id);

    /// The removal of `id` ended (`removed`: the task is gone; else counted as
    /// `not_removed`). False when `id` was not being removed.
    MTURK_CROWD_DECL bool on_removed(task_id id, bool removed);

    /// A request of `id` ended without an outcome because the batch is stopping (it was
    /// cancelled): counted as abandoned. False when `id` had no request in flight.
    MTURK_CROWD_DECL bool on_abandoned(task_id id);

    /// Stops creating: the tasks not yet sent are dropped (not counted as ended).
    MTURK_CROWD_DECL void stop_creating() noexcept;

    /** Stops the batch: nothing more is created, polled or removed. The polls not yet
        sent are dropped and counted as abandoned; the requests in flight still end
        through `on_created`, `on_polled`... (or `on_abandoned`), and then `next` says
        `finished`. */
    MTURK_CROWD_DECL void stop() noexcept;

    /// Whether `stop` was called.
    bool stopped() const noexcept { return stopped_; }

    /// The counts, and where the tasks are now.
    MTURK_CROWD_DECL batch_progress progress() const noexcept;

private:
    struct due_poll {
        time_point at;
        task_id id;
        std::uint32_t pause_ms;  // the pause that led here; the next is twice as long
        bool operator>(due_poll const& other) const noexcept { return at > other.at; }
    };
    enum class request_kind : std::uint8_t { creation, poll, removal };
    struct in_flight_request {
        request_kind kind;
        std::uint32_t pause_ms;
    };

    // A pause of nominal length `nominal`, drawn in [nominal / 2, nominal].
    static std::chrono::milliseconds drawn(std::chrono::milliseconds nominal, double random) noexcept;
    void schedule_poll(task_id id, std::chrono::milliseconds nominal, time_point now, double random);
    void poll_again(task_id id, in_flight_request const& last_poll, time_point now, double random);
    bool take_in_flight(task_id id, request_kind kind, in_flight_request& out);

    schedule_options options_;
    std::deque<task_id> to_create_;
    std::deque<task_id> to_remove_;
    std::priority_queue<due_poll, std::vector<due_poll>, std::greater<>> due_;
    std::unordered_map<task_id, in_flight_request> in_flight_;
    batch_progress counts_;
    bool stopped_ = false;
};

}  // namespace mturk::crowd::batch

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/batch/impl/schedule.ipp>
#endif

#endif
