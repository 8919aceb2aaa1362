// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The mistake the ABI guard catches: this file is compiled without
// MTURK_CROWD_SEPARATE_COMPILATION (tests/cmake/mixed_modes.cmake), the rest of the
// program with it. The twin build compiles it with the macro, and then it links.
#include <mturk/crowd/version.hpp>

std::string_view version_seen_by_the_other_part() { return mturk::crowd::version_string(); }
