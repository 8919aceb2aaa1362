// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_RETRY_HPP
#define MTURK_CROWD_RETRY_HPP

#include <mturk/crowd/error.hpp>

#include <algorithm>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace mturk::crowd {

/// What happened to one attempt: the client tells the retry policy after each one.
struct attempt_outcome {
    boost::system::error_code code{};                   ///< empty: the attempt succeeded
    unsigned http_status = 0;                           ///< 0: no response (a connection error)
    std::optional<std::chrono::milliseconds> retry_after{};  ///< what the response asked for, if anything
    unsigned attempt = 1;                               ///< 1 for the first try, 2 for the first retry...
    unsigned cost_of_this_retry = 0;                    ///< the quota this attempt cost, when it was a retry
};

/// The policy's answer: stop, or try again after `delay`, paying `quota_cost`.
struct retry_decision {
    bool retry = false;
    std::chrono::milliseconds delay{0};
    unsigned quota_cost = 0;
    std::string_view reason;  ///< why it stopped or what it retries, for logs ("throttled", "quota exhausted"...)

    static retry_decision stop(std::string_view why) { return {false, std::chrono::milliseconds(0), 0, why}; }
};

/** What the client asks of a retry policy: told every attempt's outcome (successes too,
    so a quota can be refilled), it answers stop or retry after a delay. The client does
    the waiting, through its clock.

    | expression          | meaning                                   |
    |---------------------|-------------------------------------------|
    | `p.decide(outcome)` | `retry_decision` for this `attempt_outcome` |
*/
template <class P>
concept retry_policy = requires(P& p, attempt_outcome const& outcome) {
    { p.decide(outcome) } -> std::same_as<retry_decision>;
};

/// Never retries.
struct no_retry {
    retry_decision decide(attempt_outcome const& o) const
    {
        return retry_decision::stop(o.code ? "retries are off" : "succeeded");
    }
};

/// How a failed attempt counts for retrying.
enum class failure_kind { none, throttling, transient, permanent };

/// Throttling: HTTP 429 (what this service sends) or `errc::throttled` (the client maps
/// the usual throttling error codes to it). Transient: HTTP 500, 502, 503, 504, and
/// connection errors (`condition::retryable` of other categories: reset, refused,
/// aborted, timed out, broken pipe, unreachable). Everything else is permanent; a 400 in
/// particular is never retried.
inline failure_kind classify(attempt_outcome const& o) noexcept
{
    if (!o.code)
        return failure_kind::none;
    if (o.http_status == 429 || o.code == errc::throttled)
        return failure_kind::throttling;
    if (o.http_status != 0)
        return (o.http_status == 500 || o.http_status == 502 || o.http_status == 503 || o.http_status == 504)
                   ? failure_kind::transient
                   : failure_kind::permanent;
    if (o.code.category() != error_category() && o.code == condition::retryable)
        return failure_kind::transient;
    return failure_kind::permanent;
}

/** The AWS SDKs' standard retry mode, as aws-sdk-cpp, -go-v2, -js-v3 and smithy-rs do it:

    - at most `max_attempts` attempts (3 by default);
    - delay `random[0,1) * min(base * 2^(attempt-1), 20 s)`, base 50 ms for transient
      errors and 1 s for throttling;
    - a quota shared by everything the client sends: 500 tokens; a transient retry costs
      14, a throttling retry 5; when the quota cannot pay, no retry; a first-try success
      gives 1 back, and a retried request that succeeds gives back what its last retry
      cost (the SDKs' rule), never past 500;
    - `x-amz-retry-after` (ms) or `Retry-After` (s) from the response replaces the
      computed delay, bounded to 0..20 s.

    The random source is a constructor argument, so tests are exact. Thread-safe: the
    quota is one per client, and clients are used from several threads.
*/
class standard_retry {
public:
    struct options {
        unsigned max_attempts = 3;
        unsigned quota = 500;
        unsigned transient_cost = 14;
        unsigned throttling_cost = 5;
        unsigned success_refund = 1;
        std::chrono::milliseconds transient_base{50};
        std::chrono::milliseconds throttling_base{1000};
        std::chrono::milliseconds max_backoff{20000};
    };

    /// A random number in [0, 1).
    using random_source = std::function<double()>;

    standard_retry() : standard_retry(options{}) {}
    explicit standard_retry(options o, random_source random = default_random())
        : state_(std::make_shared<shared>(o, std::move(random)))
    {
    }

