// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The batch pipeline over HTTPS to crowd-emulator: with throttling, 5xx, drops, slow
// answers and gateway time-outs on, every task is created once and handed on once, in
// both forms; a stopped batch hands on nothing half-done, and a second run resumes it.
#include <mturk/crowd/batch/async_pipeline.hpp>
#include <mturk/crowd/batch/pipeline.hpp>
#include <mturk/crowd/beast_async_client.hpp>
#include <mturk/crowd/beast_client.hpp>
#include <mturk/crowd/functions.hpp>

#include "running_emulator.hpp"
#include "test_pki.hpp"

#include <catch.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace batch = mturk::crowd::batch;
namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;
using namespace std::chrono_literals;

namespace {

running_emulator batch_emulator(std::string const& tag, std::vector<std::string> more)
{
    auto const& pki = test_pki::shared();
    std::vector<std::string> args{"--port", "0", "--tls-cert", write_file("cert-" + tag + ".pem", pki.localhost.certificate_pem),
                                  "--tls-key", write_file("key-" + tag + ".pem", pki.localhost.key_pem), "--seed", "11"};
    args.insert(args.end(), more.begin(), more.end());
    return running_emulator(args);
}

// Every fault the emulator has, each on a few percent of the requests.
std::vector<std::string> const every_fault{"--complete-after", "150", "--fail-share", "0.1",
                                           "--throttle-rps", "400", "--throttle-burst", "40",
                                           "--fault-share", "0.05", "--drop-share", "0.03",
                                           "--gateway-timeout-share", "0.02",
                                           "--slow-share", "0.02", "--slow-ms", "200"};

/// The emulator's key, many attempts, and the retry mode `mode`.
crowd::client_config batch_config(std::string const& url, std::string mode = "standard")
{
    auto config = emulator_client_config(url, 12);
    config.env = [mode](std::string_view name) -> std::optional<std::string> {
        if (name == "AWS_MAX_ATTEMPTS")
            return "12";
        if (name == "AWS_RETRY_MODE")
            return mode;
        return std::nullopt;
    };
    return config;
}

[[gnu::noinline]] crowd::task_name numbered(char const* prefix, std::size_t i)
{
    return crowd::task_name::parse(std::string(prefix) + std::to_string(i)).value();
}

std::vector<batch::batch_task<fn::sentiment_analysis>> sentiment_tasks(char const* prefix, std::size_t count)
{
    std::vector<batch::batch_task<fn::sentiment_analysis>> tasks;
    for (std::size_t i = 0; i != count; ++i)
        tasks.push_back({numbered(prefix, i), {.text = "review " + std::to_string(i)}});
    return tasks;
}


/// What a batch handed on: how many times each task, and the errors met.
struct handed_on {
    std::vector<int> times;
    std::vector<std::string> errors;
    std::size_t completed = 0, failed = 0;

    explicit handed_on(std::size_t count) : times(count, 0) {}

    template <class F>
    void operator()(batch::task_outcome<F>&& outcome)
    {
        REQUIRE(outcome.index < times.size());
        ++times[outcome.index];
        if (!outcome.task) {
            errors.push_back(outcome.task.error().what());
            return;
        }
        CHECK(outcome.task->name == outcome.name);
        CHECK(outcome.task->state != crowd::task_state::processing);
        (outcome.task->state == crowd::task_state::completed ? completed : failed) += 1;
    }
    bool each_once() const
    {
        return std::all_of(times.begin(), times.end(), [](int n) { return n == 1; });
    }
};

}  // namespace

