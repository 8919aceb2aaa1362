// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// Counts heap allocations by replacing the global operator new (allocation_counter.cpp,
// linked into each benchmark). Per thread, so that a server thread in the same process
// does not count.
#ifndef MTURK_CROWD_BENCHMARKS_ALLOCATION_COUNTER_HPP
#define MTURK_CROWD_BENCHMARKS_ALLOCATION_COUNTER_HPP

namespace bench {

/// Allocations made so far by the calling thread.
unsigned long long allocation_count() noexcept;

}  // namespace bench

#endif
