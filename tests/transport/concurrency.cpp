// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// One client, many operations, over HTTPS to crowd-emulator with its faults on: 200
// overlapping asynchronous operations through the connection pool, one synchronous client
// shared by 16 threads, a connection handed between a thread's blocking exchange and one
// waiting on the reactor, and a terminal cancellation landing at every step of a real
// exchange (resolving, connecting, TLS, writing, reading, a back-off).
#include <mturk/crowd/beast_async_client.hpp>

#include <mturk/crowd/functions.hpp>

#include "cancel_after.hpp"
#include "running_emulator.hpp"
#include "test_pki.hpp"
#include "test_server.hpp"

#include <catch.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;
using namespace std::chrono_literals;

namespace {


crowd::client_config config_for(std::string const& url, int max_attempts)
{
    return emulator_client_config(url, max_attempts);
}

running_emulator emulator_with_faults(std::string const& tag, std::vector<std::string> faults)
{
    auto const& pki = test_pki::shared();
    std::vector<std::string> args{"--port", "0", "--tls-cert", write_file("cert-" + tag + ".pem", pki.localhost.certificate_pem),
                                  "--tls-key", write_file("key-" + tag + ".pem", pki.localhost.key_pem),
                                  "--complete-after", "100", "--seed", "5"};
    args.insert(args.end(), faults.begin(), faults.end());
    return running_emulator(args);
}


/// "<prefix><i>" as a task name. (Not inlined: g++ 12 warns of a false overflow in a
/// "literal" + std::to_string(i) it inlines.)
[[gnu::noinline]] crowd::task_name numbered(char const* prefix, int i)
{
    return crowd::task_name::parse(std::string(prefix) + std::to_string(i)).value();
}


}  // namespace

TEST_CASE("200 overlapping operations on one async client, through a pool of 8, with faults", "[e2e][pool]")
{
    auto service = emulator_with_faults("pool", {"--fault-share", "0.1", "--drop-share", "0.05"});
    std::size_t const max_connections = 8;
    asio::io_context io;
    auto client = crowd::make_async_client(io.get_executor(), config_for(service.url(), 12),
                                           {.ca_file = test_pki::ca_file(), .pool = {.max_connections = max_connections}})
                      .value();
    // 20 tasks made first, then 200 operations at once: 100 new tasks created, and 40
    // reads, 40 waits and 20 repeated creates of the first 20.
    {
        crowd::client setup = crowd::make_client(config_for(service.url(), 12), {.ca_file = test_pki::ca_file()}).value();
        for (int i = 0; i != 20; ++i)
            REQUIRE(setup.create<fn::sentiment_analysis>(numbered("p", i),
                                                          {.text = "hi"}));
    }
    fn::sentiment_analysis_input const input{.text = "hi"};
    int succeeded = 0;
    int completions = 0;
    std::size_t most_held = 0;  // in use + idle, seen at every completion
    std::size_t most_waiting = 0;
    std::vector<std::string> failures;
    auto note = [&](bool ok, std::string const& what) {
        ++completions;
        succeeded += ok;
        if (!ok)
            failures.push_back(what);
        auto const pool = client.transport().pool();
        most_held = std::max(most_held, pool.in_use + pool.idle);
        most_waiting = std::max(most_waiting, pool.waiting);
    };
    for (int i = 0; i != 100; ++i)
        client.async_create<fn::sentiment_analysis>(numbered("c", i), input,
                                                    [&](auto r) { note(r.has_value(), r ? "" : r.error().what()); });
    for (int i = 0; i != 40; ++i)
        client.async_get<fn::sentiment_analysis>(numbered("p", i % 20),
                                                 [&](auto r) { note(r.has_value(), r ? "" : r.error().what()); });
    for (int i = 0; i != 40; ++i)
        client.async_wait<fn::sentiment_analysis>(numbered("p", i % 20),
                                                  {.first_delay = 20ms, .max_delay = 50ms, .timeout = 30s},
                                                  [&](auto r) { note(r.has_value(), r ? "" : r.error().what()); });
    for (int i = 0; i != 20; ++i)
        client.async_create<fn::sentiment_analysis>(numbered("p", i), input,
                                                    [&](auto r) { note(r.has_value(), r ? "" : r.error().what()); });
    auto const started = client.transport().pool();
    CHECK(started.in_use == 0);  // nothing starts inside the initiating calls
    io.run();
    INFO((failures.empty() ? std::string() : failures.front()));
    CHECK(completions == 200);
    CHECK(succeeded == 200);
    CHECK(most_held <= max_connections);
    CHECK(most_waiting > 0);  // the pool was full, and its queue served
    auto const pool = client.transport().pool();
    CHECK(pool.in_use == 0);
    CHECK(pool.waiting == 0);
    CHECK(pool.idle <= max_connections);

    auto const stats = emulator_stats(service.url(), 20);
    REQUIRE(stats.is_object());
    CHECK(count_of(stats, "PUT 201") == 120);  // every task created exactly once
    CHECK(count_of(stats, "GET 500") + count_of(stats, "GET 503") + count_of(stats, "PUT 500") +
              count_of(stats, "PUT 503") > 0);  // the faults happened, and were survived
}