TEST_CASE("a batch over one async client, every fault on: each task created once and handed on once",
          "[e2e][batch][async]")
{
    auto service = batch_emulator("batch-async", every_fault);
    asio::io_context io;
    auto client = crowd::make_async_client(io.get_executor(), batch_config(service.url()),
                                           {.ca_file = test_pki::ca_file(), .pool = {.max_connections = 16}})
                      .value();
    std::size_t const count = 300;
    auto const tasks = sentiment_tasks("ba", count);
    handed_on seen(count);
    std::size_t most_in_flight = 0;
    std::optional<boost::system::error_code> ended;
    batch::batch_progress final;
    //[async_batch
    batch::pipeline_options options{.max_in_flight = 16, .poll_after = 50ms, .max_poll_interval = 200ms};
    options.on_progress = [&](batch::batch_progress const& p) { most_in_flight = std::max(most_in_flight, p.in_flight); };
    batch::async_run<fn::sentiment_analysis>(client, batch::from_range<fn::sentiment_analysis>(tasks), options,
                                             std::ref(seen),  // called once a task, as it ends
                                             [&](boost::system::error_code ec, batch::batch_progress p) {
                                                 ended = ec;
                                                 final = p;
                                             });
    io.run();
    //]
    REQUIRE(ended.has_value());
    CHECK(!*ended);
    INFO((seen.errors.empty() ? std::string() : seen.errors.front()));
    CHECK(seen.errors.empty());
    CHECK(seen.each_once());
    CHECK(seen.completed + seen.failed == count);
    CHECK(seen.failed > 0);  // --fail-share: failed tasks are handed on with their problem
    CHECK(most_in_flight <= 16);
    CHECK(final.created + final.already_existed + final.uncertain == count);
    CHECK(final.completed == seen.completed);
    CHECK(final.failed == seen.failed);
    CHECK(final.errors == 0);
    CHECK(final.in_flight == 0);
    CHECK(final.waiting == 0);
    // The faults were met and retried by the client. (Whether the throttle was reached
    // depends on this machine's speed: the adaptive test below makes sure of it.)
    CHECK(final.retried > 0);
    auto const stats = emulator_stats(service.url(), 20);
    CHECK(stats.at("created").as_int64() == static_cast<std::int64_t>(count));  // none created twice
    CHECK(count_of(stats, "PUT 201") <= static_cast<std::int64_t>(count));
}

TEST_CASE("a batch over one synchronous client shared by its threads, every fault on", "[e2e][batch][threads]")
{
    auto service = batch_emulator("batch-sync", every_fault);
    auto client = crowd::make_client(batch_config(service.url()),
                                     {.ca_file = test_pki::ca_file(), .pool = {.max_connections = 8}})
                      .value();
    std::size_t const count = 120;
    auto const tasks = sentiment_tasks("bs", count);
    handed_on seen(count);
    //[sync_batch
    auto const progress =
        batch::run<fn::sentiment_analysis>(client, batch::from_range<fn::sentiment_analysis>(tasks),
                                           {.max_in_flight = 8, .poll_after = 50ms, .max_poll_interval = 200ms},
                                           std::ref(seen));
    //]
    INFO((seen.errors.empty() ? std::string() : seen.errors.front()));
    CHECK(seen.errors.empty());
    CHECK(seen.each_once());
    CHECK(progress.completed + progress.failed == count);
    CHECK(progress.created + progress.already_existed + progress.uncertain == count);
    CHECK(progress.in_flight == 0);
    auto const stats = emulator_stats(service.url(), 20);
    CHECK(stats.at("created").as_int64() == static_cast<std::int64_t>(count));
}

TEST_CASE("a synchronous batch stopped from its own callback ends, its requests under way finished",
          "[e2e][batch][threads]")
{
    // Tasks take an hour: after 20 creations, only a stop ends the batch.
    auto service = batch_emulator("batch-sync-stop", {"--complete-after", "3600000"});
    auto client = crowd::make_client(batch_config(service.url()), {.ca_file = test_pki::ca_file()}).value();
    auto const tasks = sentiment_tasks("bss", 100);
    std::stop_source stop;
    batch::pipeline_options options{.max_in_flight = 4, .poll_after = 3600s};
    options.on_progress = [&](batch::batch_progress const& p) {
        if (p.created >= 20)
            stop.request_stop();  // from a callback, under the batch's lock: must not deadlock
    };
    auto const progress = batch::run<fn::sentiment_analysis>(client, batch::from_range<fn::sentiment_analysis>(tasks),
                                                             options, [](auto&&) {}, stop.get_token());
    CHECK(progress.created >= 20);
    CHECK(progress.created < 100);
    CHECK(progress.in_flight == 0);
    CHECK(progress.waiting == 0);
    CHECK(progress.abandoned == progress.created);  // every created task left waiting
}

