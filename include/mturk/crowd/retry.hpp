// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_RETRY_HPP
#define MTURK_CROWD_RETRY_HPP

#include <mturk/crowd/client_rate_limiter.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/settings/profile_file.hpp>

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
#include <variant>

namespace mturk::crowd {

/// What happened to one attempt: the client tells the retry policy after each one.
struct attempt_outcome {
    boost::system::error_code code{};                   ///< empty: the attempt succeeded
    unsigned http_status = 0;                           ///< 0: no response (a connection error)
    std::optional<std::chrono::milliseconds> retry_after{};  ///< what the response asked for, if anything
    unsigned attempt = 1;                               ///< 1 for the first try, 2 for the first retry...
    unsigned cost_of_this_retry = 0;                    ///< the quota this attempt cost, when it was a retry
    std::chrono::system_clock::time_point at{};         ///< when the attempt ended, on the client's clock
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

    | expression            | meaning                                                        |
    |-----------------------|----------------------------------------------------------------|
    | `p.decide(outcome)`   | `retry_decision` for this `attempt_outcome`                    |
    | `p.before_attempt(t)` | optional (`paces_attempts`): how long to wait before sending an attempt at time `t` (`std::chrono::milliseconds`); a client-side rate limiter |
*/
template <class P>
concept retry_policy = requires(P& p, attempt_outcome const& outcome) {
    { p.decide(outcome) } -> std::same_as<retry_decision>;
};

/// A retry policy that also paces attempts (the adaptive mode's rate limiter): the client
/// asks before every attempt and waits, through its clock, as long as it is told.
template <class P>
concept paces_attempts = retry_policy<P> && requires(P& p, std::chrono::system_clock::time_point now) {
    { p.before_attempt(now) } -> std::same_as<std::chrono::milliseconds>;
};

/// A retry policy that says how many attempts it allows at most: the client sends it in
/// `amz-sdk-request: attempt=N; max=M`, as the AWS SDKs do.
template <class P>
concept counts_attempts = retry_policy<P> && requires(P const& p) {
    { p.max_attempts() } -> std::convertible_to<unsigned>;
};

/// Never retries.
struct no_retry {
    static constexpr unsigned max_attempts() noexcept { return 1; }

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

    /// A source of [0, 1) seeded from `std::random_device`.
    static random_source default_random()
    {
        return [engine = std::make_shared<std::mt19937_64>(std::random_device{}())]() {
            return std::uniform_real_distribution<double>(0.0, 1.0)(*engine);
        };
    }

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
    unsigned max_attempts() const noexcept { return state_->settings.max_attempts; }

private:
    struct shared {
        shared(options o, random_source r) : settings(o), random(std::move(r)), tokens(o.quota) {}
        options settings;
        random_source random;
        unsigned tokens;
        std::mutex mutex;
    };
    std::shared_ptr<shared> state_;  // copies of a policy share one quota, as one client's do
};

/** The AWS SDKs' adaptive retry mode: the standard mode, plus the client-side rate limiter
    (`client_rate_limiter`) that paces every attempt once the service has throttled.

    Copies share the quota and the limiter, so all the clients of a process given copies of
    one policy slow down together:
    @code
    crowd::adaptive_retry shared;  // one quota, one rate for the whole process
    auto a = crowd::basic_client<transport, crowd::system_clock, crowd::adaptive_retry>::make(config, t1, {}, shared);
    auto b = crowd::basic_client<transport, crowd::system_clock, crowd::adaptive_retry>::make(config, t2, {}, shared);
    @endcode
*/
class adaptive_retry {
public:
    adaptive_retry() = default;
    explicit adaptive_retry(standard_retry standard, client_rate_limiter limiter = {})
        : standard_(std::move(standard)), limiter_(std::move(limiter))
    {
    }

    /// Tells the limiter what happened (a throttle cuts its rate, anything else lets it
    /// grow), then decides as the standard mode does.
    retry_decision decide(attempt_outcome const& o)
    {
        limiter_.update(o.at, classify(o) == failure_kind::throttling);
        return standard_.decide(o);
    }

    /// The rate limiter's wait before an attempt: zero until the first throttle.
    std::chrono::milliseconds before_attempt(std::chrono::system_clock::time_point now) { return limiter_.acquire(now); }

    standard_retry& standard() noexcept { return standard_; }
    standard_retry const& standard() const noexcept { return standard_; }
    client_rate_limiter& limiter() noexcept { return limiter_; }
    unsigned quota_left() const { return standard_.quota_left(); }
    unsigned max_attempts() const noexcept { return standard_.max_attempts(); }

private:
    standard_retry standard_;
    client_rate_limiter limiter_;
};

/// The AWS SDKs' retry modes. `legacy` (the old botocore default) runs as `standard`.
enum class retry_mode { standard, adaptive };

/** The retry mode the configuration names, chosen at run time: `standard_retry` or
    `adaptive_retry`. This is the policy of `crowd::client` and `crowd::async_client`.

    `from_environment` reads the settings as the AWS SDKs do, the environment first:
    | setting              | environment        | profile (`~/.aws/config`) |
    |----------------------|--------------------|---------------------------|
    | mode                 | `AWS_RETRY_MODE`   | `retry_mode`              |
    | attempts (1 to 9999) | `AWS_MAX_ATTEMPTS` | `max_attempts`            |
*/
class aws_retry {
public:
    aws_retry() = default;
    aws_retry(standard_retry policy) : policy_(std::move(policy)) {}  // NOLINT: either mode converts
    aws_retry(adaptive_retry policy) : policy_(std::move(policy)) {}  // NOLINT

