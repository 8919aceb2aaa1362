// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The batch schedule without I/O: the bound on requests in flight, creations first, polls
// spread in time and growing, outcomes counted, misuse refused.
#include <mturk/crowd/batch/schedule.hpp>

#include <catch.hpp>

#include <algorithm>
#include <chrono>
#include <vector>

namespace crowd = mturk::crowd;
namespace batch = mturk::crowd::batch;
using namespace std::chrono_literals;
using step = batch::schedule::step;

namespace {

batch::schedule::time_point const origin{std::chrono::hours(1)};

}  // namespace

TEST_CASE("a batch holds at most max_in_flight requests, creations first and in order", "[batch]")
{
    batch::schedule s({.max_in_flight = 3, .poll_after = 1000ms});
    for (batch::schedule::task_id id = 0; id != 10; ++id)
        s.add(id);
    for (batch::schedule::task_id id = 0; id != 3; ++id) {
        auto const next = s.next(origin);
        REQUIRE(next.what == step::create);
        CHECK(next.task == id);
    }
    CHECK(s.next(origin).what == step::wait);  // at the bound
    CHECK(s.progress().in_flight == 3);
    CHECK(s.progress().to_create == 7);

    REQUIRE(s.on_created(1, crowd::creation::created, origin, 0.5));
    auto const freed = s.next(origin);
    CHECK(freed.what == step::create);  // a creation before the poll of task 1, which is not due anyway
    CHECK(freed.task == 3);
}

TEST_CASE("a created task waits for its first poll without holding a request, then polls are spread and grow",
          "[batch]")
{
    batch::schedule s({.max_in_flight = 4, .poll_after = 1000ms, .max_poll_interval = 4000ms});
    s.add(7);
    REQUIRE(s.next(origin).what == step::create);
    REQUIRE(s.on_created(7, crowd::creation::created, origin, 0.0));  // drawn at the short end: 500 ms
    auto const waiting = s.next(origin);
    REQUIRE(waiting.what == step::wait_until);
    CHECK(waiting.at == origin + 500ms);
    CHECK(s.progress().in_flight == 0);
    CHECK(s.progress().waiting == 1);
    CHECK(s.next(origin + 499ms).what == step::wait_until);

    // Each processing answer doubles the nominal pause (1 s, 2 s, 4 s, then 4 s: the cap),
    // drawn in [half, whole] of it.
    auto now = origin + 500ms;
    std::vector<std::chrono::milliseconds> const expected{2000ms, 4000ms, 4000ms};
    for (auto nominal : expected) {
        auto const poll = s.next(now);
        REQUIRE(poll.what == step::poll);
        CHECK(poll.task == 7);
        REQUIRE(s.on_polled(7, crowd::task_state::processing, now, 1.0));  // the long end
        auto const again = s.next(now);
        REQUIRE(again.what == step::wait_until);
        CHECK(again.at - now == nominal);
        now = again.at;
    }
    REQUIRE(s.next(now).what == step::poll);
    REQUIRE(s.on_polled(7, crowd::task_state::completed, now, 0.5));
    CHECK(s.next(now).what == step::finished);
    auto const p = s.progress();
    CHECK(p.created == 1);
    CHECK(p.completed == 1);
    CHECK(p.polls == 4);
    CHECK(p.waiting == 0);
}

TEST_CASE("tasks created together are not polled in lockstep", "[batch]")
{
    batch::schedule s({.max_in_flight = 1000, .poll_after = 2000ms});
    for (batch::schedule::task_id id = 0; id != 1000; ++id)
        s.add(id);
    for (int i = 0; i != 1000; ++i)
        REQUIRE(s.next(origin).what == step::create);
    for (batch::schedule::task_id id = 0; id != 1000; ++id)
        REQUIRE(s.on_created(id, crowd::creation::created, origin, static_cast<double>(id) / 999.0));
    // Due between 1 s and 2 s after creation, each at its own draw (id / 999 of the
    // second): half a second in, the first 501 are due, earliest first, and no other.
    std::vector<batch::schedule::task_id> polled;
    for (;;) {
        auto const poll = s.next(origin + 1500ms);
        if (poll.what != step::poll) {
            REQUIRE(poll.what == step::wait_until);
            CHECK(poll.at == origin + 1501ms);
            break;
        }
        polled.push_back(poll.task);
    }
    CHECK(polled.size() == 501);
    CHECK(std::is_sorted(polled.begin(), polled.end()));
    CHECK(s.progress().waiting == 499);
}

