// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_DETAIL_CONFIG_HPP
#define MTURK_CROWD_DETAIL_CONFIG_HPP

/* Header-only by default: the library's non-template functions are `inline`, defined in
   .ipp files under impl/ that their headers include. A program that defines
   MTURK_CROWD_SEPARATE_COMPILATION (everywhere) compiles them once instead, in one
   translation unit that includes <mturk/crowd/src.hpp> (the Boost.JSON model). */
#if defined(MTURK_CROWD_SEPARATE_COMPILATION)
#define MTURK_CROWD_DECL
#else
#define MTURK_CROWD_DECL inline
#endif

/* Whether exceptions are on: the library throws nothing itself (errors are results), and
   its few `try` blocks (around starting a thread) compile away without them, so embedded
   builds with -fno-exceptions -fno-rtti use the core, the signer and the client. */
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
#define MTURK_CROWD_HAS_EXCEPTIONS 1
#else
#define MTURK_CROWD_HAS_EXCEPTIONS 0
#endif

#endif
