// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_BATCH_DETAIL_IMPL_PIPELINE_CORE_IPP
#define MTURK_CROWD_BATCH_DETAIL_IMPL_PIPELINE_CORE_IPP

#include <mturk/crowd/batch/detail/pipeline_core.hpp>
#include <mturk/crowd/retry.hpp>

#include <algorithm>
#include <limits>
#include <stdexcept>

#include <boost/throw_exception.hpp>

namespace mturk::crowd::batch::detail {

MTURK_CROWD_DECL pipeline_core::pipeline_core(pipeline_options const& options)
    : options_(options),
      schedule_({.max_in_flight = options.max_in_flight,
                 .poll_after = options.poll_after,
                 .max_poll_interval = options.max_poll_interval}),
      engine_(std::random_device{}())
{
}

MTURK_CROWD_DECL bool pipeline_core::wants_task() const noexcept
{
    if (source_ended_ || schedule_.stopped() || next_id_ == std::numeric_limits<task_id>::max())
        return false;
    auto const p = schedule_.progress();
    return p.to_create == 0 && p.in_flight < schedule_.options().max_in_flight;
}

MTURK_CROWD_DECL auto pipeline_core::add(task_name const& name, std::string_view function) -> task_id
{
    auto found = std::find(functions_.begin(), functions_.end(), function);
    if (found == functions_.end()) {
        // A batch names a few functions; a source that names more than 65,535 is refused.
        if (functions_.size() > std::numeric_limits<std::uint16_t>::max())
            boost::throw_exception(std::length_error("mturk::crowd::batch: more than 65,536 functions in one batch"));
        functions_.emplace_back(function);
        found = std::prev(functions_.end());
    }
    task_id const id = next_id_++;
    pending_.insert_or_assign(id, pending_task{name, static_cast<std::uint16_t>(found - functions_.begin())});
    schedule_.add(id);
    return id;
}

MTURK_CROWD_DECL auto pipeline_core::pending(task_id id) -> pending_task&
{
    return pending_.at(id);
}

MTURK_CROWD_DECL auto pipeline_core::pending(task_id id) const -> pending_task const&
{
    return pending_.at(id);
}

MTURK_CROWD_DECL task_name const& pipeline_core::name_of(task_id id) const
{
    return pending(id).name;
}

MTURK_CROWD_DECL std::string_view pipeline_core::function_of(task_id id) const
{
    return functions_[pending(id).function];
}

MTURK_CROWD_DECL std::optional<creation> pipeline_core::creation_of(task_id id) const
{
    auto const how = pending(id).creation;
    return how < 0 ? std::nullopt : std::optional<creation>(static_cast<creation>(how));
}

MTURK_CROWD_DECL double pipeline_core::draw()
{
    if (options_.random)
        return std::clamp(options_.random(), 0.0, 1.0);
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine_);
}

MTURK_CROWD_DECL bool pipeline_core::created(task_id id, creation how, task_state state, time_point now)
{
    pending(id).creation = static_cast<std::int8_t>(how);
    schedule_.on_created(id, how, now, draw(), state);
    return state != task_state::processing;
}

MTURK_CROWD_DECL void pipeline_core::creation_failed(task_id id)
{
    schedule_.on_error(id);
}

MTURK_CROWD_DECL auto pipeline_core::polled(task_id id, task_state state, time_point now) -> poll_verdict
{
    pending(id).poll_failures = 0;
    schedule_.on_polled(id, state, now, draw());
    return state == task_state::processing ? poll_verdict::again : poll_verdict::finished;
}

MTURK_CROWD_DECL auto pipeline_core::poll_failed(task_id id, error const& failure, time_point now) -> poll_verdict
{
    auto& task = pending(id);
    auto const kind = classify({.code = failure.code(), .http_status = failure.http_status()});
    bool const may_pass = kind == failure_kind::throttling || kind == failure_kind::transient;
    if (may_pass && task.poll_failures < options_.max_poll_failures) {
        ++task.poll_failures;
        schedule_.on_poll_failed(id, now, draw());
        return poll_verdict::again;
    }
    schedule_.on_error(id);
    return poll_verdict::ended;
}

MTURK_CROWD_DECL void pipeline_core::handed_on(task_id id, bool finished)
{
    if (finished && options_.remove_finished && !schedule_.stopped() && schedule_.remove_later(id))
        return;
    pending_.erase(id);
}

MTURK_CROWD_DECL void pipeline_core::removal_ended(task_id id, bool removed)
{
    schedule_.on_removed(id, removed);
    pending_.erase(id);
}

MTURK_CROWD_DECL void pipeline_core::abandoned(task_id id)
{
    schedule_.on_abandoned(id);
    pending_.erase(id);
}

MTURK_CROWD_DECL void pipeline_core::stop() noexcept
{
    schedule_.stop();
}

MTURK_CROWD_DECL batch_progress pipeline_core::progress(request_statistics const& client_now) const
{
    batch_progress p = schedule_.progress();
    p.retried = client_now.retries - client_at_start_.retries;
    p.throttled = client_now.throttled - client_at_start_.throttled;
    return p;
}

}  // namespace mturk::crowd::batch::detail

#endif
