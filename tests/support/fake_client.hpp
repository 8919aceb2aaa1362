// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// What the client tests over the fake transport share: task documents of sentiment-analysis
// task "t1", and a client configuration with fixed credentials, an environment of the
// test's choosing and no wait jitter.
#ifndef MTURK_CROWD_TESTS_FAKE_CLIENT_HPP
#define MTURK_CROWD_TESTS_FAKE_CLIENT_HPP

#include <mturk/crowd/client.hpp>
#include <mturk/crowd/testing/fake_transport.hpp>
#include <mturk/crowd/testing/manual_clock.hpp>

#include "test_environment.hpp"

#include <map>
#include <string>
#include <utility>

namespace fake_client {

/// The task the documents below describe.
inline constexpr mturk::crowd::task_name t1{"t1"};

/// The client of these tests: the fake transport, the manual clock, the standard retries.
using test_client = mturk::crowd::basic_client<mturk::crowd::testing::fake_transport,
                                               mturk::crowd::testing::manual_clock, mturk::crowd::standard_retry>;

inline std::string const processing =
    R"({"taskName":"t1","input":{"text":"hi"},"problemDetails":null,"state":"processing","result":null})";
inline std::string const completed =
    R"({"taskName":"t1","input":{"text":"hi"},"problemDetails":null,"state":"completed","result":{"sentiment":"positive"}})";

/// Account 123456789012, key AKIDEXAMPLE, `env` as the whole environment, and a wait
/// jitter of 0 (each pause is half the delay).
inline mturk::crowd::client_config config(std::map<std::string, std::string> env = {})
{
    return {.account = mturk::crowd::account_id{"123456789012"},
            .credentials = [] { return mturk::crowd::sigv4::credentials::make("AKIDEXAMPLE", "secret"); },
            .env = test_environment::env_of(std::move(env)),
            .random = [] { return 0.0; }};
}

}  // namespace fake_client

#endif