TEST_CASE("without faults, a pool of 4 never opens more than 4 connections for 100 overlapping reads", "[e2e][pool]")
{
    auto service = emulator_with_faults("pool-clean", {"--fault-share", "0"});
    asio::io_context io;
    auto client = crowd::make_async_client(io.get_executor(), config_for(service.url(), 3),
                                           {.ca_file = test_pki::ca_file(), .pool = {.max_connections = 4}})
                      .value();
    int not_found = 0;
    for (int i = 0; i != 100; ++i)
        client.async_get<fn::sentiment_analysis>(numbered("n", i), [&](auto r) {
            not_found += !r && r.error() == crowd::errc::task_not_found;
        });
    io.run();
    CHECK(not_found == 100);
    CHECK(client.transport().pool().connections_opened == 4);
    CHECK(client.transport().pool().idle == 4);
}

TEST_CASE("one synchronous client shared by 16 threads, with faults", "[e2e][threads]")
{
    auto service = emulator_with_faults("threads", {"--fault-share", "0.1", "--drop-share", "0.05", "--throttle-rps", "400",
                                                    "--throttle-burst", "50"});
    auto client = crowd::make_client(config_for(service.url(), 12),
                                     {.ca_file = test_pki::ca_file(), .pool = {.max_connections = 6}})
                      .value();
    std::atomic<int> succeeded{0};
    std::mutex failures_mutex;
    std::vector<std::string> failures;
    auto record = [&](bool ok, crowd::error const& e) {
        if (ok) {
            ++succeeded;
            return;
        }
        std::lock_guard<std::mutex> lock(failures_mutex);
        failures.push_back(e.what());
    };
    std::vector<std::thread> threads;
    for (int t = 0; t != 16; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i != 5; ++i) {
                auto const name = crowd::task_name::parse("th" + std::to_string(t) + "-" + std::to_string(i)).value();
                auto const created = client.create<fn::sentiment_analysis>(name, {.text = "hi"});
                record(created.has_value(), created ? crowd::error() : created.error());
                auto const read = client.get<fn::sentiment_analysis>(name);
                record(read.has_value(), read ? crowd::error() : read.error());
                auto const done = client.wait<fn::sentiment_analysis>(name, {.first_delay = 20ms, .max_delay = 50ms,
                                                                             .timeout = 30s});
                record(done.has_value(), done ? crowd::error() : done.error());
                auto const removed = client.remove<fn::sentiment_analysis>(name);
                record(removed.has_value(), removed ? crowd::error() : removed.error());
            }
        });
    for (auto& thread : threads)
        thread.join();
    INFO((failures.empty() ? std::string() : failures.front()));
    CHECK(succeeded == 16 * 5 * 4);
    auto const pool = client.transport().pool();
    CHECK(pool.in_use == 0);
    CHECK(pool.idle <= 6);
    auto const stats = emulator_stats(service.url(), 20);
    REQUIRE(stats.is_object());
    CHECK(count_of(stats, "PUT 201") == 80);     // each task created once
    CHECK(count_of(stats, "DELETE 204") == 80);  // and removed once
}

