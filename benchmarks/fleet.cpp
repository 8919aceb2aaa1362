// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// crowd-bench-fleet: N tasks (each PUT, GET, DELETE) against one crowd-emulator that
// answers every request late, side by side in one run:
//   (a) the batch pipeline on one async client (`batch::async_run`, a pool of C);
//   (b) C separate async clients of one connection each, each doing its tasks one after
//       another (what a program without the pipeline writes);
// and the memory of N tasks left pending (created, waiting for polls an hour away) in
// the pipeline. Each runs in a child process of its own, so that its CPU time (user +
// system) and peak resident memory are its own (wait4's rusage); the emulator's CPU is not
// counted. Tasks per second are reported against the latency bound N * 3 * latency / C.
//
// Run it inside scripts/with-emulator (it reads the endpoint, CA and keys from there):
//   scripts/with-emulator --slow-share 1 --slow-ms 20 --complete-after 3600000 --
//       build/bench/benchmarks/crowd-bench-fleet --tasks 10000 --pending 100000
// (one command line)
// The throughput runs use the -test twin (finished at once); the pending run the real
// function (processing for the emulator's --complete-after).
//
// Usage: crowd-bench-fleet [--tasks N] [--concurrency C] [--latency-ms L] [--pending N] [--quick]
// Last line: summary-fleet: ...
#include <mturk/crowd/batch/async_pipeline.hpp>
#include <mturk/crowd/beast_async_client.hpp>
#include <mturk/crowd/functions.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace {

namespace asio = boost::asio;
namespace batch = mturk::crowd::batch;
namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;
using clock_type = std::chrono::steady_clock;
using quick_function = fn::sentiment_analysis::test;  // finished at once
using slow_function = fn::sentiment_analysis;         // processing for --complete-after

struct run_result {
    double wall_s = 0;
    std::size_t finished = 0;
    std::size_t errors = 0;
    std::uint64_t connections = 0;
    std::string first_error;
};

[[gnu::noinline]] crowd::task_name name_of(std::string const& prefix, std::size_t i)
{
    return crowd::task_name::parse(prefix + std::to_string(i)).value();
}

crowd::async_client make(asio::io_context& io, std::size_t connections)
{
    auto client = crowd::make_async_client(io.get_executor(), {}, {.pool = {.max_connections = connections}});
    if (!client) {
        std::fprintf(stderr, "crowd-bench-fleet: %s (run it inside scripts/with-emulator)\n", client.error().what().c_str());
        std::exit(2);
    }
    return std::move(*client);
}

template <class F>
auto source_of(std::string prefix, std::size_t count)
{
    return [prefix = std::move(prefix), count, next = std::size_t(0)]() mutable -> std::optional<batch::batch_task<F>> {
        if (next == count)
            return std::nullopt;
        auto const i = next++;
        return batch::batch_task<F>{name_of(prefix, i), {.text = "review " + std::to_string(i)}};
    };
}

/// (a): the pipeline on one client: each task created, polled at once, deleted.
run_result run_pipeline(std::string const& prefix, std::size_t count, std::size_t concurrency)
{
    asio::io_context io;
    auto client = make(io, concurrency);
    run_result r;
    auto const started = clock_type::now();
    batch::async_run<quick_function>(
        client, source_of<quick_function>(prefix, count),
        {.max_in_flight = concurrency, .poll_after = std::chrono::milliseconds(0), .remove_finished = true},
        [&](batch::task_outcome<quick_function>&& outcome) {
            ++r.finished;
            if (!outcome.task) {
                ++r.errors;
                if (r.first_error.empty())
                    r.first_error = outcome.task.error().what();
            }
        },
        [&](boost::system::error_code, batch::batch_progress p) { r.errors += p.not_removed; });
    io.run();
    r.wall_s = std::chrono::duration<double>(clock_type::now() - started).count();
    r.connections = client.transport().pool().connections_opened;
    return r;
}

/// (b): C clients of one connection each, each task PUT, GET, DELETE in turn.
struct separate_worker : std::enable_shared_from_this<separate_worker> {
    crowd::async_client client;
    std::string const& prefix;
    std::size_t& next;
    std::size_t count;
    run_result& r;
    std::optional<crowd::task_name> name;

