// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_SETTINGS_IMPL_ENVIRONMENT_IPP
#define MTURK_CROWD_SETTINGS_IMPL_ENVIRONMENT_IPP

#include <mturk/crowd/settings/environment.hpp>

#include <cstdlib>

namespace mturk::crowd {

MTURK_CROWD_DECL environment process_environment()
{
    return [](std::string_view name) -> std::optional<std::string> {
        std::string const key(name);
        if (char const* value = std::getenv(key.c_str()))
            return std::string(value);
        return std::nullopt;
    };
}

}  // namespace mturk::crowd

#endif