TEST_CASE("a connection used in blocking calls is handed to a request waiting on the reactor", "[threads]")
{
    // A pool of one: the first thread sends on the kept connection in blocking calls while
    // the second waits for it on the io_context; handed over, it serves the reactor's
    // asynchronous exchange (back in non-blocking mode), and no second connection is opened.
    bool const secure = GENERATE(true, false);
    CAPTURE(secure);
    std::atomic<int> seen{0};
    test_server::server server(secure ? std::optional(test_pki::shared().localhost) : std::nullopt,
                               test_server::behaviour::answer, [&](crowd::http_request const& r) {
                                   if (++seen == 2)
                                       std::this_thread::sleep_for(300ms);  // holds the connection a while
                                   return test_server::reply{200, "{\"target\":\"" + r.target + "\"}"};
                               });
    auto const where = crowd::parse_endpoint(std::string(secure ? "https" : "http") + "://localhost:" +
                                            std::to_string(server.port()))
                             .value();
    crowd::transport::beast_options options{.ca_file = test_pki::ca_file()};
    options.pool.max_connections = 1;
    auto transport = crowd::transport::beast_transport::make(where, options, [](std::string_view) {
                         return std::optional<std::string>();
                     }).value();
    auto get_request = [&](std::string target) {
        crowd::http_request r;
        r.target = std::move(target);
        r.fields.add("Host", where.host_header());
        return r;
    };
    REQUIRE(transport.send(get_request("/open")));
    std::optional<crowd::result<crowd::http_response>> slow;
    std::thread holder([&] { slow.emplace(transport.send(get_request("/slow"))); });
    while (seen < 2)
        std::this_thread::sleep_for(5ms);
    CHECK(transport.pool().in_use == 1);
    auto const waited = transport.send(get_request("/waited"));
    holder.join();
    REQUIRE(slow);
    REQUIRE(*slow);
    CHECK((*slow)->body.find("/slow") != std::string::npos);
    REQUIRE(waited);
    CHECK(waited->body.find("/waited") != std::string::npos);
    // And once more in blocking calls, after the reactor's use.
    auto const again = transport.send(get_request("/again"));
    REQUIRE(again);
    CHECK(again->body.find("/again") != std::string::npos);
    CHECK(transport.connections_opened() == 1);
    CHECK(server.connections() == 1);
}

TEST_CASE("a terminal cancellation at every step of a real exchange completes once, never by an exception",
          "[async][cancellation]")
{
    // The first request of each connection is answered 503, the next 200: resolving,
    // connecting, the TLS handshake, writing, reading, the back-off and the second
    // exchange are each cut in turn.
    auto const& pki = test_pki::shared();
    std::atomic<int> answered{0};
    test_server::server server(pki.localhost, test_server::behaviour::answer, [&](auto const&) {
        if (answered++ % 2 == 0)
            return test_server::reply{503, R"({"message":"busy"})"};
        return test_server::reply{200, R"({"taskName":"t1","input":{"text":"hi"},"state":"completed","result":{"sentiment":"positive"}})"};
    });
    auto const where = crowd::parse_endpoint("https://localhost:" + std::to_string(server.port())).value();
    bool reached_the_end = false;
    int aborted = 0;
    for (int steps = 0; steps < 400 && !reached_the_end; steps += 1 + steps / 40) {
        INFO("cancelled after " << steps << " handlers");
        answered = 0;
        asio::io_context io;
        auto client = crowd::async_client::make(
                          config_for(where.url(), 3),
                          crowd::transport::async_beast_transport::make(io.get_executor(), where, {.ca_file = test_pki::ca_file()})
                              .value(),
                          crowd::system_clock{}, crowd::aws_retry(crowd::standard_retry({.transient_base = 20ms}, [] { return 0.5; })))
                          .value();
        auto const got = cancel_after<crowd::result<crowd::task<fn::sentiment_analysis>>>(io, steps, [&](auto token) {
            client.async_get<fn::sentiment_analysis>(crowd::task_name("t1"), std::move(token));
        });
        CHECK(got.completions == 1);
        REQUIRE(got.result);
        if (*got.result) {
            reached_the_end = true;
        } else {
            CHECK(got.result->error() == boost::system::errc::operation_canceled);
            ++aborted;
        }
        CHECK(client.transport().pool().in_use == 0);  // nothing leaked from the pool
    }
    CHECK(reached_the_end);
    CHECK(aborted > 5);
}
