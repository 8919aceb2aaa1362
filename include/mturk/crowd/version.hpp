// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_VERSION_HPP
#define MTURK_CROWD_VERSION_HPP

// CMake reads these three lines (CMakeLists.txt); keep their shape.
#define MTURK_CROWD_VERSION_MAJOR 0
#define MTURK_CROWD_VERSION_MINOR 1
#define MTURK_CROWD_VERSION_PATCH 0

/// The version as one number, MAJOR * 10000 + MINOR * 100 + PATCH, for `#if` tests.
#define MTURK_CROWD_VERSION \
    (MTURK_CROWD_VERSION_MAJOR * 10000 + MTURK_CROWD_VERSION_MINOR * 100 + MTURK_CROWD_VERSION_PATCH)

#endif
