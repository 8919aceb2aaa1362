// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The connection pool's decisions, without I/O: reuse, opening, the queue, hand-offs,
// failed connections and idle expiry, at times the test sets.
#include <mturk/crowd/transport/connection_pool.hpp>

#include <catch.hpp>

#include <vector>

using mturk::crowd::transport::pool_options;
using mturk::crowd::transport::pool_state;
using namespace std::chrono_literals;
using grant = pool_state::grant;

namespace {
pool_state::time_point const t0{};
}

TEST_CASE("a pool opens up to max_connections, then queues first come first served", "[pool]")
{
    pool_state pool({.max_connections = 2, .idle_timeout = 10s});
    auto const a = pool.acquire();
    auto const b = pool.acquire();
    CHECK(a.what == grant::open);
    CHECK(b.what == grant::open);
    CHECK(a.slot != b.slot);
    auto const w1 = pool.acquire();
    auto const w2 = pool.acquire();
    REQUIRE(w1.what == grant::wait);
    REQUIRE(w2.what == grant::wait);
    CHECK(pool.counters().in_use == 2);
    CHECK(pool.counters().waiting == 2);

    // A kept connection goes straight to the oldest waiter, not to the idle list.
    auto const first = pool.release(b.slot, true, t0);
    REQUIRE(first);
    CHECK(first->ticket == w1.ticket);
    CHECK(first->given.what == grant::reuse);
    CHECK(first->given.slot == b.slot);
    CHECK(pool.counters().idle == 0);

    // A failed one is not handed out: the next waiter opens a new one in its slot.
    auto const second = pool.release(a.slot, false, t0);
    REQUIRE(second);
    CHECK(second->ticket == w2.ticket);
    CHECK(second->given.what == grant::open);
    CHECK(second->given.slot == a.slot);
    CHECK(pool.counters().waiting == 0);
    CHECK(pool.counters().in_use == 2);
}

TEST_CASE("a newcomer does not overtake the queue", "[pool]")
{
    pool_state pool({.max_connections = 1});
    auto const a = pool.acquire();
    auto const waiting = pool.acquire();
    REQUIRE(waiting.what == grant::wait);
    auto const handed = pool.release(a.slot, true, t0);
    REQUIRE(handed);
    CHECK(handed->ticket == waiting.ticket);
    // The waiter holds it now: a newcomer waits.
    CHECK(pool.acquire().what == grant::wait);
}

TEST_CASE("idle connections are reused most recent first, and expire", "[pool]")
{
    pool_state pool({.max_connections = 3, .idle_timeout = 10s});
    auto const a = pool.acquire();
    auto const b = pool.acquire();
    CHECK_FALSE(pool.release(a.slot, true, t0));
    CHECK_FALSE(pool.release(b.slot, true, t0 + 5s));
    CHECK(pool.counters().idle == 2);
    CHECK(pool.next_expiry() == t0 + 10s);

    auto const reused = pool.acquire();
    CHECK(reused.what == grant::reuse);
    CHECK(reused.slot == b.slot);  // the most recently released
    CHECK_FALSE(pool.release(reused.slot, true, t0 + 6s));

    CHECK(pool.expire_idle(t0 + 9s).empty());
    CHECK(pool.expire_idle(t0 + 10s) == std::vector<std::size_t>{a.slot});
    CHECK(pool.counters().idle == 1);
    CHECK(pool.expire_idle(t0 + 16s) == std::vector<std::size_t>{b.slot});
    CHECK(pool.counters().idle == 0);
    CHECK_FALSE(pool.next_expiry());
    // The expired slots are free to open in again.
    CHECK(pool.acquire().what == grant::open);
}

TEST_CASE("a connection that failed frees its slot, and a cancelled waiter leaves the queue", "[pool]")
{
    pool_state pool({.max_connections = 1});
    auto const a = pool.acquire();
    auto const w1 = pool.acquire();
    auto const w2 = pool.acquire();
    CHECK(pool.cancel_wait(w1.ticket));
    CHECK_FALSE(pool.cancel_wait(w1.ticket));  // not waiting any more
    auto const handed = pool.open_failed(a.slot, t0);
    REQUIRE(handed);
    CHECK(handed->ticket == w2.ticket);  // w1 gave up
    CHECK(handed->given.what == grant::open);
    CHECK_FALSE(pool.release(handed->given.slot, false, t0));
    CHECK(pool.counters().in_use == 0);
    CHECK(pool.counters().idle == 0);
    CHECK(pool.acquire().what == grant::open);
}

TEST_CASE("counters: opened, in use, idle, waiting", "[pool]")
{
    pool_state pool({.max_connections = 0});  // taken as 1
    CHECK(pool.options().max_connections == 1);
    auto const a = pool.acquire();
    pool.opened();
    pool.acquire();
    auto c = pool.counters();
    CHECK(c.connections_opened == 1);
    CHECK(c.in_use == 1);
    CHECK(c.waiting == 1);
    CHECK(c.idle == 0);
    CHECK_FALSE(pool.release(a.slot, true, t0).has_value() == false);  // to the waiter
    CHECK(pool.counters().waiting == 0);
}

TEST_CASE("acquire_if_free grants what acquire would, and never queues", "[pool]")
{
    // What the synchronous transport asks first: a kept connection or a free slot now, else
    // nothing, and the request queues with `acquire` as any other.
    pool_state pool({.max_connections = 2, .idle_timeout = 10s});
    auto const a = pool.acquire_if_free();
    REQUIRE(a);
    CHECK(a->what == grant::open);
    auto const b = pool.acquire_if_free();
    REQUIRE(b);
    CHECK(b->what == grant::open);
    CHECK_FALSE(pool.acquire_if_free());  // every slot in use
    CHECK(pool.counters().waiting == 0);  // and nothing was queued

    CHECK_FALSE(pool.release(a->slot, true, t0));
    auto const kept = pool.acquire_if_free();
    REQUIRE(kept);
    CHECK(kept->what == grant::reuse);
    CHECK(kept->slot == a->slot);

    // With a request waiting, a newcomer is given nothing, not even a slot that frees up
    // and would go to the waiter.
    auto const waiting = pool.acquire();
    REQUIRE(waiting.what == grant::wait);
    CHECK_FALSE(pool.acquire_if_free());
    auto const handed = pool.release(kept->slot, true, t0);
    REQUIRE(handed);
    CHECK(handed->ticket == waiting.ticket);
    CHECK(pool.counters().in_use == 2);
}
