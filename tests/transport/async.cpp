// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The asynchronous client over loopback HTTPS: every kind of completion token, the
// handler's executor, and cancellation while waiting out a back-off.
#include <mturk/crowd/beast_async_client.hpp>

#include <mturk/crowd/functions.hpp>

#include "fake_client.hpp"
#include "test_pki.hpp"
#include "test_server.hpp"

#include <catch.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <mutex>
#include <thread>
#include <filesystem>
#include <fstream>
#include <vector>

namespace asio = boost::asio;
namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {


constexpr crowd::account_id account{"123456789012"};
using fake_client::t1;

using fake_client::completed;
using fake_client::processing;

/// A server that creates on PUT, answers GETs with `processing` `pending` times and then
/// `completed`, and deletes on DELETE.
struct crowd_server {
    std::atomic<int> pending;
    test_server::server server;
    explicit crowd_server(int processing_gets = 0)
        : pending(processing_gets),
          server(test_pki::shared().localhost, test_server::behaviour::answer, [this](auto const& request) {
              if (request.method == crowd::http_method::put)
                  return test_server::reply{201, processing};
              if (request.method == crowd::http_method::delete_)
                  return test_server::reply{204, ""};
              if (pending-- > 0)
                  return test_server::reply{200, processing};
              return test_server::reply{200, completed};
          })
    {
    }
};

crowd::async_client client_for(asio::io_context& io, unsigned short port)
{
    return crowd::make_async_client(
               io.get_executor(),
               {.account = account,
                .endpoint = "https://localhost:" + std::to_string(port),
                .credentials = [] { return crowd::sigv4::credentials::make("AKIDEXAMPLE", "secret"); },
                .env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; }},
               {.ca_file = test_pki::ca_file()})
        .value();
}

}  // namespace

TEST_CASE("callbacks complete on the handler's executor", "[async]")
{
    crowd_server crowd;
    asio::io_context io;
    auto client = client_for(io, crowd.server.port());
    auto strand = asio::make_strand(io);
    bool created = false;
    bool on_strand = false;
    client.async_create<fn::sentiment_analysis>(t1, {.text = "hi"}, asio::bind_executor(strand, [&](crowd::result<crowd::created_task<fn::sentiment_analysis>> r) {
            on_strand = strand.running_in_this_thread();
            created = r && r->creation == crowd::creation::created;
        }));
    io.run();
    CHECK(created);
    CHECK(on_strand);
}

TEST_CASE("use_future", "[async]")
{
    crowd_server crowd;
    asio::io_context io;
    auto client = client_for(io, crowd.server.port());
    auto future = client.async_get<fn::sentiment_analysis>(t1, asio::use_future);
    std::thread runner([&] { io.run(); });
    auto const got = future.get();
    runner.join();
    REQUIRE(got);
    CHECK(got->result->sentiment == fn::sentiment::positive);
}

TEST_CASE("use_awaitable: create, wait and remove in a coroutine", "[async]")
{
    crowd_server crowd(2);
    asio::io_context io;
    auto client = client_for(io, crowd.server.port());
    bool finished = false;
    std::vector<crowd::task_state> polled;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            // CHECK, not REQUIRE: a throwing assertion inside a detached coroutine aborts.
            // The input is named: g++ 12 destroys a temporary in a co_await expression twice.
            fn::sentiment_analysis_input const input{.text = "hi"};
            auto created = co_await client.async_create<fn::sentiment_analysis>(t1, input, asio::use_awaitable);
            CHECK(created);
            if (!created)
                co_return;
            crowd::wait_options const patience{.first_delay = 10ms,
                                               .max_delay = 20ms,
                                               .timeout = 10s,
                                               .on_poll = [&](crowd::poll_report const& poll) {
                                                   polled.push_back(poll.state.value());
                                               }};
            auto done = co_await client.async_wait<fn::sentiment_analysis>(t1, patience, asio::use_awaitable);
            CHECK(done);
            if (!done)
                co_return;
            CHECK(done->state == crowd::task_state::completed);
            auto removed = co_await client.async_remove<fn::sentiment_analysis>(t1, asio::use_awaitable);
            CHECK(removed);
            finished = true;
        },
        asio::detached);
    io.run();
    CHECK(finished);
    CHECK(crowd.server.requests() == 5);  // PUT, 3 GETs, DELETE
    CHECK(polled == std::vector<crowd::task_state>{crowd::task_state::processing, crowd::task_state::processing,
                                                   crowd::task_state::completed});  // on_poll saw each GET
    CHECK(client.transport().connections_opened() == 1);
}

