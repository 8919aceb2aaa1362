// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TELEMETRY_METRICS_HPP
#define MTURK_CROWD_TELEMETRY_METRICS_HPP

#include <mturk/crowd/client_types.hpp>
#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/transport/connection_pool.hpp>

#include <functional>
#include <span>
#include <string_view>

/* The client's hooks as the metrics the AWS SDKs record (the Smithy reference
   architecture's names, which aws-sdk-cpp's telemetryProvider, the Go and Kotlin SDKs and
   smithy-rs use): durations in seconds as histograms, counts as counters, the pool as
   gauges, attributed with `rpc.service` ("crowd") and `rpc.method` ("PutTask", "GetTask",
   "DeleteTask", "WaitForTask"). A sink of the caller's receives each measurement and
   aggregates it (examples/metrics_prometheus.cpp keeps Prometheus text;
   docs/observability.md shows an opentelemetry-cpp meter as the sink). */
namespace mturk::crowd::telemetry {

/// The metrics' names, as the SDKs write them.
namespace metric_names {
inline constexpr std::string_view call_duration = "smithy.client.call.duration";
inline constexpr std::string_view call_attempts = "smithy.client.call.attempts";
inline constexpr std::string_view call_errors = "smithy.client.call.errors";
inline constexpr std::string_view attempt_duration = "smithy.client.call.attempt_duration";
inline constexpr std::string_view resolve_identity_duration = "smithy.client.call.auth.resolve_identity_duration";
inline constexpr std::string_view connections_limit = "smithy.client.http.connections.limit";
inline constexpr std::string_view connections_usage = "smithy.client.http.connections.usage";
inline constexpr std::string_view requests_usage = "smithy.client.http.requests.usage";
}  // namespace metric_names

/// One attribute of a measurement.
struct attribute {
    std::string_view key;
    std::string_view value;
};

/// What kind of instrument a measurement is for.
enum class instrument {
    histogram,  ///< a value to aggregate into buckets (durations, in seconds)
    counter,    ///< an increment of a monotonic sum
    gauge,      ///< the current value (the pool's)
};

/// One measurement. The views are valid during the sink's call only.
struct measurement {
    std::string_view name;
    instrument kind = instrument::counter;
    std::string_view unit;  ///< "s", "{attempt}", "{error}", "{connection}", "{request}"
    double value = 0;
    std::span<attribute const> attributes{};
};

using metric_sink = std::function<void(measurement const&)>;

/** Hooks that record the SDKs' call metrics into `sink`, then call `next`'s hooks (so
    that metrics, traces and hooks of one's own compose):
    - on each call's end: `smithy.client.call.duration` (s), and
      `smithy.client.call.errors` (+1, with `error.type`, the errc's name or the system
      error's) when it failed;
    - on each attempt's end: `smithy.client.call.attempts` (+1) and
      `smithy.client.call.attempt_duration` (s); a failed attempt adds
      `smithy.client.call.errors` with `error.type` too, as the SDKs count errors per attempt;
    - on each credentials resolution: `smithy.client.call.auth.resolve_identity_duration`
      (s, with `auth.scheme_id` "aws.auth#sigv4" and `error.type` on failure).
    The sink is called from the threads that run operations: make it thread-safe. */
MTURK_CROWD_DECL client_hooks metric_hooks(metric_sink sink, client_hooks next = {});

/** The pool's gauges now (ask the transport's `pool()` when a scrape comes):
    `smithy.client.http.connections.limit`, `smithy.client.http.connections.usage`
    (`state` idle and acquired), `smithy.client.http.requests.usage` (`state` queued). */
MTURK_CROWD_DECL void record_pool_gauges(transport::pool_counters const& pool, std::size_t max_connections,
                                         metric_sink const& sink);

/// The `error.type` of a failure: the errc's name ("throttled"), else the category and
/// value ("system:111").
MTURK_CROWD_DECL std::string error_type(error const& failure);

}  // namespace mturk::crowd::telemetry

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/telemetry/impl/metrics.ipp>
#endif

#endif
