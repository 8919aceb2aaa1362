// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TESTING_MANUAL_CLOCK_HPP
#define MTURK_CROWD_TESTING_MANUAL_CLOCK_HPP

#include <mturk/crowd/clock.hpp>

#include <chrono>
#include <memory>
#include <vector>

namespace mturk::crowd::testing {

/** A clock for tests: time stands still until a wait or `advance()` moves it, and every
    wait returns at once, recorded. Copies share one time line, so a test keeps a copy
    and reads what the client did with its own. */
class manual_clock {
public:
    using time_point = std::chrono::system_clock::time_point;

    explicit manual_clock(time_point start = std::chrono::sys_days{std::chrono::year{2026} / 11 / 28})
        : state_(std::make_shared<state>(state{start, {}}))
    {
    }

    time_point now() const { return state_->now; }
    void sleep_for(std::chrono::milliseconds d) const
    {
        state_->waits.push_back(d);
        state_->now += d;
    }
    void advance(std::chrono::milliseconds d) const { state_->now += d; }
    void set(time_point t) const { state_->now = t; }

    /// Every wait so far, in order.
    std::vector<std::chrono::milliseconds> const& waits() const { return state_->waits; }

private:
    struct state {
        time_point now;
        std::vector<std::chrono::milliseconds> waits;
    };
    std::shared_ptr<state> state_;
};

static_assert(client_clock<manual_clock>);

}  // namespace mturk::crowd::testing

#endif
