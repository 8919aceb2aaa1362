// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The coroutine quick start of docs/async.md (the regions "coroutine" and "run"),
// compiled with the project so that it stays true.
#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/beast_async_client.hpp>  // async_client, make_async_client

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <iostream>

namespace asio = boost::asio;
namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;

//[coroutine
asio::awaitable<void> review(crowd::async_client& client)
{
    constexpr crowd::task_name name{"review-42"};
    fn::sentiment_analysis_input const input{.text = "Everything is wonderful."};  // named: g++ 12, see below
    auto created = co_await client.async_create<fn::sentiment_analysis>(name, input, asio::use_awaitable);
    if (!created) {
        std::cerr << created.error() << '\n';
        co_return;
    }
    auto done = co_await client.async_wait<fn::sentiment_analysis>(name, {}, asio::use_awaitable);
    if (done && done->result)
        std::cout << done->result->sentiment << '\n';
}
//]

int main()
{
    //[run
    asio::io_context io;
    constexpr crowd::account_id account{"123456789012"};
    auto client = crowd::make_async_client(io.get_executor(), {.account = account});
    if (!client) {
        std::cerr << client.error() << '\n';
        return 1;
    }
    asio::co_spawn(io, review(*client), asio::detached);
    io.run();
    //]
}
