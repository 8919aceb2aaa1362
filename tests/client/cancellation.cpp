// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// Cancellation as Asio defines it, over a transport of the test's own that answers from a
// script and cannot be stopped (as a user's transport may not be): terminal at every step,
// partial and total where stopping leaves a known state, exactly one completion, and never
// an exception out of run(). Also: a client moved or destroyed while its operations run,
// and a deferred operation that takes its deadline when it is launched.
#include <mturk/crowd/async_operations.hpp>

#include <mturk/crowd/functions.hpp>

#include "cancel_after.hpp"
#include "fake_client.hpp"

#include <catch.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <deque>
#include <memory>
#include <optional>
#include <thread>

namespace asio = boost::asio;
namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;
using namespace std::chrono_literals;

namespace {

using fake_client::completed;
using fake_client::processing;

struct scripted_reply {
    unsigned status = 200;
    std::string body;
    std::chrono::milliseconds after{0};  ///< how long the exchange takes
};

/** An asynchronous transport that answers each send with the next reply of its script
    (the last one again once it runs out), after the reply's delay, whatever cancellation
    asks: a transport that cannot stop an exchange under way. */
struct scripted_transport {
    using is_async_transport = std::true_type;
    using executor_type = asio::any_io_executor;

    executor_type executor;
    std::shared_ptr<std::deque<scripted_reply>> script;
    std::shared_ptr<int> sent = std::make_shared<int>(0);

    executor_type get_executor() const { return executor; }

    template <class Token>
    auto async_send(crowd::http_request const&, Token&& token)
    {
        return asio::async_initiate<Token, void(crowd::result<crowd::http_response>)>(
            [this](auto handler) {
                ++*sent;
                scripted_reply const next = script->front();
                if (script->size() > 1)
                    script->pop_front();
                auto timer = std::make_shared<asio::steady_timer>(executor, next.after);
                timer->async_wait([timer, next, h = std::move(handler)](boost::system::error_code) mutable {
                    crowd::http_response response;
                    response.status = next.status;
                    response.body = next.body;
                    std::move(h)(crowd::result<crowd::http_response>(std::move(response)));
                });
            },
            token);
    }
};

using scripted_client = crowd::basic_client<scripted_transport, crowd::system_clock, crowd::standard_retry>;

using fake_client::t1;

/// A client over `script`; its back-offs are 90% of their ceiling (50 ms after a 503).
scripted_client client_over(asio::io_context& io, std::deque<scripted_reply> script, unsigned max_attempts = 3)
{
    scripted_transport transport{io.get_executor(), std::make_shared<std::deque<scripted_reply>>(std::move(script))};
    return scripted_client::make(
               {.account = crowd::account_id("123456789012"),
                .endpoint = "https://localhost:1",
                .credentials = [] { return crowd::sigv4::credentials::make("AKIDEXAMPLE", "secret"); },
                .env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; }},
               std::move(transport), crowd::system_clock{},
               crowd::standard_retry({.max_attempts = max_attempts, .transient_base = 100ms}, [] { return 0.9; }))
        .value();
}

/// Emits `type` on `signal` after `delay`, on `io`.
void emit_after(asio::io_context& io, asio::cancellation_signal& signal, std::chrono::milliseconds delay,
                asio::cancellation_type type)
{
    auto timer = std::make_shared<asio::steady_timer>(io, delay);
    timer->async_wait([timer, &signal, type](boost::system::error_code) { signal.emit(type); });
}

bool aborted(crowd::error const& e) { return e == boost::system::errc::operation_canceled; }

}  // namespace

TEST_CASE("a terminal cancellation during an exchange that ends in a 503 completes with operation_aborted, not an exception",
          "[async][cancellation]")
{
    asio::io_context io;
    auto client = client_over(io, {{503, R"({"message":"busy"})", 100ms}, {200, completed}});
    asio::cancellation_signal cancel;
    int completions = 0;
    std::optional<crowd::error> outcome;
    client.async_get<fn::sentiment_analysis>(t1, asio::bind_cancellation_slot(cancel.slot(), [&](auto r) {
                                                 ++completions;
                                                 outcome = r ? crowd::error() : r.error();
                                             }));
    emit_after(io, cancel, 20ms, asio::cancellation_type::terminal);
    CHECK_NOTHROW(io.run());
    CHECK(completions == 1);
    REQUIRE(outcome);
    CHECK(aborted(*outcome));
    CHECK(*client.transport().sent == 1);  // no retry after the 503
}