TEST_CASE("a stopped batch hands on nothing half-done, and a second run resumes it without creating twice",
          "[e2e][batch][async][cancellation]")
{
    // Tasks take 1.5 s: the stop comes while they are created and polled.
    auto service = batch_emulator("batch-stop", {"--complete-after", "1500"});
    std::size_t const count = 200;
    auto const tasks = sentiment_tasks("bc", count);
    handed_on first(count);
    batch::batch_progress stopped;
    {
        asio::io_context io;
        auto client = crowd::make_async_client(io.get_executor(), batch_config(service.url()),
                                               {.ca_file = test_pki::ca_file()})
                          .value();
        asio::cancellation_signal stop;
        bool stop_sent = false;
        batch::pipeline_options options{.max_in_flight = 8, .poll_after = 20ms, .max_poll_interval = 100ms};
        options.on_progress = [&](batch::batch_progress const& p) {
            if (!stop_sent && p.created >= 50) {  // partial: a batch honours every type alike
                stop_sent = true;
                stop.emit(asio::cancellation_type::partial);
            }
        };
        std::optional<boost::system::error_code> ended;
        batch::async_run<fn::sentiment_analysis>(
            client, batch::from_range<fn::sentiment_analysis>(tasks), options, std::ref(first),
            asio::bind_cancellation_slot(stop.slot(), [&](boost::system::error_code ec, batch::batch_progress p) {
                ended = ec;
                stopped = p;
            }));
        io.run();
        REQUIRE(ended.has_value());
        CHECK(*ended == asio::error::operation_aborted);
    }
    CHECK(std::all_of(first.times.begin(), first.times.end(), [](int n) { return n <= 1; }));
    CHECK(first.errors.empty());
    std::size_t const sent = stopped.created + stopped.already_existed + stopped.uncertain;
    CHECK(sent >= 50);
    CHECK(sent < count);  // the rest were never read from the source
    CHECK(stopped.abandoned > 0);
    CHECK(stopped.in_flight == 0);
    CHECK(stopped.waiting == 0);

    // Again, all of them, skipping none: PUT is idempotent, so the tasks of the first run
    // are found (or, for a PUT cut short, created now) and none is created twice.
    handed_on second(count);
    asio::io_context io;
    auto client = crowd::make_async_client(io.get_executor(), batch_config(service.url()),
                                           {.ca_file = test_pki::ca_file()})
                      .value();
    batch::batch_progress resumed;
    batch::async_run<fn::sentiment_analysis>(
        client, batch::from_range<fn::sentiment_analysis>(tasks),
        {.max_in_flight = 16, .poll_after = 20ms, .max_poll_interval = 100ms}, std::ref(second),
        [&](boost::system::error_code ec, batch::batch_progress p) {
            CHECK(!ec);
            resumed = p;
        });
    io.run();
    CHECK(second.each_once());
    CHECK(second.completed == count);
    CHECK(resumed.created <= count - stopped.created);  // what the first run created, it finds
    auto const stats = emulator_stats(service.url(), 5);
    CHECK(stats.at("created").as_int64() == static_cast<std::int64_t>(count));
}

TEST_CASE("an untyped batch names a function per task, removes each finished task, and hands on bad ones as errors",
          "[e2e][batch][async]")
{
    auto service = batch_emulator("batch-untyped", {"--complete-after", "50"});
    asio::io_context io;
    auto client = crowd::make_async_client(io.get_executor(), batch_config(service.url()),
                                           {.ca_file = test_pki::ca_file()})
                      .value();
    std::vector<batch::batch_task<crowd::untyped_function>> tasks;
    for (std::size_t i = 0; i != 40; ++i)
        tasks.push_back({i % 2 == 0 ? "sentiment-analysis" : "text-categorization", numbered("bu", i),
                         i % 2 == 0 ? boost::json::value{{"text", "fine"}}
                                    : boost::json::parse(R"({"text":"fine","categories":[{"label":"a"},{"label":"b"}]})")});
    tasks.push_back({"no-such-function", numbered("bu", 40), boost::json::value{{"text", "x"}}});
    tasks.push_back({"sentiment-analysis", numbered("bu", 41), boost::json::value("not an object")});
    handed_on seen(tasks.size());
    std::vector<std::string> functions(tasks.size());
    batch::batch_progress final;
    batch::async_run<crowd::untyped_function>(
        client, batch::from_range<crowd::untyped_function>(tasks),
        {.max_in_flight = 8, .poll_after = 20ms, .max_poll_interval = 100ms, .remove_finished = true},
        [&](batch::task_outcome<crowd::untyped_function>&& outcome) {
            functions[outcome.index] = std::string(outcome.function);
            seen(std::move(outcome));
        },
        [&](boost::system::error_code ec, batch::batch_progress p) {
            CHECK(!ec);
            final = p;
        });
    io.run();
    CHECK(seen.each_once());
    CHECK(seen.completed == 40);
    REQUIRE(seen.errors.size() == 2);
    CHECK(functions[1] == "text-categorization");
    CHECK(functions[40] == "no-such-function");
    CHECK(final.errors == 2);
    CHECK(final.removed == 40);
    CHECK(final.not_removed == 0);
    auto const stats = emulator_stats(service.url(), 5);
    CHECK(count_of(stats, "DELETE 204") == 40);
    auto const& left = stats.at("tasks").as_object();
    std::int64_t remaining = 0;
    for (auto const& entry : left)
        remaining += entry.value().as_int64();
    CHECK(remaining == 0);
}

