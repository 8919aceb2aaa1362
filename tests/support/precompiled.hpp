// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The headers the test binaries share, compiled once per build into one precompiled header
// (tests/CMakeLists.txt, MTURK_CROWD_TEST_PCH), as Boost.MySQL's unit tests do. The core's
// unit tests (crowd-tests-core) do not use it: each of them includes the header it tests
// first, which proves that header stands on its own.
#ifndef MTURK_CROWD_TESTS_PRECOMPILED_HPP
#define MTURK_CROWD_TESTS_PRECOMPILED_HPP

#include <catch.hpp>

#include <mturk/crowd/client.hpp>
#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/credentials/default_chain.hpp>
#include <mturk/crowd/testing/emulator.hpp>
#include <mturk/crowd/testing/fake_transport.hpp>
#include <mturk/crowd/testing/manual_clock.hpp>
#include <mturk/crowd/beast_client.hpp>
#include <mturk/crowd/beast_async_client.hpp>
#include <mturk/crowd/transport/http_server.hpp>

#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#endif
