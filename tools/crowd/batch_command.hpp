// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// crowd batch: a JSON Lines file of tasks through the library's batch pipeline, resumable,
// and sharded over the machines of a scheduler.
#ifndef MTURK_CROWD_TOOLS_CROWD_BATCH_COMMAND_HPP
#define MTURK_CROWD_TOOLS_CROWD_BATCH_COMMAND_HPP

#include "batch_files.hpp"
#include "cli_support.hpp"
#include "task_commands.hpp"

#include <mturk/crowd/batch/async_pipeline.hpp>
#include <mturk/crowd/beast_async_client.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace crowd_cli {

constexpr char const* batch_help = R"(Creates every task of TASKS.jsonl, polls each until it is finished, and appends one line
per task to RESULTS.jsonl as it ends. Each input line is {"taskName": ..., "input": {...}},
and may name its own "function" (else FUNCTION). Each output line is the finished task
document with its "function" (state completed or failed), or {"function", "taskName",
"error": {...}} when the task could not be created or read.

Every line is checked before anything is sent (the typed schema of the 13 documented
functions, task names, repeats); bad lines are reported with their line number and
skipped, or stop the run with --strict.

Resumable: run again with the same files after a stop of any kind (Ctrl-C, SIGTERM,
SIGKILL, a crash), it skips the tasks already in RESULTS.jsonl and creates the rest again
(PUT is idempotent: a task created before is found, not created twice). A line cut short
by a kill is removed and its task done again. SIGINT and SIGTERM stop cleanly: no new
request, the lines of tasks that ended are written whole; exit 130 or 143.

Set AWS_RETRY_MODE=adaptive to have a 429 slow the whole batch (one rate limiter for all
its requests) rather than each request on its own.

exit codes: 0 every task completed, 1 a task failed or errored or a line was bad,
            130 stopped by SIGINT, 143 by SIGTERM, and the usual ones otherwise
)";

/// The batch's own options (command_line.hpp names them), as given.
struct batch_arguments {
    std::string in, out;
    std::optional<std::string> concurrency;  // 1..1024, default 64
    std::optional<std::string> poll_after;   // milliseconds, default 5000
    bool delete_after = false, strict = false, no_progress = false;
    std::optional<std::string> shard;
    std::optional<std::string> shards;
};

/// The batch's numbers, checked.
struct batch_limits {
    std::size_t concurrency = 64;
    std::chrono::milliseconds poll_after{5000};
};

inline std::optional<int> check_batch_arguments(batch_arguments const& b, batch_limits& out)
{
    auto const usage = [](std::string const& message) {
        return fail(exit_usage, "batch: " + message + " (see crowd batch --help)");
    };
    if (b.in.empty() || b.out.empty())
        return usage("give --in TASKS.jsonl and --out RESULTS.jsonl");
    if (b.concurrency) {
        auto const n = parse_count(*b.concurrency);
        if (!n || *n < 1 || *n > 1024)
            return usage("--concurrency takes a number from 1 to 1024, not \"" + *b.concurrency + "\"");
        out.concurrency = *n;
    }
    if (b.poll_after) {
        auto const n = parse_count(*b.poll_after);
        if (!n || *n > 24ull * 3600 * 1000)
            return usage("--poll-after takes milliseconds, from 0 to a day, not \"" + *b.poll_after + "\"");
        out.poll_after = std::chrono::milliseconds(*n);
    }
    return std::nullopt;
}

/// The progress bar on stderr: done of total, rate, ETA, what is under way.
inline void draw_progress(crowd::batch::batch_progress const& p, std::size_t total,
                          std::chrono::steady_clock::duration elapsed)
{
    auto const done = p.completed + p.failed + p.errors;
    double const seconds = std::chrono::duration<double>(elapsed).count();
    double const rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    int const width = 24;
    int const filled = total == 0 ? width : static_cast<int>(static_cast<double>(done) * width / static_cast<double>(total));
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(width, '.');
    std::string eta = "--";
    if (rate > 0 && done < total) {
        auto const left = static_cast<long long>(static_cast<double>(total - done) / rate);
        eta = std::to_string(left / 3600) + "h" + std::to_string(left / 60 % 60) + "m" + std::to_string(left % 60) + "s";
    }
    std::fprintf(stderr, "\r\033[K%llu/%zu [%s] %.1f/s ETA %s  (in flight %zu, waiting %zu)",
                 static_cast<unsigned long long>(done), total, bar.c_str(), rate, eta.c_str(), p.in_flight, p.waiting);
    std::fflush(stderr);
}

