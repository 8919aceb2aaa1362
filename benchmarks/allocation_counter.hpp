// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// Counts heap allocations by replacing the global operator new. Per thread, so that a
// server thread in the same process does not count. Include it in one file per program.
#ifndef MTURK_CROWD_BENCHMARKS_ALLOCATION_COUNTER_HPP
#define MTURK_CROWD_BENCHMARKS_ALLOCATION_COUNTER_HPP

#include <cstdlib>
#include <new>

namespace bench {
inline thread_local unsigned long long allocations_on_this_thread = 0;

/// Allocations made so far by the calling thread.
inline unsigned long long allocation_count() noexcept { return allocations_on_this_thread; }
}  // namespace bench

void* operator new(std::size_t size)
{
    ++bench::allocations_on_this_thread;
    if (void* p = std::malloc(size == 0 ? 1 : size))
        return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

#endif