TEST_CASE("the async transport says how far a failed request got", "[async]")
{
    asio::io_context io;
    auto const nowhere = crowd::parse_endpoint("http://127.0.0.1:1").value();
    auto refused = crowd::transport::async_beast_transport::make(io.get_executor(), nowhere).value();
    crowd::http_request request;
    request.target = "/";
    request.fields.add("Host", nowhere.host_header());
    std::optional<crowd::result<crowd::http_response>> got;
    refused.async_send(request, [&](crowd::result<crowd::http_response> r) { got = std::move(r); });
    io.run();
    REQUIRE(got);
    REQUIRE_FALSE(*got);
    CHECK(got->error() == boost::system::errc::connection_refused);
    CHECK(got->error().progress() == crowd::request_progress::not_sent);

    test_server::server silent(test_pki::shared().localhost, test_server::behaviour::never_answer);
    auto const where = crowd::parse_endpoint("https://localhost:" + std::to_string(silent.port())).value();
    auto waiting = crowd::transport::async_beast_transport::make(io.get_executor(), where,
                                                                 {.request_timeout = 300ms, .ca_file = test_pki::ca_file()})
                       .value();
    crowd::http_request get = request;
    get.fields.set("Host", where.host_header());
    got.reset();
    waiting.async_send(get, [&](crowd::result<crowd::http_response> r) { got = std::move(r); });
    io.restart();
    io.run();
    REQUIRE(got);
    REQUIRE_FALSE(*got);
    CHECK(got->error() == boost::system::errc::timed_out);
    CHECK(got->error().progress() == crowd::request_progress::sent_no_answer);
}

TEST_CASE("deferred", "[async]")
{
    crowd_server crowd;
    asio::io_context io;
    auto client = client_for(io, crowd.server.port());
    auto operation = client.async_get<fn::sentiment_analysis>(t1, asio::deferred);
    CHECK(crowd.server.requests() == 0);  // nothing happens until it is started
    bool got = false;
    std::move(operation)([&](crowd::result<crowd::task<fn::sentiment_analysis>> r) { got = r.has_value(); });
    io.run();
    CHECK(got);
}

TEST_CASE("an invalid input completes with its error and sends nothing", "[async]")
{
    crowd_server crowd;
    asio::io_context io;
    auto client = client_for(io, crowd.server.port());
    crowd::error e;
    client.async_create<fn::sentiment_analysis>(t1, {.text = ""}, [&](auto r) { e = r.error(); });
    io.run();
    CHECK(e == crowd::errc::invalid_input);
    CHECK(crowd.server.requests() == 0);
}

TEST_CASE("cancellation while waiting out a back-off", "[async]")
{
    test_server::server server(test_pki::shared().localhost, test_server::behaviour::answer, [](auto const&) {
        return test_server::reply{429, R"({"message":"Rate exceeded"})"};
    });
    asio::io_context io;
    // A fixed jitter: the back-off after the first 429 is then 990 ms, always long enough
    // for the cancellation at 100 ms to land inside it.
    auto where = crowd::parse_endpoint("https://localhost:" + std::to_string(server.port())).value();
    auto client = crowd::async_client::make(
                      {.account = account,
                       .endpoint = where.url(),
                       .credentials = [] { return crowd::sigv4::credentials::make("AKIDEXAMPLE", "secret"); },
                       .env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; }},
                      crowd::transport::async_beast_transport::make(io.get_executor(), where, {.ca_file = test_pki::ca_file()}).value(),
                      crowd::system_clock{}, crowd::standard_retry({}, [] { return 0.99; }))
                      .value();
    asio::cancellation_signal cancel;
    std::optional<crowd::error> outcome;
    auto const started = std::chrono::steady_clock::now();
    client.async_get<fn::sentiment_analysis>(t1, asio::bind_cancellation_slot(cancel.slot(), [&](auto r) { outcome = r.error(); }));
    // The first 429 (back within a few ms, even under a sanitizer) leads to a back-off
    // of 990 ms; cancel at 300 ms, inside it.
    asio::steady_timer soon(io, 300ms);
    soon.async_wait([&](boost::system::error_code) { cancel.emit(asio::cancellation_type::terminal); });
    io.run();
    auto const took = std::chrono::steady_clock::now() - started;
    REQUIRE(outcome);
    CHECK(*outcome == boost::system::errc::operation_canceled);
    CHECK(took < 950ms);  // the back-off was cut short
    CHECK(server.requests() == 1);
}

