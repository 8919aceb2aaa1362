// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The program's main part, compiled with MTURK_CROWD_SEPARATE_COMPILATION and linked with
// the compiled library (libmturk-crowd.a).
#include <mturk/crowd/version.hpp>

std::string_view version_seen_by_the_other_part();

int main() { return mturk::crowd::version_string() == version_seen_by_the_other_part() ? 0 : 1; }
