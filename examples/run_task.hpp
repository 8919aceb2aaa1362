// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The examples' helpers: a client from the environment, and a task from start to end.
#ifndef MTURK_CROWD_EXAMPLES_RUN_TASK_HPP
#define MTURK_CROWD_EXAMPLES_RUN_TASK_HPP

#include <mturk/crowd/beast_client.hpp>

#include <chrono>
#include <iostream>
#include <optional>
#include <utility>

/// A client configured from the environment only (AWS_ACCOUNT_ID, AWS_ENDPOINT_URL_CROWD,
/// AWS_CA_BUNDLE, the credentials chain); empty, with the reason on stderr, when that fails.
inline std::optional<mturk::crowd::client> client_from_environment()
{
    auto client = mturk::crowd::make_client({});
    if (!client) {
        std::cerr << client.error() << '\n';
        return std::nullopt;
    }
    return std::move(*client);
}

/// One task from start to end: create, wait, delete. Empty (the reason on stderr) when a
/// step fails; a task that failed at the Workers is returned, with its problem.
template <mturk::crowd::api_function F>
std::optional<mturk::crowd::task<F>> run_task(mturk::crowd::client& client, mturk::crowd::task_name const& name,
                                              typename F::input_type const& input)
{
    auto created = client.create<F>(name, input);
    auto done = created ? client.wait<F>(name, {.first_delay = std::chrono::milliseconds(250),
                                                   .max_delay = std::chrono::seconds(2),
                                                   .timeout = std::chrono::minutes(5)})
                        : mturk::crowd::result<mturk::crowd::task<F>>(created.error());
    if (!done) {
        std::cerr << F::name << ' ' << name << ": " << done.error() << '\n';
        return std::nullopt;
    }
    if (auto removed = client.remove<F>(name); !removed) {
        std::cerr << F::name << ' ' << name << ": deleting: " << removed.error() << '\n';
        return std::nullopt;
    }
    if (done->problem)
        std::cerr << F::name << ' ' << name << " failed: " << done->problem->code << '\n';
    return std::move(*done);
}

#endif