TEST_CASE("a batch counts every way a task ends, and refuses answers for requests it did not send", "[batch]")
{
    batch::schedule s({.max_in_flight = 8, .poll_after = 0ms});
    for (batch::schedule::task_id id = 0; id != 6; ++id)
        s.add(id);
    for (int i = 0; i != 6; ++i)
        REQUIRE(s.next(origin).what == step::create);

    CHECK(!s.on_polled(0, crowd::task_state::completed, origin, 0.5));  // being created, not polled
    CHECK(!s.on_created(42, crowd::creation::created, origin, 0.5));      // never added
    REQUIRE(s.on_created(0, crowd::creation::created, origin, 0.5));
    CHECK(!s.on_created(0, crowd::creation::created, origin, 0.5));  // answered twice
    REQUIRE(s.on_created(1, crowd::creation::already_existed, origin, 0.5));
    REQUIRE(s.on_created(2, crowd::creation::uncertain, origin, 0.5));
    REQUIRE(s.on_error(3));
    CHECK(!s.on_error(3));
    REQUIRE(s.on_created(4, crowd::creation::created, origin, 0.5));
    REQUIRE(s.on_created(5, crowd::creation::created, origin, 0.5));

    // poll_after 0: due at once.
    std::vector<batch::schedule::task_id> polled;
    for (int i = 0; i != 5; ++i) {
        auto const poll = s.next(origin);
        REQUIRE(poll.what == step::poll);
        polled.push_back(poll.task);
    }
    std::sort(polled.begin(), polled.end());
    CHECK(polled == std::vector<batch::schedule::task_id>{0, 1, 2, 4, 5});
    REQUIRE(s.on_polled(0, crowd::task_state::completed, origin, 0.5));
    REQUIRE(s.on_polled(1, crowd::task_state::failed, origin, 0.5));
    REQUIRE(s.on_error(2));
    REQUIRE(s.on_polled(4, crowd::task_state::completed, origin, 0.5));
    REQUIRE(s.on_polled(5, crowd::task_state::processing, origin, 0.5));  // the first pause after "at once": 1 s nominal
    auto const later = s.next(origin);
    REQUIRE(later.what == step::wait_until);
    CHECK(later.at == origin + 750ms);

    auto const p = s.progress();
    CHECK(p.created == 3);
    CHECK(p.already_existed == 1);
    CHECK(p.uncertain == 1);
    CHECK(p.completed == 2);
    CHECK(p.failed == 1);
    CHECK(p.errors == 2);
    CHECK(p.waiting == 1);
    CHECK(p.in_flight == 0);
}

TEST_CASE("a batch told to stop creating sends no more creations and finishes what is under way", "[batch]")
{
    batch::schedule s({.max_in_flight = 2, .poll_after = 0ms});
    for (batch::schedule::task_id id = 0; id != 5; ++id)
        s.add(id);
    REQUIRE(s.next(origin).what == step::create);
    s.stop_creating();
    CHECK(s.progress().to_create == 0);
    CHECK(s.next(origin).what == step::wait);  // the creation under way
    REQUIRE(s.on_created(0, crowd::creation::created, origin, 0.5));
    REQUIRE(s.next(origin).what == step::poll);
    REQUIRE(s.on_polled(0, crowd::task_state::completed, origin, 0.5));
    CHECK(s.next(origin).what == step::finished);

    // An id added twice while its first creation is under way is dropped, counted.
    batch::schedule twice({.max_in_flight = 4});
    twice.add(9);
    twice.add(9);
    REQUIRE(twice.next(origin).what == step::create);
    CHECK(twice.next(origin).what == step::wait);
    CHECK(twice.progress().errors == 1);
}

TEST_CASE("the loop a pipeline runs around the schedule ends with every task once", "[batch]")
{
    // A service where every task is processing on its first two polls, then completed.
    std::vector<int> polls_of(100, 0);
    std::vector<int> ended(100, 0);
    auto now = origin;
    double random = 0.5;
    using task_id = batch::schedule::task_id;
    task_id const count = 100;
    //[schedule_loop
    batch::schedule s({.max_in_flight = 8, .poll_after = 5s, .max_poll_interval = 60s});
    for (task_id id = 0; id != count; ++id)
        s.add(id);  // ids are yours: a task's place in its source
    for (auto next = s.next(now); next.what != step::finished; next = s.next(now)) {
        switch (next.what) {
        case step::create:  // send the PUT of next.task; here, answered at once
            s.on_created(next.task, crowd::creation::created, now, random);
            break;
        case step::poll:  // send its GET
            if (++polls_of[next.task] < 3) {
                s.on_polled(next.task, crowd::task_state::processing, now, random);
            } else {
                s.on_polled(next.task, crowd::task_state::completed, now, random);
                ++ended[next.task];  // hand the finished task on, once
            }
            break;
        case step::wait_until:  // nothing to send before next.at
            now = next.at;
            break;
        default:  // wait: until a request in flight ends (none here: all answered at once)
            FAIL("nothing was in flight");
        }
    }
    //]
    CHECK(std::all_of(ended.begin(), ended.end(), [](int n) { return n == 1; }));
    CHECK(s.progress().completed == count);
    CHECK(s.progress().polls == 3 * count);
    // 5 s, then 10 s, then 20 s nominal, each drawn at three quarters: 3.75 + 7.5 + 15 s.
    CHECK(now == origin + 26250ms);
}