    separate_worker(crowd::async_client c, std::string const& p, std::size_t& n, std::size_t total, run_result& result)
        : client(std::move(c)), prefix(p), next(n), count(total), r(result)
    {
    }
    void fail(crowd::error const& e)
    {
        ++r.errors;
        if (r.first_error.empty())
            r.first_error = e.what();
    }
    void start()
    {
        if (next == count)
            return;
        auto const i = next++;
        name = name_of(prefix, i);
        auto const input = quick_function::input_type{.text = "review " + std::to_string(i)};
        client.async_create<quick_function>(*name, input, [self = shared_from_this()](auto created) {
            if (!created) {
                self->fail(created.error());
                ++self->r.finished;
                return self->start();
            }
            self->client.async_get<quick_function>(*self->name, [self](auto read) {
                if (!read)
                    self->fail(read.error());
                self->client.async_remove<quick_function>(*self->name, [self](auto removed) {
                    if (!removed)
                        self->fail(removed.error());
                    ++self->r.finished;
                    self->start();
                });
            });
        });
    }
};

run_result run_separate(std::string const& prefix, std::size_t count, std::size_t concurrency)
{
    asio::io_context io;
    run_result r;
    std::size_t next = 0;
    std::vector<std::shared_ptr<separate_worker>> workers;
    for (std::size_t w = 0; w != concurrency; ++w)
        workers.push_back(std::make_shared<separate_worker>(make(io, 1), prefix, next, count, r));
    auto const started = clock_type::now();
    for (auto& w : workers)
        w->start();
    io.run();
    r.wall_s = std::chrono::duration<double>(clock_type::now() - started).count();
    for (auto& w : workers)
        r.connections += w->client.transport().pool().connections_opened;
    return r;
}

/// The pipeline with `count` tasks created and left waiting (their first poll an hour
/// away): stopped once the last is created, so the peak memory is that of all pending.
run_result run_pending(std::string const& prefix, std::size_t count, std::size_t concurrency)
{
    asio::io_context io;
    auto client = make(io, concurrency);
    run_result r;
    asio::cancellation_signal stop;
    bool stopping = false;
    batch::pipeline_options options{.max_in_flight = concurrency, .poll_after = std::chrono::hours(1),
                                    .max_poll_interval = std::chrono::hours(1)};
    options.on_progress = [&](batch::batch_progress const& p) {
        if (!stopping && p.waiting + p.errors == count) {
            stopping = true;
            r.finished = p.waiting;
            r.errors = p.errors;
            stop.emit(asio::cancellation_type::terminal);
        }
    };
    auto const started = clock_type::now();
    batch::async_run<slow_function>(client, source_of<slow_function>(prefix, count), options, [](auto&&) {},
                                    asio::bind_cancellation_slot(stop.slot(), [](boost::system::error_code,
                                                                                 batch::batch_progress) {}));
    io.run();
    r.wall_s = std::chrono::duration<double>(clock_type::now() - started).count();
    r.connections = client.transport().pool().connections_opened;
    return r;
}

struct measured {
    run_result run;
    double cpu_s = 0;
    long max_rss_kb = 0;
};

/// Runs this program as a child in `mode`, and reads its line and its rusage.
measured in_child(char const* self, std::string const& mode, std::string const& prefix, std::size_t count,
                  std::size_t concurrency)
{
    std::fflush(stdout);  // the child's line goes through a pipe; ours stay in order
    int fds[2];
    if (::pipe(fds) != 0)
        std::exit(1);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::vector<std::string> args{self, "--child", mode, prefix, std::to_string(count), std::to_string(concurrency)};
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (::posix_spawn(&pid, self, &actions, nullptr, argv.data(), environ) != 0)
        std::exit(1);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    std::string out;
    char buffer[512];
    for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;)
        out.append(buffer, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    rusage usage{};
    ::wait4(pid, &status, 0, &usage);
    measured m;
    unsigned long long connections = 0;
    char error[256] = {};
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
        std::sscanf(out.c_str(), "wall_s=%lf finished=%zu errors=%zu connections=%llu first_error=%255[^\n]",
                    &m.run.wall_s, &m.run.finished, &m.run.errors, &connections, error) < 4) {
        std::fprintf(stderr, "crowd-bench-fleet: the %s run failed: %s\n", mode.c_str(), out.c_str());
        std::exit(1);
    }
    m.run.connections = connections;
    m.run.first_error = error;
    m.cpu_s = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
              static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    m.max_rss_kb = usage.ru_maxrss;
    return m;
}

