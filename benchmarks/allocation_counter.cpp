// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The replaced operator new and delete, in a file of their own: defined where callers can
// inline them, g++ 12 sees malloc'd memory reach a sized operator delete (Boost's
// wrapexcept::clone) and, in an optimised build, stops on -Werror=mismatched-new-delete.
#include "allocation_counter.hpp"

#include <cstdlib>
#include <new>

namespace {
thread_local unsigned long long allocations_on_this_thread = 0;
}

unsigned long long bench::allocation_count() noexcept { return allocations_on_this_thread; }

void* operator new(std::size_t size)
{
    ++allocations_on_this_thread;
    if (void* p = std::malloc(size == 0 ? 1 : size))
        return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
