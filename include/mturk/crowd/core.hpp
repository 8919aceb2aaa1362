// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CORE_HPP
#define MTURK_CROWD_CORE_HPP

// The core: names, functions, tasks, errors, messages. It includes no Asio, no Beast
// and no OpenSSL, so it is cheap to include; tests/cmake/check_core_isolation.cmake proves it.
#include <mturk/crowd/account_id.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/function.hpp>
#include <mturk/crowd/http_message.hpp>
#include <mturk/crowd/json_mapping.hpp>
#include <mturk/crowd/request.hpp>
#include <mturk/crowd/task.hpp>
#include <mturk/crowd/task_name.hpp>
#include <mturk/crowd/version.hpp>

#endif
