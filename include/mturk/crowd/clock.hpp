// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CLOCK_HPP
#define MTURK_CROWD_CLOCK_HPP

#include <mturk/crowd/detail/config.hpp>

#include <chrono>
#include <concepts>

namespace mturk::crowd {

/// A clock gives the UTC time that requests are signed with.
template <class C>
concept tells_utc_time = requires(C& c) {
    { c.now() } -> std::convertible_to<std::chrono::system_clock::time_point>;
};

/// A clock the synchronous client waits with (back-off, polling).
template <class C>
concept sleeps = requires(C& c, std::chrono::milliseconds d) { c.sleep_for(d); };

/** What `basic_client` asks of its clock. The client reads the time only from it, and the
    synchronous calls wait only through it, so a manual clock makes every test exact and
    instant (the asynchronous ones wait on a timer of the transport's executor).

    | expression        | meaning                                      |
    |-------------------|----------------------------------------------|
    | `c.now()`         | UTC now, `std::chrono::system_clock::time_point` |
    | `c.sleep_for(d)`  | returns after `d` (milliseconds)             |
*/
template <class C>
concept client_clock = tells_utc_time<C> && sleeps<C>;

/// The real time, and real waiting.
struct system_clock {
    std::chrono::system_clock::time_point now() const { return std::chrono::system_clock::now(); }
    /// Out of line, so that every user of the client does not compile <thread>.
    MTURK_CROWD_DECL void sleep_for(std::chrono::milliseconds d) const;
};

}  // namespace mturk::crowd

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/impl/clock.ipp>
#endif

#endif