int child(std::string_view mode, std::string const& prefix, std::size_t count, std::size_t concurrency)
{
    run_result r = mode == "pipeline" ? run_pipeline(prefix, count, concurrency)
                   : mode == "separate" ? run_separate(prefix, count, concurrency)
                                        : run_pending(prefix, count, concurrency);
    std::printf("wall_s=%.6f finished=%zu errors=%zu connections=%llu first_error=%s\n", r.wall_s, r.finished, r.errors,
                static_cast<unsigned long long>(r.connections), r.first_error.empty() ? "-" : r.first_error.c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc == 6 && std::string_view(argv[1]) == "--child")
        return child(argv[2], argv[3], std::stoul(argv[4]), std::stoul(argv[5]));
    std::size_t tasks = 10000, concurrency = 64, pending = 0;
    double latency_ms = 20;
    for (int i = 1; i < argc; ++i) {
        std::string_view const arg = argv[i];
        auto value = [&]() -> std::string_view {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "crowd-bench-fleet: %s needs a value\n", argv[i]);
                std::exit(2);
            }
            return argv[++i];
        };
        if (arg == "--quick") {
            tasks = 300;
            concurrency = 16;
            pending = 1000;
        } else if (arg == "--tasks") {
            tasks = std::stoul(std::string(value()));
        } else if (arg == "--concurrency") {
            concurrency = std::stoul(std::string(value()));
        } else if (arg == "--latency-ms") {
            latency_ms = std::stod(std::string(value()));
        } else if (arg == "--pending") {
            pending = std::stoul(std::string(value()));
        } else {
            std::fprintf(stderr, "usage: crowd-bench-fleet [--tasks N] [--concurrency C] [--latency-ms L] "
                                 "[--pending N] [--quick]\n");
            return 2;
        }
    }
    // Names of this run only: the emulator may have served another before.
    std::string const run = std::to_string(::getpid()) + "-";
    double const bound_s = static_cast<double>(tasks) * 3 * latency_ms / 1000.0 / static_cast<double>(concurrency);
    std::printf("%zu tasks (PUT, GET, DELETE each), %zu in flight, answers %.0f ms late: latency bound %.2f s\n",
                tasks, concurrency, latency_ms, bound_s);
    std::printf("%-28s %9s %9s %12s %12s %12s %8s\n", "", "wall s", "tasks/s", "of bound", "CPU us/task",
                "connections", "peak MB");
    auto const report = [&](char const* what, measured const& m, std::size_t n, double bound) {
        char of_bound[16] = "-";
        if (bound > 0)
            std::snprintf(of_bound, sizeof of_bound, "%.0f%%", 100.0 * bound / m.run.wall_s);
        std::printf("%-28s %9.2f %9.0f %12s %12.0f %12llu %8.1f\n", what, m.run.wall_s,
                    static_cast<double>(n) / m.run.wall_s, of_bound, 1e6 * m.cpu_s / static_cast<double>(n),
                    static_cast<unsigned long long>(m.run.connections), static_cast<double>(m.max_rss_kb) / 1024.0);
        if (m.run.errors != 0)
            std::printf("  %zu errors; the first: %s\n", m.run.errors, m.run.first_error.c_str());
    };
    auto const pipeline = in_child(argv[0], "pipeline", "fp" + run, tasks, concurrency);
    report("(a) pipeline, one client", pipeline, tasks, bound_s);
    auto const separate = in_child(argv[0], "separate", "fs" + run, tasks, concurrency);
    report("(b) separate clients", separate, tasks, bound_s);
    measured held{};
    if (pending != 0) {
        held = in_child(argv[0], "pending", "fw" + run, pending, concurrency);
        char what[64];
        std::snprintf(what, sizeof what, "%zu pending, pipeline", pending);
        report(what, held, pending, 0);
    }
    bool const all = pipeline.run.finished == tasks && separate.run.finished == tasks && pipeline.run.errors == 0 &&
                     separate.run.errors == 0 && (pending == 0 || held.run.finished == pending);
    std::printf("summary-fleet: tasks=%zu of_bound_pipeline=%.2f of_bound_separate=%.2f cpu_ratio=%.2f "
                "pending=%zu pending_peak_mb=%.1f all_finished=%s\n",
                tasks, bound_s / pipeline.run.wall_s, bound_s / separate.run.wall_s,
                pipeline.cpu_s / separate.cpu_s, pending, static_cast<double>(held.max_rss_kb) / 1024.0,
                all ? "yes" : "no");
    return all ? 0 : 1;
}