TEST_CASE("an answer that ends the operation is its result, even when a cancellation came during the exchange",
          "[async][cancellation]")
{
    asio::io_context io;
    auto client = client_over(io, {{200, completed, 100ms}});
    asio::cancellation_signal cancel;
    std::optional<crowd::result<crowd::task<fn::sentiment_analysis>>> got;
    client.async_get<fn::sentiment_analysis>(t1, asio::bind_cancellation_slot(cancel.slot(), [&](auto r) { got = r; }));
    emit_after(io, cancel, 20ms, asio::cancellation_type::terminal);
    CHECK_NOTHROW(io.run());
    REQUIRE(got);
    REQUIRE(*got);  // the task was read: nothing is thrown away
    CHECK((*got)->state == crowd::task_state::completed);
}

TEST_CASE("partial and total cancellation stop a wait in its pause between polls", "[async][cancellation]")
{
    for (auto const type : {asio::cancellation_type::partial, asio::cancellation_type::total,
                            asio::cancellation_type::terminal}) {
        INFO(static_cast<int>(type));
        asio::io_context io;
        auto client = client_over(io, {{200, processing}});
        asio::cancellation_signal cancel;
        std::optional<crowd::error> outcome;
        auto const started = std::chrono::steady_clock::now();
        client.async_wait<fn::sentiment_analysis>(
            t1, {.first_delay = 2s, .max_delay = 2s, .timeout = 30s},
            asio::bind_cancellation_slot(cancel.slot(), [&](auto r) { outcome = r ? crowd::error() : r.error(); }));
        emit_after(io, cancel, 50ms, type);
        CHECK_NOTHROW(io.run());
        REQUIRE(outcome);
        CHECK(aborted(*outcome));
        CHECK(std::chrono::steady_clock::now() - started < 1s);  // the pause of at least 1 s was cut short
        CHECK(*client.transport().sent == 1);
    }
}

TEST_CASE("partial cancellation does not stop a create whose first attempt may have been acted on, terminal does",
          "[async][cancellation]")
{
    fn::sentiment_analysis_input const input{.text = "hi"};
    for (auto const type : {asio::cancellation_type::partial, asio::cancellation_type::terminal}) {
        INFO(static_cast<int>(type));
        asio::io_context io;
        // A 503 may have been acted on: the back-off (90 ms) after it is no clean place to stop.
        auto client = client_over(io, {{503, R"({"message":"busy"})"}, {201, processing}});
        asio::cancellation_signal cancel;
        std::optional<crowd::result<crowd::created_task<fn::sentiment_analysis>>> got;
        client.async_create<fn::sentiment_analysis>(t1, input,
                                                    asio::bind_cancellation_slot(cancel.slot(), [&](auto r) { got = r; }));
        emit_after(io, cancel, 30ms, type);
        CHECK_NOTHROW(io.run());
        REQUIRE(got);
        if (type == asio::cancellation_type::partial) {
            REQUIRE(*got);
            CHECK(*client.transport().sent == 2);
        } else {
            CHECK(aborted(got->error()));
            CHECK(*client.transport().sent == 1);
        }
    }
    // Partial stops a create's back-off after a 429: nothing was acted on.
    asio::io_context io;
    auto client = client_over(io, {{429, R"({"message":"Rate exceeded"})"}, {201, processing}});
    asio::cancellation_signal cancel;
    std::optional<crowd::result<crowd::created_task<fn::sentiment_analysis>>> got;
    client.async_create<fn::sentiment_analysis>(t1, input,
                                                asio::bind_cancellation_slot(cancel.slot(), [&](auto r) { got = r; }));
    emit_after(io, cancel, 30ms, asio::cancellation_type::partial);
    io.run();
    REQUIRE(got);
    CHECK(aborted(got->error()));
    CHECK(*client.transport().sent == 1);
}

TEST_CASE("a terminal cancellation at every step completes exactly once, never by an exception", "[async][cancellation]")
{
    // A 503, its back-off, a `processing` poll, the pause, and the completed task: the
    // cancellation lands after 0, 1, 2... handlers have run, until one lands after the end.
    bool reached_the_end = false;
    for (int steps = 0; steps < 40 && !reached_the_end; ++steps) {
        INFO("cancelled after " << steps << " handlers");
        asio::io_context io;
        auto client = client_over(io, {{503, R"({"message":"busy"})", 5ms}, {200, processing, 5ms}, {200, completed, 5ms}});
        auto const got = cancel_after<crowd::result<crowd::task<fn::sentiment_analysis>>>(io, steps, [&](auto token) {
            client.async_wait<fn::sentiment_analysis>(t1, {.first_delay = 10ms, .max_delay = 10ms, .timeout = 10s},
                                                      std::move(token));
        });
        CHECK(got.completions == 1);
        REQUIRE(got.result);
        if (*got.result)
            reached_the_end = true;  // the cancellation came after the result was on its way
        else
            CHECK(aborted(got.result->error()));
    }
    CHECK(reached_the_end);
}

