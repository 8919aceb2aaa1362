// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// README's client quick start (the region "client"), compiled with the project so that it
// stays true. Running it needs an AWS account linked to MTurk (or AWS_ENDPOINT_URL_CROWD
// pointing at an emulator) and credentials from the default chain.
#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/beast_client.hpp>  // the client alias and make_client()

#include <iostream>

int main()
{
    namespace crowd = mturk::crowd;
    namespace fn = mturk::crowd::functions;
    using sentiment = fn::sentiment_analysis::test;  // the free -test twin; fn::sentiment_analysis for Workers

    //[client
    constexpr crowd::account_id account{"123456789012"};
    auto client = crowd::make_client({.account = account}).value();  // credentials: the default chain

    constexpr crowd::task_name name{"review-42"};                     // checked by the compiler
    auto created = client.create<sentiment>(name, {.text = "Everything is wonderful."});
    if (!created) { std::cerr << created.error() << '\n'; return 1; }  // e.g. "task input breaks..."
    auto done = client.wait<sentiment>(name, {.timeout = std::chrono::hours(2)});
    if (done && done->state == crowd::task_state::completed)
        std::cout << done->result->sentiment << '\n';                 // positive
    client.remove<sentiment>(name);                                   // frees the name for re-use
    //]
    return done ? 0 : 1;
}