TEST_CASE("untyped operations name the function at run time", "[async]")
{
    crowd_server crowd;
    asio::io_context io;
    auto client = client_for(io, crowd.server.port());
    std::optional<crowd::result<crowd::task<crowd::untyped_function>>> got;
    std::optional<crowd::error> refused;
    client.async_get("sentiment-analysis", t1, [&](auto r) { got = std::move(r); });
    client.async_get("Not A Function", t1, [&](auto r) { refused = r.error(); });
    io.run();
    REQUIRE(got);
    REQUIRE(*got);
    CHECK((*got)->result->at("sentiment") == "positive");
    REQUIRE(refused);
    CHECK(*refused == crowd::errc::function_name_invalid);
    CHECK(crowd.server.requests() == 1);
}

namespace {

/// The environment of a host whose credentials come from a fake on 127.0.0.1: `name`
/// (AWS_EC2_METADATA_SERVICE_ENDPOINT, AWS_CONTAINER_CREDENTIALS_FULL_URI) set to `url`.
crowd::environment only(std::string name, std::string url)
{
    return [name, url](std::string_view asked) -> std::optional<std::string> {
        if (asked == name)
            return url;
        return std::nullopt;
    };
}

std::string const role_credentials =
    R"({"Code":"Success","AccessKeyId":"AKIDFROMMETADATA","SecretAccessKey":"secret","Token":"session",)"
    R"("Expiration":"2099-01-01T00:00:00Z"})";

/// Ticks every 50 ms on `io` until `until`, and keeps the latest a tick came.
struct ticker {
    asio::steady_timer timer;
    std::chrono::steady_clock::time_point next;
    std::chrono::steady_clock::time_point until;
    std::chrono::steady_clock::duration worst{0};
    int ticks = 0;

    ticker(asio::io_context& io, std::chrono::milliseconds lasting)
        : timer(io), next(std::chrono::steady_clock::now() + 50ms), until(next + lasting)
    {
        arm();
    }
    void arm()
    {
        timer.expires_at(next);
        timer.async_wait([this](boost::system::error_code) {
            worst = std::max(worst, std::chrono::steady_clock::now() - next);
            ++ticks;
            next += 50ms;
            if (next < until)
                arm();
        });
    }
};

}  // namespace

