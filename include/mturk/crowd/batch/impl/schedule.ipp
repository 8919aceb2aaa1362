// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_BATCH_IMPL_SCHEDULE_IPP
#define MTURK_CROWD_BATCH_IMPL_SCHEDULE_IPP

#include <mturk/crowd/batch/schedule.hpp>

#include <algorithm>
#include <limits>

namespace mturk::crowd::batch {

MTURK_CROWD_DECL schedule::schedule(schedule_options options) : options_(options)
{
    options_.max_in_flight = std::max<std::size_t>(options_.max_in_flight, 1);
    options_.poll_after = std::max(options_.poll_after, std::chrono::milliseconds(0));
    options_.max_poll_interval = std::max(options_.max_poll_interval, options_.poll_after);
}

MTURK_CROWD_DECL void schedule::add(task_id id)
{
    if (!stopped_)
        to_create_.push_back(id);
}

MTURK_CROWD_DECL auto schedule::next(time_point now) -> step
{
    if (in_flight_.size() >= options_.max_in_flight)
        return {step::wait, 0, {}};
    if (!to_remove_.empty()) {
        task_id const id = to_remove_.front();
        to_remove_.pop_front();
        in_flight_.try_emplace(id, in_flight_request{request_kind::removal, 0});
        return {step::remove, id, {}};
    }
    // A due poll before a new creation: it may end a task (and free what it holds), so
    // that a long source does not pile up every task before the first is read.
    if (!due_.empty() && due_.top().at <= now) {
        due_poll const first = due_.top();
        due_.pop();
        in_flight_.try_emplace(first.id, in_flight_request{request_kind::poll, first.pause_ms});
        return {step::poll, first.id, {}};
    }
    if (!to_create_.empty()) {
        task_id const id = to_create_.front();
        to_create_.pop_front();
        if (!in_flight_.try_emplace(id, in_flight_request{request_kind::creation, 0}).second) {
            ++counts_.errors;  // the same id again while its first request is under way: dropped
            return next(now);
        }
        return {step::create, id, {}};
    }
    if (!due_.empty())
        return {step::wait_until, 0, due_.top().at};
    return in_flight_.empty() ? step{step::finished, 0, {}} : step{step::wait, 0, {}};
}

MTURK_CROWD_DECL bool schedule::on_created(task_id id, creation how, time_point now, double random,
                                           task_state state)
{
    in_flight_request request;
    if (!take_in_flight(id, request_kind::creation, request))
        return false;
    switch (how) {
    case creation::created: ++counts_.created; break;
    case creation::already_existed: ++counts_.already_existed; break;
    case creation::uncertain: ++counts_.uncertain; break;
    }
    switch (state) {
    case task_state::completed: ++counts_.completed; break;
    case task_state::failed: ++counts_.failed; break;
    case task_state::processing: schedule_poll(id, options_.poll_after, now, random); break;
    }
    return true;
}

MTURK_CROWD_DECL bool schedule::on_polled(task_id id, task_state state, time_point now, double random)
{
    in_flight_request request;
    if (!take_in_flight(id, request_kind::poll, request))
        return false;
    ++counts_.polls;
    switch (state) {
    case task_state::completed: ++counts_.completed; break;
    case task_state::failed: ++counts_.failed; break;
    case task_state::processing: poll_again(id, request, now, random); break;
    }
    return true;
}

MTURK_CROWD_DECL bool schedule::on_poll_failed(task_id id, time_point now, double random)
{
    in_flight_request request;
    if (!take_in_flight(id, request_kind::poll, request))
        return false;
    poll_again(id, request, now, random);
    return true;
}

MTURK_CROWD_DECL bool schedule::remove_later(task_id id)
{
    if (in_flight_.contains(id))
        return false;
    to_remove_.push_back(id);
    return true;
}

MTURK_CROWD_DECL bool schedule::on_removed(task_id id, bool removed)
{
    in_flight_request request;
    if (!take_in_flight(id, request_kind::removal, request))
        return false;
    if (removed)
        ++counts_.removed;
    else
        ++counts_.not_removed;
    return true;
}

MTURK_CROWD_DECL bool schedule::on_abandoned(task_id id)
{
    auto const found = in_flight_.find(id);
    if (found == in_flight_.end())
        return false;
    in_flight_.erase(found);
    ++counts_.abandoned;
    return true;
}

MTURK_CROWD_DECL void schedule::stop() noexcept
{
    stopped_ = true;
    to_create_.clear();
    to_remove_.clear();
    counts_.abandoned += due_.size();
    due_ = {};
}

MTURK_CROWD_DECL bool schedule::on_error(task_id id)
{
    auto const found = in_flight_.find(id);
    if (found == in_flight_.end())
        return false;
    in_flight_.erase(found);
    ++counts_.errors;
    return true;
}

MTURK_CROWD_DECL void schedule::stop_creating() noexcept
{
    to_create_.clear();
}

MTURK_CROWD_DECL batch_progress schedule::progress() const noexcept
{
    batch_progress p = counts_;
    p.to_create = to_create_.size();
    p.in_flight = in_flight_.size();
    p.waiting = due_.size();
    return p;
}

MTURK_CROWD_DECL std::chrono::milliseconds schedule::drawn(std::chrono::milliseconds nominal, double random) noexcept
{
    double const r = std::clamp(random, 0.0, 1.0);
    auto const d = nominal.count();
    return std::chrono::milliseconds(d / 2 + static_cast<std::int64_t>(r * static_cast<double>(d - d / 2)));
}

MTURK_CROWD_DECL void schedule::poll_again(task_id id, in_flight_request const& last_poll, time_point now,
                                           double random)
{
    // The next pause doubles the last nominal one (a first poll at once starts at 1 s).
    auto const last = std::chrono::milliseconds(last_poll.pause_ms);
    auto const grown = last.count() == 0 ? std::chrono::milliseconds(std::chrono::seconds(1)) : last * 2;
    schedule_poll(id, std::min(grown, options_.max_poll_interval), now, random);
}

MTURK_CROWD_DECL void schedule::schedule_poll(task_id id, std::chrono::milliseconds nominal, time_point now,
                                              double random)
{
    if (stopped_) {  // a stopped batch polls no more: the task is left where it is
        ++counts_.abandoned;
        return;
    }
    auto const capped = std::min<std::int64_t>(nominal.count(), std::numeric_limits<std::uint32_t>::max());
    due_.push({now + drawn(nominal, random), id, static_cast<std::uint32_t>(capped)});
}

MTURK_CROWD_DECL bool schedule::take_in_flight(task_id id, request_kind kind, in_flight_request& out)
{
    auto const found = in_flight_.find(id);
    if (found == in_flight_.end() || found->second.kind != kind)
        return false;
    out = found->second;
    in_flight_.erase(found);
    return true;
}

}  // namespace mturk::crowd::batch

#endif
