// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// README's client quick start, compiled with the project so that it stays true. Running
// it needs an AWS account linked to MTurk (or AWS_ENDPOINT_URL_CROWD pointing at an
// emulator) and credentials from the default chain.
#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/transport/beast.hpp>  // the client alias and make_client()

#include <iostream>

int main()
{
    namespace crowd = mturk::crowd;
    namespace fn = mturk::crowd::functions;

    constexpr crowd::account_id account{"123456789012"};
    auto client = crowd::make_client({.account = account});  // credentials: the default chain
    if (!client) {
        std::cerr << client.error() << '\n';
        return 1;
    }

    constexpr crowd::task_name name{"review-42"};
    auto created = client->create<fn::sentiment_analysis::test>(name, {.text = "Everything is wonderful."});
    if (!created) {
        std::cerr << created.error() << '\n';
        return 1;
    }
    auto done = client->wait<fn::sentiment_analysis::test>(name, {.timeout = std::chrono::minutes(5)});
    if (done && done->state == crowd::task_state::completed)
        std::cout << done->result->sentiment << '\n';
    if (auto removed = client->remove<fn::sentiment_analysis::test>(name); !removed)
        std::cerr << removed.error() << '\n';
    return done ? 0 : 1;
}