TEST_CASE("a batch refuses a moved-from client, and a source that throws stops the synchronous form",
          "[batch]")
{
    auto service = batch_emulator("batch-misuse", {"--complete-after", "0"});
    asio::io_context io;
    auto client = crowd::make_async_client(io.get_executor(), batch_config(service.url()),
                                           {.ca_file = test_pki::ca_file()})
                      .value();
    auto moved = std::move(client);
    std::vector<batch::batch_task<fn::sentiment_analysis>> none;
    std::optional<boost::system::error_code> ended;
    batch::async_run<fn::sentiment_analysis>(client, batch::from_range<fn::sentiment_analysis>(none), {},
                                             [](auto&&) {},
                                             // A moved-from client has no executor: the handler's own is used.
                                             asio::bind_executor(io, [&](boost::system::error_code ec, batch::batch_progress) {
                                                 ended = ec;
                                             }));
    io.run();
    REQUIRE(ended.has_value());
    CHECK(*ended == crowd::errc::invalid_configuration);

    auto sync_client = crowd::make_client(batch_config(service.url()), {.ca_file = test_pki::ca_file()}).value();
    int read = 0;
    auto throwing = [&]() -> std::optional<batch::batch_task<fn::sentiment_analysis>> {
        if (++read == 3)
            throw std::runtime_error("the source broke");
        return batch::batch_task<fn::sentiment_analysis>{numbered("bt", static_cast<std::size_t>(read)), {.text = "x"}};
    };
    int handed = 0;
    CHECK_THROWS_WITH(batch::run<fn::sentiment_analysis>(sync_client, throwing, {.max_in_flight = 4, .poll_after = 0ms},
                                                         [&](auto&&) { ++handed; }),
                      "the source broke");
    CHECK(read == 3);  // not read again after it threw
}

TEST_CASE("in the adaptive retry mode, a 429 slows the whole batch: fewer requests are throttled", "[e2e][batch][async]")
{
    // The same batch twice against a service that takes 40 requests a second: each
    // request retrying on its own (standard), and all of them behind the client's one
    // rate limiter (adaptive), which a 429 slows for every request of the batch. (At 100
    // a second a loaded machine under ASan never reached the limit in the adaptive run.)
    auto service = batch_emulator("batch-adaptive", {"--complete-after", "0", "--throttle-rps", "40",
                                                     "--throttle-burst", "5"});
    auto throttled_in = [&](std::string const& mode, char const* prefix) {
        asio::io_context io;
        auto client = crowd::make_async_client(io.get_executor(), batch_config(service.url(), mode),
                                               {.ca_file = test_pki::ca_file()})
                          .value();
        auto const tasks = sentiment_tasks(prefix, 60);
        handed_on seen(tasks.size());
        batch::batch_progress final;
        batch::async_run<fn::sentiment_analysis>(client, batch::from_range<fn::sentiment_analysis>(tasks),
                                                 {.max_in_flight = 4, .poll_after = 0ms}, std::ref(seen),
                                                 [&](boost::system::error_code ec, batch::batch_progress p) {
                                                     CHECK(!ec);
                                                     final = p;
                                                 });
        io.run();
        CHECK(seen.each_once());
        CHECK(seen.errors.empty());
        if (auto* limiter = client.retry_policy().limiter())
            CHECK(limiter->current().enabled);  // switched on by the batch's first 429
        return final.throttled;
    };
    auto const standard = throttled_in("standard", "as");
    auto const adaptive = throttled_in("adaptive", "aa");
    INFO("throttled: standard " << standard << ", adaptive " << adaptive);
    CHECK(standard > 0);
    CHECK(adaptive < standard);
}