TEST_CASE("a batch's removals go first, a failed poll is tried again later, and a task found finished ends at once",
          "[batch]")
{
    batch::schedule s({.max_in_flight = 2, .poll_after = 1000ms, .max_poll_interval = 8000ms});
    s.add(1);
    s.add(2);
    s.add(3);
    REQUIRE(s.next(origin).what == step::create);  // 1
    REQUIRE(s.next(origin).what == step::create);  // 2
    // Task 1 existed already, completed: it ends without a poll.
    REQUIRE(s.on_created(1, crowd::creation::already_existed, origin, 0.5, crowd::task_state::completed));
    CHECK(s.progress().completed == 1);
    CHECK(s.progress().waiting == 0);
    // Its removal goes out before the creation of task 3.
    REQUIRE(s.remove_later(1));
    auto const removal = s.next(origin);
    CHECK(removal.what == step::remove);
    CHECK(removal.task == 1);
    CHECK_FALSE(s.remove_later(2));  // 2 is being created: no removal now
    REQUIRE(s.on_removed(1, true));
    CHECK_FALSE(s.on_removed(1, true));  // not being removed any more
    CHECK(s.progress().removed == 1);

    // Task 2's poll fails (a 503 after the client's retries): polled again after a longer pause.
    REQUIRE(s.on_created(2, crowd::creation::created, origin, 1.0));
    REQUIRE(s.next(origin).what == step::create);  // 3
    REQUIRE(s.on_error(3));
    auto const due = s.next(origin);
    REQUIRE(due.what == step::wait_until);
    CHECK(due.at == origin + 1000ms);
    REQUIRE(s.next(due.at).what == step::poll);
    REQUIRE(s.on_poll_failed(2, due.at, 1.0));
    CHECK(s.progress().polls == 0);  // a failed poll is no answer
    auto const again = s.next(due.at);
    REQUIRE(again.what == step::wait_until);
    CHECK(again.at == due.at + 2000ms);  // the pause doubled
    CHECK(s.progress().errors == 1);
}

TEST_CASE("a stopped batch sends nothing more, drops its waiting polls as abandoned, and lets its requests end",
          "[batch]")
{
    batch::schedule s({.max_in_flight = 4, .poll_after = 1000ms});
    for (batch::schedule::task_id id = 0; id != 6; ++id)
        s.add(id);
    for (int i = 0; i != 4; ++i)
        REQUIRE(s.next(origin).what == step::create);  // 0..3 in flight
    REQUIRE(s.on_created(0, crowd::creation::created, origin, 0.5));  // waiting for its poll
    REQUIRE(s.on_created(1, crowd::creation::created, origin, 0.5));
    s.stop();
    CHECK(s.stopped());
    CHECK(s.progress().to_create == 0);    // 4 and 5 never sent
    CHECK(s.progress().waiting == 0);
    CHECK(s.progress().abandoned == 2);    // 0 and 1
    CHECK(s.next(origin + 1h).what == step::wait);  // 2 and 3 are still in flight
    REQUIRE(s.on_created(2, crowd::creation::created, origin, 0.5));  // ends, but is not polled
    REQUIRE(s.on_abandoned(3));                                   // cancelled
    CHECK(s.progress().abandoned == 4);
    CHECK(s.progress().created == 3);
    s.add(9);  // nothing is added to a stopped batch
    CHECK(s.next(origin + 1h).what == step::finished);
}

TEST_CASE("a due poll goes before a new creation, so a long source does not pile up every task first", "[batch]")
{
    batch::schedule s({.max_in_flight = 1, .poll_after = 0ms});
    s.add(0);
    s.add(1);
    REQUIRE(s.next(origin).what == step::create);
    REQUIRE(s.on_created(0, crowd::creation::created, origin, 0.5));  // its first poll is due at once
    auto const next = s.next(origin);
    CHECK(next.what == step::poll);  // not the creation of task 1
    CHECK(next.task == 0);
    REQUIRE(s.on_polled(0, crowd::task_state::completed, origin, 0.5));
    CHECK(s.next(origin).what == step::create);  // then task 1
}