inline int batch_command(task_arguments const& a, batch_arguments const& b)
{
    namespace batch = crowd::batch;
    namespace asio = boost::asio;
    batch_limits limits;
    if (auto done = check_batch_arguments(b, limits))
        return *done;
    if (a.positional.size() != 1)
        return fail(exit_usage, "batch: give FUNCTION, the function of lines that name none (see crowd batch --help)");
    auto const shard = resolve_shard(b.shard, b.shards, crowd::process_environment());
    if (!shard)
        return fail(exit_usage, "batch: " + shard.error());

    // Every line checked before anything is sent.
    auto tasks = read_task_lines(b.in, std::string(a.positional[0]), a.test, *shard);
    if (!tasks)
        return fail(exit_usage, "batch: " + tasks.error());
    for (auto const& bad : tasks->bad)
        std::fprintf(stderr, "crowd: batch: %s:%zu: %s\n", b.in.c_str(), bad.line, bad.why.c_str());
    if (b.strict && !tasks->bad.empty())
        return fail(exit_usage, "batch: " + std::to_string(tasks->bad.size()) + " bad line(s) in " + b.in +
                                    "; nothing was sent (--strict)");
    auto results = results_file::open(b.out);
    if (!results)
        return fail(exit_usage, "batch: " + results.error());
    auto const todo = tasks->not_in(results->done());

    auto config = cli_client_setup(a);
    if (!config)
        return fail(config.error());
    asio::io_context io;
    auto client = crowd::make_async_client(io.get_executor(), std::move(*config),
                                           [&] {
                                               auto options = beast_options_of(a);
                                               options.pool.max_connections = limits.concurrency;
                                               return options;
                                           }());
    if (!client)
        return fail(client.error());

    // SIGINT and SIGTERM stop the batch: no new request, the lines of ended tasks whole.
    int stopped_by = 0;
    asio::cancellation_signal stop;
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code ec, int number) {
        if (ec)
            return;
        stopped_by = number;
        stop.emit(asio::cancellation_type::terminal);
    });

    bool const show_progress = !b.no_progress && is_terminal(stderr);
    auto const started = std::chrono::steady_clock::now();
    batch::batch_progress latest;
    asio::steady_timer redraw(io);
    std::function<void()> tick = [&] {
        redraw.expires_after(std::chrono::milliseconds(250));
        redraw.async_wait([&](boost::system::error_code ec) {
            if (ec)
                return;
            draw_progress(latest, todo.size(), std::chrono::steady_clock::now() - started);
            tick();
        });
    };
    if (show_progress)
        tick();

    std::string write_failure;
    std::size_t next = 0;
    std::string source_failure;
    auto source = [&]() -> std::optional<batch::batch_task<crowd::untyped_function>> {
        if (next == todo.size() || !write_failure.empty())
            return std::nullopt;
        auto task = tasks->read(todo[next++]);
        if (!task) {  // the file changed since it was checked: stop reading it
            source_failure = task.error();
            return std::nullopt;
        }
        return std::move(*task);
    };
    batch::pipeline_options options{.max_in_flight = limits.concurrency, .poll_after = limits.poll_after,
                                    .remove_finished = b.delete_after};
    options.on_progress = [&](batch::batch_progress const& p) { latest = p; };
    std::optional<boost::system::error_code> ended;
    batch::async_run<crowd::untyped_function>(
        *client, source, options,
        [&](batch::task_outcome<crowd::untyped_function>&& outcome) {
            if (!write_failure.empty())
                return;
            if (auto written = results->append(outcome_line(outcome)); !written) {
                write_failure = written.error();  // the run stops: a result that cannot be kept is not dropped silently
                stop.emit(asio::cancellation_type::terminal);
            }
        },
        asio::bind_cancellation_slot(stop.slot(), [&](boost::system::error_code ec, batch::batch_progress p) {
            ended = ec;
            latest = p;
            signals.cancel();
            redraw.cancel();
        }));
    io.run();
    if (show_progress)
        std::fputs("\r\033[K", stderr);

    auto const& p = latest;
    double const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::fprintf(stderr,
                 "crowd: batch: %zu task(s) in %.1f s: %llu completed, %llu failed, %llu errors; %zu bad line(s) "
                 "skipped, %zu already done; created %llu, already existed %llu, uncertain %llu; %llu retried, "
                 "%llu throttled%s\n",
                 todo.size(), seconds, static_cast<unsigned long long>(p.completed),
                 static_cast<unsigned long long>(p.failed), static_cast<unsigned long long>(p.errors), tasks->bad.size(),
                 tasks->valid_count() - todo.size(), static_cast<unsigned long long>(p.created),
                 static_cast<unsigned long long>(p.already_existed), static_cast<unsigned long long>(p.uncertain),
                 static_cast<unsigned long long>(p.retried), static_cast<unsigned long long>(p.throttled),
                 p.abandoned ? ("; stopped, " + std::to_string(p.abandoned) + " left for the next run").c_str() : "");
    if (!write_failure.empty())
        return fail(exit_other, "batch: " + write_failure);
    if (!source_failure.empty())
        return fail(exit_other, "batch: " + source_failure);
    if (stopped_by != 0)
        return 128 + stopped_by;
    bool const all_completed = p.failed == 0 && p.errors == 0 && tasks->bad.empty() && p.abandoned == 0;
    return all_completed ? exit_ok : exit_other;
}

}  // namespace crowd_cli

#endif