    retry_decision decide(attempt_outcome const& o)
    {
        return std::visit([&](auto& p) { return p.decide(o); }, policy_);
    }

    std::chrono::milliseconds before_attempt(std::chrono::system_clock::time_point now)
    {
        if (auto* adaptive = std::get_if<adaptive_retry>(&policy_))
            return adaptive->before_attempt(now);
        return std::chrono::milliseconds(0);
    }

    retry_mode mode() const noexcept
    {
        return std::holds_alternative<adaptive_retry>(policy_) ? retry_mode::adaptive : retry_mode::standard;
    }
    unsigned quota_left() const
    {
        return std::visit([](auto const& p) { return p.quota_left(); }, policy_);
    }
    unsigned max_attempts() const noexcept { return settings().max_attempts; }
    standard_retry::options const& settings() const
    {
        if (auto const* adaptive = std::get_if<adaptive_retry>(&policy_))
            return adaptive->standard().settings();
        return std::get<standard_retry>(policy_).settings();
    }
    /// The adaptive mode's limiter; null in the standard mode.
    client_rate_limiter* limiter() noexcept
    {
        auto* adaptive = std::get_if<adaptive_retry>(&policy_);
        return adaptive ? &adaptive->limiter() : nullptr;
    }

    /// A setting's text and where it came from, as errors name it ("AWS_RETRY_MODE",
    /// "<file> line 3: retry_mode").
    struct named_setting {
        std::string text;
        std::string source;
    };

    /** The mode and attempts that `env` and the selected profile name (table above); the
        standard mode with 3 attempts when neither says. Errors: `errc::invalid_configuration`
        naming the variable or the file and line; `errc::profile_file_invalid`. A client's
        factory takes them from its resolved settings instead (`aws_retry_of`), so that the
        profile files are read once. */
    static result<aws_retry> from_environment(environment const& env,
                                              standard_retry::random_source random = standard_retry::default_random())
    {
        auto mode = setting(env, "AWS_RETRY_MODE", "retry_mode");
        if (!mode)
            return mode.error();
        auto attempts = setting(env, "AWS_MAX_ATTEMPTS", "max_attempts");
        if (!attempts)
            return attempts.error();
        return from_settings(std::move(*mode), std::move(*attempts), std::move(random));
    }

    /** The policy that `mode` ("standard", "adaptive", "legacy") and `attempts` (1 to 9999)
        name; either may be absent (standard, 3 attempts). The one place their text is read.
        Errors: `errc::invalid_configuration` naming the setting's source. */
    static result<aws_retry> from_settings(std::optional<named_setting> const& mode,
                                           std::optional<named_setting> const& attempts,
                                           standard_retry::random_source random = standard_retry::default_random())
    {
        standard_retry::options o;
        if (attempts) {
            auto const& [text, source] = *attempts;
            unsigned value = 0;
            bool ok = !text.empty() && text.size() <= 4;
            for (char c : text) {
                ok = ok && c >= '0' && c <= '9';
                value = value * 10 + static_cast<unsigned>(c - '0');
            }
            if (!ok || value < 1)
                return error(errc::invalid_configuration, source + ": \"" + text + "\" is not a whole number from 1 to 9999");
            o.max_attempts = value;
        }
        standard_retry standard(o, std::move(random));
        if (!mode)
            return aws_retry(std::move(standard));
        auto const& [text, source] = *mode;
        if (text == "adaptive")
            return aws_retry(adaptive_retry(std::move(standard)));
        if (text == "standard" || text == "legacy")
            return aws_retry(std::move(standard));
        return error(errc::invalid_configuration, source + ": \"" + text + "\" is not standard, adaptive or legacy");
    }

private:
    /// A setting's text and where it came from ("AWS_RETRY_MODE", "<file> line 3: retry_mode").
    static result<std::optional<named_setting>> setting(environment const& env, std::string_view variable,
                                                        std::string_view profile_key)
    {
        using found = std::optional<named_setting>;
        if (auto value = env(variable); value && !value->empty())
            return found(named_setting{*value, std::string(variable)});
        auto property = selected_profile_setting(env, profile_key);
        if (!property)
            return property.error();
        if (!*property)
            return found();
        auto const& p = **property;
        return found(named_setting{p.value, p.file + " line " + std::to_string(p.line) + ": " + std::string(profile_key)});
    }

    std::variant<standard_retry, adaptive_retry> policy_;
};

static_assert(paces_attempts<adaptive_retry> && paces_attempts<aws_retry> && !paces_attempts<standard_retry>);

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
