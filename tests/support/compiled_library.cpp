// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The library's non-template code, compiled once for the project's own tests, examples,
// tools and benchmarks (MTURK_CROWD_SEPARATE_COMPILATION). Users keep the header-only
// default; tests/consumers/ checks both ways.
#include <mturk/crowd/src.hpp>
#include <mturk/crowd/testing/src.hpp>
#include <mturk/crowd/src_server.hpp>
