// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_IMPL_CLOCK_IPP
#define MTURK_CROWD_IMPL_CLOCK_IPP

#include <mturk/crowd/clock.hpp>

#include <thread>

namespace mturk::crowd {

MTURK_CROWD_DECL void system_clock::sleep_for(std::chrono::milliseconds d) const
{
    std::this_thread::sleep_for(d);
}

}  // namespace mturk::crowd

#endif
