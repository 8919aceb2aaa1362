// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CLIENT_RATE_LIMITER_HPP
#define MTURK_CROWD_CLIENT_RATE_LIMITER_HPP

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>
#include <mutex>

namespace mturk::crowd {

/** The client-side rate limiter of the AWS SDKs' adaptive retry mode: a token bucket
    whose fill rate follows CUBIC congestion control on throttling responses.

    It stays out of the way until the first throttling response; from then on every
    attempt takes a token, and the bucket's fill rate is set after each attempt:
    - throttled: the rate drops to `beta` (0.7) times the rate being sent at, which
      becomes the new `last_max_rate`;
    - otherwise: it grows as `scale (0.4) * (t - t_throttle - K)^3 + last_max_rate`, with
      `K = cbrt(last_max_rate * (1 - beta) / scale)`, so it regains the old maximum after K
      seconds and probes beyond it after that;
    - never above twice the measured sending rate (smoothed per half second, weight 0.8),
      never below 0.5 tokens a second.

    Specification: the AWS SDKs and Tools reference, "Retry behavior" (adaptive mode), with
    the constants of the SDKs (botocore `retries/adaptive.py`, aws-sdk-go-v2
    `aws/retry/adaptive_ratelimit.go`, smithy-rs `client_rate_limiter.rs`).

    Copies share one bucket: give every client of a process a copy, and they slow down
    together. Thread-safe. Time comes from the caller (the client's clock), so a manual
    clock drives it exactly in tests.
*/
class client_rate_limiter {
public:
    using time_point = std::chrono::system_clock::time_point;

    static constexpr double min_fill_rate = 0.5;  ///< tokens a second, at the least
    static constexpr double min_capacity = 1.0;
    static constexpr double smoothing = 0.8;      ///< weight of the newest measured rate
    static constexpr double beta = 0.7;           ///< how far a throttle cuts the rate
    static constexpr double scale = 0.4;          ///< how fast the rate grows back

    /// What the limiter holds now, for tests and metrics.
    struct state {
        bool enabled = false;       ///< a throttling response has been seen
        double fill_rate = 0;       ///< tokens a second
        double max_capacity = 0;
        double capacity = 0;        ///< may be below zero: tokens already promised to waiting attempts
        double measured_rate = 0;   ///< attempts a second, smoothed
        double last_max_rate = 0;   ///< the rate at the last throttle
    };

    /// A limiter whose clock starts with the first time it is given.
    client_rate_limiter() = default;

    /// A limiter whose clock starts at `start` (the SDKs start it when the client is made).
    explicit client_rate_limiter(time_point start) { shared_->start(seconds(start)); }

    /** Before an attempt is sent: takes a token, and says how long to wait first (zero
        until the first throttling response). A token is taken even when the caller must
        wait for it, so attempts that wait at once are spaced, not sent together. */
    std::chrono::milliseconds acquire(time_point now)
    {
        std::lock_guard<std::mutex> lock(shared_->mutex);
        auto& s = *shared_;
        if (!s.enabled)
            return std::chrono::milliseconds(0);
        double const t = seconds(now);
        s.start_if_needed(t);
        s.refill(t);
        double wait = 0;
        if (s.capacity < 1.0)
            wait = (1.0 - s.capacity) / s.fill_rate;
        s.capacity -= 1.0;
        return std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(wait * 1000.0)));
    }

    /// After each attempt (a response or a failure): `throttled` when it was a throttling response.
    void update(time_point now, bool throttled)
    {
        std::lock_guard<std::mutex> lock(shared_->mutex);
        auto& s = *shared_;
        double const t = seconds(now);
        s.start_if_needed(t);
        s.measure(t);
        double rate = 0;
        if (throttled) {
            double const rate_to_use = s.enabled ? std::min(s.measured_rate, s.fill_rate) : s.measured_rate;
            s.last_max_rate = rate_to_use;
            s.last_throttle = t;
            rate = rate_to_use * beta;
            s.enabled = true;
        } else {
            double const dt = t - s.last_throttle - s.time_window();
            rate = scale * dt * dt * dt + s.last_max_rate;
        }
        s.set_fill_rate(t, std::min(rate, 2.0 * s.measured_rate));
    }

    state current() const
    {
        std::lock_guard<std::mutex> lock(shared_->mutex);
        auto const& s = *shared_;
        return {s.enabled, s.fill_rate, s.max_capacity, s.capacity, s.measured_rate, s.last_max_rate};
    }

private:
    static double seconds(time_point t)
    {
        return std::chrono::duration<double>(t.time_since_epoch()).count();
    }

    struct shared_state {
        std::mutex mutex;
        bool started = false;
        bool enabled = false;
        double fill_rate = min_fill_rate;
        double max_capacity = min_capacity;
        double capacity = 0;
        bool refilled_once = false;
        double last_refill = 0;
        double measured_rate = 0;
        double last_bucket = 0;  // the half-second bucket of the last rate measurement
        double requests_in_bucket = 0;
        double last_max_rate = 0;
        double last_throttle = 0;

        void start(double t)
        {
            started = true;
            last_throttle = t;
            last_bucket = std::floor(t);
        }
        void start_if_needed(double t)
        {
            if (!started)
                start(t);
        }
        void refill(double t)
        {
            if (refilled_once)
                capacity = std::min(max_capacity, capacity + (t - last_refill) * fill_rate);
            refilled_once = true;
            last_refill = t;
        }
        void measure(double t)
        {
            double const bucket = std::floor(t * 2.0) / 2.0;
            requests_in_bucket += 1;
            if (bucket > last_bucket) {
                double const rate = requests_in_bucket / (bucket - last_bucket);
                measured_rate = rate * smoothing + measured_rate * (1.0 - smoothing);
                requests_in_bucket = 0;
                last_bucket = bucket;
            }
        }
        double time_window() const { return std::cbrt(last_max_rate * (1.0 - beta) / scale); }
        void set_fill_rate(double t, double rate)
        {
            refill(t);  // what accrued so far accrues at the old rate
            fill_rate = std::max(rate, min_fill_rate);
            max_capacity = std::max(rate, min_capacity);
            capacity = std::min(capacity, max_capacity);
        }
    };
    std::shared_ptr<shared_state> shared_ = std::make_shared<shared_state>();
};

}  // namespace mturk::crowd

#endif
