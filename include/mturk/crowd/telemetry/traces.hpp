// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TELEMETRY_TRACES_HPP
#define MTURK_CROWD_TELEMETRY_TRACES_HPP

#include <mturk/crowd/client_types.hpp>
#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/telemetry/metrics.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

/* The client's hooks as trace spans, shaped as OpenTelemetry's and as the AWS SDKs make
   them: one span per call ("crowd.PutTask", kind client) with a child per attempt
   ("crowd.PutTask attempt"), whose context goes out in a W3C `traceparent` header so
   that a server (or a proxy) can join the trace. Spans are handed to an exporter of the
   caller's when they end (examples/traces_json.cpp prints them as OTLP-shaped JSON;
   docs/observability.md bridges them to opentelemetry-cpp). */
namespace mturk::crowd::telemetry {

/// A W3C trace context: 32 and 16 lower-case hex digits.
struct trace_context {
    std::string trace_id;
    std::string span_id;
};

/// One finished span. The views are valid during the exporter's call only.
struct span_record {
    std::string_view name;            ///< "crowd.PutTask", "crowd.PutTask attempt"
    std::string_view trace_id;        ///< 32 hex digits
    std::string_view span_id;         ///< 16 hex digits
    std::string_view parent_span_id;  ///< empty for a root span
    std::chrono::system_clock::time_point start{};
    std::chrono::system_clock::time_point end{};
    bool failed = false;
    std::string_view status_message{};  ///< the failure's text, when failed
    std::span<attribute const> attributes{};
};

struct trace_options {
    /// The caller's current span when a call starts (from its own tracer), so that the
    /// call's span is its child; empty, or nothing returned: the call starts a trace.
    std::function<std::optional<trace_context>()> parent{};
};

/** Hooks that make the spans and add `traceparent` to each attempt, then call `next`'s
    hooks. `export_span` is called when a span ends, from the thread that ran the step.
    Attributes: `rpc.system` "aws-api", `rpc.service`, `rpc.method`, `aws.crowd.function`,
    `aws.crowd.task`, `aws.invocation_id`; per attempt `http.request.method`,
    `http.response.status_code`, `aws.request_id`, `aws.attempt`; on failure `error.type`. */
MTURK_CROWD_DECL client_hooks trace_hooks(std::function<void(span_record const&)> export_span, client_hooks next = {},
                                          trace_options options = {});

}  // namespace mturk::crowd::telemetry

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/telemetry/impl/traces.ipp>
#endif

#endif