TEST_CASE("credentials from instance metadata that takes 2 s to answer do not stall the executor", "[async][credentials]")
{
    crowd_server crowd;
    std::atomic<int> token_requests{0};
    // A slow metadata service: 0.7 s for each of its three answers (inside the 1 s the
    // SDKs give each), 2.1 s for the credentials.
    test_server::server metadata(std::nullopt, test_server::behaviour::answer, [&](crowd::http_request const& request) {
        std::this_thread::sleep_for(700ms);
        if (request.target == "/latest/api/token") {
            ++token_requests;
            return test_server::reply{200, "a-token"};
        }
        if (request.target == "/latest/meta-data/iam/security-credentials/")
            return test_server::reply{200, "crowd-role"};
        return test_server::reply{200, role_credentials};
    });
    asio::io_context io;
    auto const made_at = std::chrono::steady_clock::now();
    auto client = crowd::make_async_client(
                      io.get_executor(),
                      {.account = account,
                       .endpoint = "https://localhost:" + std::to_string(crowd.server.port()),
                       .env = only("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + std::to_string(metadata.port()))},
                      {.ca_file = test_pki::ca_file()})
                      .value();
    CHECK(std::chrono::steady_clock::now() - made_at < 1s);  // making it fetched nothing
    int succeeded = 0;
    std::chrono::steady_clock::time_point last_done;
    for (int i = 0; i != 3; ++i)
        client.async_get<fn::sentiment_analysis>(t1, [&](auto r) {
            succeeded += r.has_value();
            last_done = std::chrono::steady_clock::now();
        });
    ticker clock(io, 2500ms);
    io.run();
    CHECK(succeeded == 3);
    CHECK(last_done - made_at >= 2s);     // they waited for the credentials...
    CHECK(clock.ticks >= 45);              // ... while the executor went on
    CHECK(clock.worst < 500ms);            // never held up for the fetch's 2 s (TLS handshakes after it, under a sanitizer, may take a tick)
    CHECK(token_requests == 1);            // one fetch for the three
    CHECK(crowd.server.requests() == 3);
}

TEST_CASE("an async client without an account learns it with its first operation, not when it is made",
          "[async][credentials]")
{
    std::string seen_target;
    std::mutex seen_mutex;
    test_server::server crowd(test_pki::shared().localhost, test_server::behaviour::answer, [&](crowd::http_request const& request) {
        std::lock_guard<std::mutex> lock(seen_mutex);
        seen_target = request.target;
        return test_server::reply{200, completed};
    });
    test_server::server container(std::nullopt, test_server::behaviour::answer, [](crowd::http_request const&) {
        std::this_thread::sleep_for(1s);
        return test_server::reply{
            200, R"({"AccessKeyId":"AKIDCONTAINER","SecretAccessKey":"secret","Token":"session",)"
                 R"("Expiration":"2099-01-01T00:00:00Z","AccountId":"210987654321"})"};
    });
    asio::io_context io;
    auto const made_at = std::chrono::steady_clock::now();
    auto client = crowd::make_async_client(
                      io.get_executor(),
                      {.endpoint = "https://localhost:" + std::to_string(crowd.port()),
                       .env = only("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:" + std::to_string(container.port()) + "/creds")},
                      {.ca_file = test_pki::ca_file()});
    CHECK(std::chrono::steady_clock::now() - made_at < 500ms);
    REQUIRE(client);
    bool got = false;
    client->async_get<fn::sentiment_analysis>(t1, [&](auto r) { got = r.has_value(); });
    ticker clock(io, 1200ms);
    io.run();
    CHECK(got);
    CHECK(clock.worst < 500ms);  // never held up for the fetch's 1 s
    std::lock_guard<std::mutex> lock(seen_mutex);
    CHECK(seen_target == "/210987654321/functions/sentiment-analysis/tasks/t1");
}

TEST_CASE("the call hooks see each asynchronous call once, a cancelled one too", "[async][hooks]")
{
    crowd_server server(1);  // one GET answered processing, then completed
    asio::io_context io;
    std::mutex lock;
    std::vector<std::string> seen;
    crowd::client_config config{.account = account,
                                .endpoint = "https://localhost:" + std::to_string(server.server.port()),
                                .credentials = [] { return crowd::sigv4::credentials::make("AKIDEXAMPLE", "secret"); },
                                .env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; }};
    config.hooks.on_call_started = [&](crowd::call_started const& s) {
        std::lock_guard<std::mutex> hold(lock);
        seen.push_back("start " + std::string(s.id.rpc_method));
    };
    config.hooks.on_call_finished = [&](crowd::call_finished const& e) {
        std::lock_guard<std::mutex> hold(lock);
        seen.push_back("end " + std::string(e.id.rpc_method) + " " + std::to_string(e.attempts) + " " +
                       (e.failure ? e.failure->code().message() : std::string("ok")));
    };
    auto client = crowd::make_async_client(io.get_executor(), std::move(config), {.ca_file = test_pki::ca_file()}).value();
    client.async_create<fn::sentiment_analysis>(t1, {.text = "hi"}, [&](auto r) { CHECK(r); });
    io.run();
    io.restart();
    client.async_wait<fn::sentiment_analysis>(t1, {.first_delay = 10ms}, [&](auto r) { CHECK(r); });
    io.run();
    io.restart();
    // A wait cancelled in its pause (the task is processing for a long while now).
    server.pending = 1000;
    asio::cancellation_signal cancel;
    client.async_wait<fn::sentiment_analysis>(t1, {.first_delay = 5s},
                                              asio::bind_cancellation_slot(cancel.slot(), [&](auto r) { CHECK(!r); }));
    asio::steady_timer soon(io, 200ms);
    soon.async_wait([&](boost::system::error_code) { cancel.emit(asio::cancellation_type::terminal); });
    io.run();
    std::vector<std::string> const expected{"start PutTask",
                                            "end PutTask 1 ok",
                                            "start WaitForTask",
                                            "end WaitForTask 2 ok",
                                            "start WaitForTask",
                                            "end WaitForTask 1 " +
                                                make_error_code(boost::system::errc::operation_canceled).message()};
    CHECK(seen == expected);
}
