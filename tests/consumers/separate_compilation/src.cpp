// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The one translation unit that compiles the library's non-template code.
#include <mturk/crowd/src.hpp>
