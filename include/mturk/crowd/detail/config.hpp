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

/* The two modes must not meet in one program: a header-only translation unit carries its
   own inline copy of each function the other mode's units take from the compiled copy,
   and the linker would keep one of them silently (an ODR violation that bites when the
   two were built from different versions or settings). So every translation unit defines
   one variable, a thread-local one under MTURK_CROWD_SEPARATE_COMPILATION and a plain one
   otherwise; linkers refuse a symbol that is both, and their message names it:
     ld: ...this_program_mixes_header_only_and_MTURK_CROWD_SEPARATE_COMPILATION_units:
         TLS definition in a.o ... mismatches non-TLS reference in b.o
   The header-only side is the plain one: a byte, merged into one per program, and no
   thread-local storage for embedded targets. The check covers object files and static
   libraries; a shared library's definitions are not compared by the linker (docs/install.md).
   MSVC states the same rule with #pragma detect_mismatch. */
namespace mturk::crowd::abi {
#if defined(__GNUC__) || defined(__clang__)
#if defined(MTURK_CROWD_SEPARATE_COMPILATION)
[[gnu::used]] inline thread_local char this_program_mixes_header_only_and_MTURK_CROWD_SEPARATE_COMPILATION_units{};
#else
[[gnu::used]] inline char this_program_mixes_header_only_and_MTURK_CROWD_SEPARATE_COMPILATION_units{};
#endif
#endif
}  // namespace mturk::crowd::abi
#if defined(_MSC_VER)
#if defined(MTURK_CROWD_SEPARATE_COMPILATION)
#pragma detect_mismatch("mturk_crowd_compilation_mode", "MTURK_CROWD_SEPARATE_COMPILATION")
#else
#pragma detect_mismatch("mturk_crowd_compilation_mode", "header-only")
#endif
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
