// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The translation unit that builds the test binaries' precompiled header (precompiled.hpp).
