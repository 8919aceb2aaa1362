// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_SETTINGS_ENVIRONMENT_HPP
#define MTURK_CROWD_SETTINGS_ENVIRONMENT_HPP

#include <mturk/crowd/detail/config.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace mturk::crowd {

/// Reads an environment variable; the library never calls getenv behind the caller's
/// back, so tests and embedded users can give it any environment.
using environment = std::function<std::optional<std::string>(std::string_view name)>;

/// The process's own environment.
MTURK_CROWD_DECL environment process_environment();

}  // namespace mturk::crowd

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/settings/impl/environment.ipp>
#endif

#endif
