// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The soak: round after round of tasks through one long-lived client (sync, and async)
// and crowd-emulator with throttling, 5xx, drops, slow answers and gateway time-outs on.
// Every task is created once and handed on once, and the process's memory and open
// descriptors stay flat from the first round to the last. The test command runs it for a
// few rounds; scripts/soak for as long as asked (CROWD_SOAK_SECONDS).
#include <mturk/crowd/batch/async_pipeline.hpp>
#include <mturk/crowd/batch/pipeline.hpp>
#include <mturk/crowd/beast_async_client.hpp>
#include <mturk/crowd/beast_client.hpp>
#include <mturk/crowd/functions.hpp>

#include "running_emulator.hpp"
#include "test_pki.hpp"

#include <catch.hpp>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace asio = boost::asio;
namespace batch = mturk::crowd::batch;
namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;
using namespace std::chrono_literals;

#if defined(__SANITIZE_ADDRESS__)
#define SOAK_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SOAK_UNDER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define SOAK_UNDER_ASAN 1
#endif

namespace {

/// How long to go on: CROWD_SOAK_SECONDS, else the test command's short form (three
/// rounds at least, whatever the time).
std::chrono::seconds soak_time()
{
    if (char const* given = std::getenv("CROWD_SOAK_SECONDS"); given && *given)
        return std::chrono::seconds(std::strtol(given, nullptr, 10));
    return 5s;
}

/// The process's resident memory, in bytes (/proc/self/statm).
long resident_bytes()
{
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * ::sysconf(_SC_PAGESIZE);
}

/// Descriptors open in the process (/proc/self/fd, less the one that lists it).
long open_descriptors()
{
    long n = 0;
    for ([[maybe_unused]] auto const& entry : std::filesystem::directory_iterator("/proc/self/fd"))
        ++n;
    return n - 1;
}

struct sample {
    int round;
    double seconds;
    long resident;
    long descriptors;
};

/// Every fault the emulator has, each on a few percent of the requests.
running_emulator soak_emulator(std::string const& tag)
{
    auto const& pki = test_pki::shared();
    return running_emulator({"--port", "0", "--tls-cert", write_file("cert-" + tag + ".pem", pki.localhost.certificate_pem),
                             "--tls-key", write_file("key-" + tag + ".pem", pki.localhost.key_pem), "--seed", "7",
                             "--complete-after", "100", "--fail-share", "0.1", "--throttle-rps", "600",
                             "--throttle-burst", "60", "--fault-share", "0.04", "--drop-share", "0.02",
                             "--gateway-timeout-share", "0.02", "--slow-share", "0.02", "--slow-ms", "150"});
}

crowd::client_config soak_config(std::string const& url)
{
    auto config = emulator_client_config(url, 12);
    return config;
}

std::vector<batch::batch_task<fn::sentiment_analysis>> round_tasks(std::string const& prefix, int round, std::size_t count)
{
    std::vector<batch::batch_task<fn::sentiment_analysis>> tasks;
    for (std::size_t i = 0; i != count; ++i)
        tasks.push_back({crowd::task_name::parse(prefix + std::to_string(round) + "-" + std::to_string(i)).value(),
                         {.text = "soak " + std::to_string(i)}});
    return tasks;
}

/// One round's checks: each task handed on once, finished, none an error.
struct round_check {
    std::vector<int> times;
    std::vector<std::string> errors;
    explicit round_check(std::size_t count) : times(count, 0) {}
    void operator()(batch::task_outcome<fn::sentiment_analysis>&& outcome)
    {
        ++times.at(outcome.index);
        if (!outcome.task)
            errors.push_back(outcome.task.error().what());
        else if (outcome.task->state == crowd::task_state::processing)
            errors.push_back("handed on while processing");
    }
};

/// Runs rounds of `per_round` tasks through `run_round` until the soak time has passed
/// (at least three rounds), and checks what each round handed on and the emulator made.
template <class RunRound>
std::vector<sample> soak(running_emulator& service, std::size_t per_round, RunRound&& run_round)
{
    auto const started = std::chrono::steady_clock::now();
    std::vector<sample> samples;
    std::int64_t created_before = 0;
    for (int round = 1;; ++round) {
        round_check seen(per_round);
        auto const progress = run_round(round, seen);
        INFO("round " << round << ": " << (seen.errors.empty() ? std::string() : seen.errors.front()));
        REQUIRE(seen.errors.empty());
        for (int n : seen.times)
            REQUIRE(n == 1);  // every result delivered once
        REQUIRE(progress.errors == 0);
        REQUIRE(progress.completed + progress.failed == per_round);
        // Every task exists once: the emulator created exactly this round's tasks.
        auto const stats = emulator_stats(service.url(), 20);
        auto const created = stats.at("created").as_int64();
        REQUIRE(created - created_before == static_cast<std::int64_t>(per_round));
        created_before = created;
        samples.push_back({round, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
                           resident_bytes(), open_descriptors()});
        if (round >= 3 && std::chrono::steady_clock::now() - started >= soak_time())
            return samples;
    }
}

/// Flat: after the first round (which warms the pool, the allocator and the caches),
/// descriptors never above the first round's plus the pool's size, and (outside the
/// sanitizers, whose quarantine holds freed memory on purpose) resident memory within
/// 8 MiB of the first round's.
void check_flat(std::vector<sample> const& samples, long pool_size, char const* what)
{
    for (auto const& s : samples)
        std::printf("soak %s: round %d at %.1f s: %.1f MiB resident, %ld descriptors\n", what, s.round, s.seconds,
                    static_cast<double>(s.resident) / (1 << 20), s.descriptors);
    auto const& first = samples.front();
    for (auto const& s : samples) {
        INFO(what << " round " << s.round);
        CHECK(s.descriptors <= first.descriptors + pool_size);
#if !defined(SOAK_UNDER_ASAN)
        CHECK(s.resident <= first.resident + (8l << 20));
#endif
    }
}

}  // namespace

