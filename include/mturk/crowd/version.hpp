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

#include <mturk/crowd/detail/config.hpp>

#include <string_view>

namespace mturk::crowd {

/// A version of the library: what the headers say (`header_version`) or what runs (`version()`).
struct library_version {
    int major;
    int minor;
    int patch;
    friend constexpr bool operator==(library_version, library_version) = default;
};

/// The headers' version, as the macros above give it.
inline constexpr library_version header_version{MTURK_CROWD_VERSION_MAJOR, MTURK_CROWD_VERSION_MINOR,
                                                MTURK_CROWD_VERSION_PATCH};

/// The version of the library this program runs. Header-only, the headers'; with
/// separate compilation, the compiled copy's, so a program can tell that it was linked
/// (or, with the shared library, loaded) with another version than it was compiled with:
/// `if (crowd::version() != crowd::header_version) ...`.
MTURK_CROWD_DECL library_version version() noexcept;

/// The same as text, "MAJOR.MINOR.PATCH".
MTURK_CROWD_DECL std::string_view version_string() noexcept;

}  // namespace mturk::crowd

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/impl/version.ipp>
#endif

#endif
