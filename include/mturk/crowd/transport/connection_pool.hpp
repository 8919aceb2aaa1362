// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TRANSPORT_CONNECTION_POOL_HPP
#define MTURK_CROWD_TRANSPORT_CONNECTION_POOL_HPP

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

/* The decisions of a connection pool, without I/O (as the client's engine is): which
   connection a request gets, when one is opened, who waits and who is served next, and
   which idle connections are too old to keep. The Beast transport does the I/O around it
   and holds it under its lock; tests drive it with a manual clock. */
namespace mturk::crowd::transport {

/// The settings of a transport's connection pool.
struct pool_options {
    /// At most this many connections open at once (in use, being opened, or idle); a
    /// request beyond them waits for one, first come first served. At least 1.
    std::size_t max_connections = 50;
    /// An idle connection unused for this long is closed instead of reused (servers and
    /// load balancers drop idle connections after a while; a request written into one
    /// they dropped would have to be sent again).
    std::chrono::milliseconds idle_timeout{std::chrono::seconds(20)};
};

/// What a pool holds, for users and tests: `opened` counts every connection opened so
/// far; the others are now.
struct pool_counters {
    std::uint64_t connections_opened = 0;
    std::size_t in_use = 0;   ///< handed to a request, or being opened for one
    std::size_t idle = 0;     ///< kept alive, free
    std::size_t waiting = 0;  ///< requests waiting for a connection
};

/** The pool's bookkeeping. Connections are numbered slots in `[0, max_connections)`; the
    I/O side keeps each slot's connection. Not thread-safe: its owner locks it. */
class pool_state {
public:
    using time_point = std::chrono::steady_clock::time_point;

    /// What a request is given: a kept connection (`reuse`, its slot), a slot to open a
    /// connection in (`open`), or a place in the queue (`wait`, its ticket).
    struct grant {
        enum kind { reuse, open, wait } what = wait;
        std::size_t slot = 0;
        std::uint64_t ticket = 0;
    };

    /// A grant for a request that waited: its ticket, and what it is given.
    struct handoff {
        std::uint64_t ticket = 0;
        grant given;
    };

    explicit pool_state(pool_options options = {})
        : options_(options), slots_(std::max<std::size_t>(options.max_connections, 1))
    {
        options_.max_connections = slots_.size();
    }

    pool_options const& options() const noexcept { return options_; }

    /** A request wants a connection. The most recently used idle one (the one least
        likely to have been dropped), else a free slot to open one in, else a place in the
        queue behind those already waiting. The owner calls `expire_idle` first, so that
        no connection idle for too long is handed out. */
    grant acquire()
    {
        if (waiting_.empty()) {
            if (auto kept = take_idle())
                return {grant::reuse, *kept, 0};
            if (auto free = free_slot())
                return occupy_for_open(*free);
        }
        waiting_.push_back(++last_ticket_);
        return {grant::wait, 0, last_ticket_};
    }

    /** As `acquire`, but never a place in the queue: nothing when the request would have
        to wait (the synchronous transport then waits the way `acquire` queues). */
    std::optional<grant> acquire_if_free()
    {
        if (!waiting_.empty())
            return std::nullopt;
        if (auto kept = take_idle())
            return grant{grant::reuse, *kept, 0};
        if (auto free = free_slot())
            return occupy_for_open(*free);
        return std::nullopt;
    }

    /** A connection comes back. Reusable (kept alive, nothing unread): to the oldest
        waiter, or idle from `now`. Not reusable (failed, closed, cut short): its slot is
        free, and the oldest waiter may open one there. A connection that failed is never
        handed out again. */
    std::optional<handoff> release(std::size_t slot, bool reusable, time_point now)
    {
        if (!waiting_.empty()) {
            auto const ticket = waiting_.front();
            waiting_.pop_front();
            if (reusable)
                return handoff{ticket, {grant::reuse, slot, ticket}};
            slots_[slot] = slot_state::busy;  // the waiter opens a new connection in its place
            return handoff{ticket, {grant::open, slot, ticket}};
        }
        if (reusable) {
            slots_[slot] = slot_state::idle;
            idle_since_.push_back({slot, now});
        } else {
            slots_[slot] = slot_state::free;
        }
        return std::nullopt;
    }

    /// Opening a connection in `slot` failed: the slot is free (and goes to a waiter, as `release`).
    std::optional<handoff> open_failed(std::size_t slot, time_point now) { return release(slot, false, now); }

    /// A waiter gave up (cancelled) before it was served. False when it was not waiting
    /// (already served: its grant must then be released).
    bool cancel_wait(std::uint64_t ticket)
    {
        auto const found = std::find(waiting_.begin(), waiting_.end(), ticket);
        if (found == waiting_.end())
            return false;
        waiting_.erase(found);
        return true;
    }

    /// The idle connections unused since before `now - idle_timeout`: their slots are
    /// free now; the I/O side closes them.
    std::vector<std::size_t> expire_idle(time_point now)
    {
        std::vector<std::size_t> expired;
        while (!idle_since_.empty() && now - idle_since_.front().since >= options_.idle_timeout) {
            expired.push_back(idle_since_.front().slot);
            slots_[idle_since_.front().slot] = slot_state::free;
            idle_since_.pop_front();
        }
        return expired;
    }

    /// When the oldest idle connection expires, if any is idle.
    std::optional<time_point> next_expiry() const
    {
        if (idle_since_.empty())
            return std::nullopt;
        return idle_since_.front().since + options_.idle_timeout;
    }

    /// A connection was opened (for the counters).
    void opened() noexcept { ++opened_; }

    pool_counters counters() const noexcept
    {
        pool_counters c;
        c.connections_opened = opened_;
        c.idle = idle_since_.size();
        c.waiting = waiting_.size();
        for (auto s : slots_)
            c.in_use += s == slot_state::busy ? 1 : 0;
        return c;
    }

private:
    enum class slot_state : unsigned char { free, busy, idle };  // busy: in use, or being opened

    struct idle_entry {
        std::size_t slot;
        time_point since;
    };

    std::optional<std::size_t> take_idle()
    {
        if (idle_since_.empty())
            return std::nullopt;
        auto const slot = idle_since_.back().slot;  // the most recently released
        idle_since_.pop_back();
        slots_[slot] = slot_state::busy;
        return slot;
    }

    std::optional<std::size_t> free_slot() const
    {
        for (std::size_t i = 0; i < slots_.size(); ++i)
            if (slots_[i] == slot_state::free)
                return i;
        return std::nullopt;
    }

    grant occupy_for_open(std::size_t slot)
    {
        slots_[slot] = slot_state::busy;
        return {grant::open, slot, 0};
    }

    pool_options options_;
    std::vector<slot_state> slots_;
    std::deque<idle_entry> idle_since_;  // oldest first
    std::deque<std::uint64_t> waiting_;  // oldest first
    std::uint64_t last_ticket_ = 0;
    std::uint64_t opened_ = 0;
};

}  // namespace mturk::crowd::transport

#endif