TEST_CASE("soak: one async client, every fault on, round after round: each task once, memory and descriptors flat",
          "[e2e][soak]")
{
    auto service = soak_emulator("soak-async");
    asio::io_context io;
    auto client = crowd::make_async_client(io.get_executor(), soak_config(service.url()),
                                           {.ca_file = test_pki::ca_file(), .pool = {.max_connections = 16}})
                      .value();
    std::size_t const per_round = 400;
    auto const samples = soak(service, per_round, [&](int round, round_check& seen) {
        auto const tasks = round_tasks("sa", round, per_round);
        batch::batch_progress final;
        boost::system::error_code ended;
        batch::async_run<fn::sentiment_analysis>(
            client, batch::from_range<fn::sentiment_analysis>(tasks),
            {.max_in_flight = 16, .poll_after = 50ms, .max_poll_interval = 200ms, .remove_finished = true}, std::ref(seen),
            [&](boost::system::error_code ec, batch::batch_progress p) {
                ended = ec;
                final = p;
            });
        io.restart();
        io.run();
        REQUIRE(!ended);
        return final;
    });
    check_flat(samples, 16, "async");
}

TEST_CASE("soak: one synchronous client shared by its threads, every fault on, round after round", "[e2e][soak]")
{
    auto service = soak_emulator("soak-sync");
    auto client = crowd::make_client(soak_config(service.url()),
                                     {.ca_file = test_pki::ca_file(), .pool = {.max_connections = 8}})
                      .value();
    std::size_t const per_round = 200;
    auto const samples = soak(service, per_round, [&](int round, round_check& seen) {
        auto const tasks = round_tasks("ss", round, per_round);
        return batch::run<fn::sentiment_analysis>(
            client, batch::from_range<fn::sentiment_analysis>(tasks),
            {.max_in_flight = 8, .poll_after = 50ms, .max_poll_interval = 200ms, .remove_finished = true}, std::ref(seen));
    });
    check_flat(samples, 8, "sync");
}
