// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_BATCH_PIPELINE_TYPES_HPP
#define MTURK_CROWD_BATCH_PIPELINE_TYPES_HPP

#include <mturk/crowd/batch/schedule.hpp>
#include <mturk/crowd/client_types.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/task.hpp>
#include <mturk/crowd/task_name.hpp>

#include <boost/json/value.hpp>

#include <chrono>
#include <concepts>
#include <cstddef>
#include <functional>
#include <iterator>
#include <optional>
#include <ranges>
#include <string>
#include <string_view>

/* What the batch pipeline takes and gives, shared by its synchronous form
   (<mturk/crowd/batch/pipeline.hpp>) and its asynchronous one
   (<mturk/crowd/batch/async_pipeline.hpp>). */
namespace mturk::crowd::batch {

/// One task of a batch of function `F`: its name and input.
template <api_function F>
struct batch_task {
    task_name name;
    typename F::input_type input;
};

/// One task of an untyped batch: each names its own function; the input is a JSON object.
template <>
struct batch_task<untyped_function> {
    std::string function;
    task_name name;
    boost::json::value input;
};

/** Where a batch's tasks come from: a callable that gives the next task, or nothing once
    there are no more. It is called only when a task can be created at once (so its input
    is held only while its PUT is under way), always by one thread at a time. `from_range`
    makes one of a range. */
template <class Source, class F>
concept task_source = std::invocable<Source&> &&
                      std::same_as<std::invoke_result_t<Source&>, std::optional<batch_task<F>>>;

/** The tasks of `range` (of `batch_task<F>`), each copied when it is sent: the range must
    outlive the batch. */
template <api_function F, std::ranges::input_range Range>
    requires std::same_as<std::ranges::range_value_t<Range>, batch_task<F>>
auto from_range(Range& range)
{
    return [it = std::ranges::begin(range), end = std::ranges::end(range)]() mutable -> std::optional<batch_task<F>> {
        if (it == end)
            return std::nullopt;
        std::optional<batch_task<F>> next(*it);
        ++it;
        return next;
    };
}

/// How a batch runs.
struct pipeline_options {
    /// At most this many requests at once (creations, polls and removals); at least 1.
    std::size_t max_in_flight = 64;
    /// The first poll of a task, after its creation; 0 polls at once.
    std::chrono::milliseconds poll_after{std::chrono::seconds(5)};
    /// The longest pause between two polls of a task.
    std::chrono::milliseconds max_poll_interval{std::chrono::seconds(60)};
    /** Polls of one task in a row that may fail and the task still be polled again (a
        throttled or 5xx poll, a lost connection, after the client's own retries); the
        next one ends the task with that error. An error that will not change (404, 403,
        an unreadable result) ends it at once. */
    unsigned max_poll_failures = 10;
    /// Deletes each finished task (DELETE) once it has been handed on.
    bool remove_finished = false;
    /// Called after each request ends, with the counts so far (from where the batch runs).
    std::function<void(batch_progress const&)> on_progress{};
    /// [0, 1] for the polls' jitter; empty: an engine seeded from std::random_device.
    std::function<double()> random{};
};

/** One task's end, handed to the batch's callback exactly once: the finished task
    (completed, or failed with its problem details), or the error that ended it (it could
    not be created, or not be read). A batch that is stopped hands on nothing for the
    tasks it leaves (`batch_progress::abandoned` counts them). */
template <api_function F>
struct task_outcome {
    std::size_t index = 0;      ///< the task's place in the source, from 0
    task_name name;
    std::string_view function;  ///< the function's name (valid during the callback)
    /// How this batch's PUT ended; empty when it failed (then `task` holds why).
    std::optional<crowd::creation> creation;
    /// The finished task, or why it ended without one (code, HTTP status, request id).
    result<crowd::task<F>> task;
};

}  // namespace mturk::crowd::batch

#endif