    retry_decision decide(attempt_outcome const& o)
    {
        std::lock_guard<std::mutex> lock(state_->mutex);
        auto& s = *state_;
        failure_kind const kind = classify(o);
        if (kind == failure_kind::none) {
            unsigned const refund = o.attempt == 1 ? s.settings.success_refund : o.cost_of_this_retry;
            s.tokens = std::min(s.settings.quota, s.tokens + refund);
            return retry_decision::stop("succeeded");
        }
        if (kind == failure_kind::permanent)
            return retry_decision::stop("not retryable");
        if (o.attempt >= s.settings.max_attempts)
            return retry_decision::stop("attempts exhausted");
        unsigned const cost = kind == failure_kind::throttling ? s.settings.throttling_cost : s.settings.transient_cost;
        if (s.tokens < cost)
            return retry_decision::stop("retry quota exhausted");
        s.tokens -= cost;

        std::chrono::milliseconds delay;
        if (o.retry_after) {
            delay = std::clamp(*o.retry_after, std::chrono::milliseconds(0), s.settings.max_backoff);
        } else {
            auto const base = kind == failure_kind::throttling ? s.settings.throttling_base : s.settings.transient_base;
            // base * 2^(attempt-1), capped before it can overflow.
            auto ceiling = base;
            for (unsigned i = 1; i < o.attempt && ceiling < s.settings.max_backoff; ++i)
                ceiling *= 2;
            ceiling = std::min(ceiling, s.settings.max_backoff);
            double const r = std::clamp(s.random(), 0.0, 1.0);
            delay = std::chrono::milliseconds(static_cast<std::int64_t>(r * static_cast<double>(ceiling.count())));
        }
        return {true, delay, cost, kind == failure_kind::throttling ? "throttled" : "transient error"};
    }

    /// The tokens left in the quota.
    unsigned quota_left() const
    {
        std::lock_guard<std::mutex> lock(state_->mutex);
        return state_->tokens;
    }

    options const& settings() const noexcept { return state_->settings; }

    /// From `AWS_MAX_ATTEMPTS` and `AWS_RETRY_MODE` (`standard`; `adaptive` and `legacy`
    /// are accepted and run as standard, since their client-side rate limiting is not
    /// implemented). Errors: `errc::invalid_configuration` naming the variable.
    static result<standard_retry> from_environment(std::function<std::optional<std::string>(std::string_view)> const& env,
                                                   random_source random = default_random())
    {
        options o;
        if (auto mode = env("AWS_RETRY_MODE"); mode && !mode->empty()) {
            if (*mode != "standard" && *mode != "adaptive" && *mode != "legacy")
                return error(errc::invalid_configuration,
                             "AWS_RETRY_MODE: \"" + *mode + "\" is not standard, adaptive or legacy");
        }
        if (auto attempts = env("AWS_MAX_ATTEMPTS"); attempts && !attempts->empty()) {
            unsigned value = 0;
            bool ok = attempts->size() <= 4;
            for (char c : *attempts) {
                ok = ok && c >= '0' && c <= '9';
                value = value * 10 + static_cast<unsigned>(c - '0');
            }
            if (!ok || value < 1)
                return error(errc::invalid_configuration, "AWS_MAX_ATTEMPTS: \"" + *attempts + "\" is not a whole number from 1 to 9999");
            o.max_attempts = value;
        }
        return standard_retry(o, std::move(random));
    }

private:
    static random_source default_random()
    {
        return [engine = std::make_shared<std::mt19937_64>(std::random_device{}())]() {
            return std::uniform_real_distribution<double>(0.0, 1.0)(*engine);
        };
    }

    struct shared {
        shared(options o, random_source r) : settings(o), random(std::move(r)), tokens(o.quota) {}
        options settings;
        random_source random;
        unsigned tokens;
        std::mutex mutex;
    };
    std::shared_ptr<shared> state_;  // copies of a policy share one quota, as one client's do
};

/// The delay a response asks for before a retry: reads `x-amz-retry-after` (milliseconds) or `Retry-After` (whole seconds); other forms
/// (an HTTP date) are ignored.
inline std::optional<std::chrono::milliseconds> parse_retry_after(std::optional<std::string_view> amz_ms,
                                                                  std::optional<std::string_view> seconds)
{
    auto whole = [](std::string_view s) -> std::optional<std::int64_t> {
        if (s.empty() || s.size() > 12)
            return std::nullopt;
        std::int64_t v = 0;
        for (char c : s) {
            if (c < '0' || c > '9')
                return std::nullopt;
            v = v * 10 + (c - '0');
        }
        return v;
    };
    if (amz_ms)
        if (auto v = whole(*amz_ms))
            return std::chrono::milliseconds(*v);
    if (seconds)
        if (auto v = whole(*seconds))
            return std::chrono::seconds(*v);
    return std::nullopt;
}

}  // namespace mturk::crowd

#endif
