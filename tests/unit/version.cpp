// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#include <mturk/crowd/version.hpp>

#include <catch.hpp>

#include <string>

TEST_CASE("version.hpp and the CMake project agree on the version", "[version]")
{
    std::string const from_header = std::to_string(MTURK_CROWD_VERSION_MAJOR) + "." +
                                    std::to_string(MTURK_CROWD_VERSION_MINOR) + "." +
                                    std::to_string(MTURK_CROWD_VERSION_PATCH);
    CHECK(from_header == MTURK_CROWD_TEST_PROJECT_VERSION);
    CHECK(MTURK_CROWD_VERSION ==
          MTURK_CROWD_VERSION_MAJOR * 10000 + MTURK_CROWD_VERSION_MINOR * 100 + MTURK_CROWD_VERSION_PATCH);
}
