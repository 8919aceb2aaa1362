// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TESTING_SRC_HPP
#define MTURK_CROWD_TESTING_SRC_HPP

/* The test doubles' non-template code (the emulator), compiled once, for a program built
   with MTURK_CROWD_SEPARATE_COMPILATION that uses testing::emulator: include it in one
   translation unit beside <mturk/crowd/src.hpp> or src_core.hpp. Kept apart so that a
   program that does not use the emulator does not carry it. */
#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#error "mturk-crowd: testing/src.hpp is for builds that define MTURK_CROWD_SEPARATE_COMPILATION everywhere"
#endif

#include <mturk/crowd/testing/impl/emulator.ipp>

#endif
