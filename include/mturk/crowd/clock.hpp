// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CLOCK_HPP
#define MTURK_CROWD_CLOCK_HPP

#include <chrono>
#include <concepts>
#include <thread>

namespace mturk::crowd {

/// A clock gives the UTC time that requests are signed with.
template <class C>
concept tells_utc_time = requires(C& c) {
    { c.now() } -> std::convertible_to<std::chrono::system_clock::time_point>;
};

/// A clock the synchronous client waits with (back-off, polling).
template <class C>
concept sleeps = requires(C& c, std::chrono::milliseconds d) { c.sleep_for(d); };

/** What `basic_client` asks of its clock. The client never reads the time or waits any
    other way, so a manual clock makes every test exact and instant.

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
    void sleep_for(std::chrono::milliseconds d) const { std::this_thread::sleep_for(d); }
};

}  // namespace mturk::crowd

#endif
