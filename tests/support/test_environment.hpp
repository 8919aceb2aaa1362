// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// An environment of a test's choosing, for what reads AWS settings from the environment.
#ifndef MTURK_CROWD_TESTS_TEST_ENVIRONMENT_HPP
#define MTURK_CROWD_TESTS_TEST_ENVIRONMENT_HPP

#include <mturk/crowd/settings/environment.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace test_environment {

/// `vars` as the whole environment.
inline mturk::crowd::environment env_of(std::map<std::string, std::string> vars)
{
    return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
        auto it = vars.find(std::string(name));
        return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
}

}  // namespace test_environment

#endif