TEST_CASE("a result already on its way is delivered, whatever comes after", "[async][cancellation]")
{
    asio::io_context io;
    asio::io_context handlers;  // the handler's own executor, run later
    auto client = client_over(io, {{200, completed}});
    asio::cancellation_signal cancel;
    std::optional<crowd::result<crowd::task<fn::sentiment_analysis>>> got;
    client.async_get<fn::sentiment_analysis>(
        t1, asio::bind_cancellation_slot(cancel.slot(), asio::bind_executor(handlers, [&](auto r) { got = r; })));
    io.run();  // done: the handler is queued on `handlers`
    CHECK_FALSE(got);
    cancel.emit(asio::cancellation_type::terminal);
    handlers.run();
    REQUIRE(got);
    CHECK(*got);
}

TEST_CASE("the handler's executor has work until the handler has run", "[async][cancellation]")
{
    asio::io_context io;
    asio::io_context handlers;
    auto client = client_over(io, {{200, completed, 200ms}});
    bool got = false;
    client.async_get<fn::sentiment_analysis>(t1, asio::bind_executor(handlers, [&](auto r) { got = r.has_value(); }));
    // Without work, handlers.run() would return at once; with the operation's work guard
    // it returns once the handler has run.
    std::thread io_thread([&] { io.run(); });
    handlers.run();
    io_thread.join();
    CHECK(got);
}

TEST_CASE("destroying a client completes its running operations with operation_aborted", "[async][cancellation]")
{
    asio::io_context io;
    auto client = std::make_optional(client_over(io, {{200, processing, 5ms}}));
    int aborted_count = 0;
    int completions = 0;
    for (int i = 0; i != 5; ++i)
        client->async_wait<fn::sentiment_analysis>(t1, {.first_delay = 1s, .max_delay = 1s, .timeout = 30s}, [&](auto r) {
            ++completions;
            aborted_count += !r && aborted(r.error());
        });
    auto const started = std::chrono::steady_clock::now();
    asio::steady_timer soon(io, 50ms);
    soon.async_wait([&](boost::system::error_code) { client.reset(); });
    CHECK_NOTHROW(io.run());
    CHECK(completions == 5);
    CHECK(aborted_count == 5);
    CHECK(std::chrono::steady_clock::now() - started < 900ms);
}

TEST_CASE("a client moved while its operations run", "[async]")
{
    asio::io_context io;
    auto first = client_over(io, {{200, processing, 20ms}, {200, completed, 20ms}});
    int done = 0;
    for (int i = 0; i != 3; ++i)
        first.async_wait<fn::sentiment_analysis>(t1, {.first_delay = 10ms, .max_delay = 10ms, .timeout = 10s},
                                                 [&](auto r) { done += r.has_value(); });
    auto second = std::move(first);   // the operations keep what they use
    scripted_client third = std::move(second);
    io.run();
    CHECK(done == 3);
    CHECK(*third.transport().sent >= 3);
}

TEST_CASE("a deferred wait takes its deadline when it is launched", "[async]")
{
    asio::io_context io;
    auto client = client_over(io, {{200, processing}});
    auto deferred = client.async_wait<fn::sentiment_analysis>(
        t1, {.first_delay = 20ms, .max_delay = 20ms, .timeout = 300ms}, asio::deferred);
    std::this_thread::sleep_for(400ms);  // longer than the wait's timeout
    std::optional<crowd::error> outcome;
    std::move(deferred)([&](auto r) { outcome = r ? crowd::error() : r.error(); });
    io.run();
    REQUIRE(outcome);
    CHECK(*outcome == crowd::errc::wait_timed_out);
    CHECK(*client.transport().sent >= 3);  // it polled for 300 ms from its launch, not once
}

TEST_CASE("a client that outlives its io_context is destroyed cleanly", "[async][cancellation]")
{
    std::optional<scripted_client> client;
    int completions = 0;
    {
        asio::io_context io;
        client.emplace(client_over(io, {{200, processing, 5ms}}));
        client->async_wait<fn::sentiment_analysis>(t1, {.first_delay = 1s, .max_delay = 1s, .timeout = 30s},
                                                   [&](auto) { ++completions; });
        io.run_for(50ms);  // the wait is in its pause when the io_context goes
    }
    client.reset();  // nothing to cancel any more, and nothing posted to the io_context that is gone
    CHECK(completions == 0);
}
