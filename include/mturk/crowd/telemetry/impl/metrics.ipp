// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TELEMETRY_IMPL_METRICS_IPP
#define MTURK_CROWD_TELEMETRY_IMPL_METRICS_IPP

#include <mturk/crowd/telemetry/metrics.hpp>

#include <array>
#include <memory>
#include <utility>

namespace mturk::crowd::telemetry {

MTURK_CROWD_DECL std::string error_type(error const& failure)
{
    auto const code = failure.code();
    if (code.category() == crowd::error_category())
        return std::string(errc_name(static_cast<errc>(code.value())));
    return std::string(code.category().name()) + ":" + std::to_string(code.value());
}

MTURK_CROWD_DECL client_hooks metric_hooks(metric_sink sink, client_hooks next)
{
    auto record = std::make_shared<metric_sink const>(std::move(sink));
    auto seconds = [](std::chrono::milliseconds d) { return static_cast<double>(d.count()) / 1000.0; };
    client_hooks hooks = next;
    hooks.on_call_finished = [record, seconds, chained = std::move(next.on_call_finished)](call_finished const& end) {
        std::array<attribute, 3> attributes{{{"rpc.service", "crowd"}, {"rpc.method", end.id.rpc_method}, {}}};
        (*record)({metric_names::call_duration, instrument::histogram, "s", seconds(end.duration),
                   std::span<attribute const>(attributes.data(), 2)});
        if (end.failure) {
            std::string const type = error_type(*end.failure);
            attributes[2] = {"error.type", type};
            (*record)({metric_names::call_errors, instrument::counter, "{error}", 1, attributes});
        }
        if (chained)
            chained(end);
    };
    hooks.after_attempt = [record, seconds, chained = std::move(next.after_attempt)](attempt_finished const& a) {
        std::array<attribute, 3> attributes{{{"rpc.service", "crowd"}, {"rpc.method", rpc_method_of(a.id.operation)}, {}}};
        std::span<attribute const> const named(attributes.data(), 2);
        (*record)({metric_names::call_attempts, instrument::counter, "{attempt}", 1, named});
        (*record)({metric_names::attempt_duration, instrument::histogram, "s", seconds(a.took), named});
        if (a.failure) {
            std::string const type = error_type(*a.failure);
            attributes[2] = {"error.type", type};
            (*record)({metric_names::call_errors, instrument::counter, "{error}", 1, attributes});
        }
        if (chained)
            chained(a);
    };
    hooks.on_credentials_resolved = [record, seconds,
                                     chained = std::move(next.on_credentials_resolved)](credentials_resolution const& r) {
        std::array<attribute, 2> attributes{{{"auth.scheme_id", "aws.auth#sigv4"}, {}}};
        std::string type;
        std::size_t count = 1;
        if (r.failure) {
            type = error_type(*r.failure);
            attributes[1] = {"error.type", type};
            count = 2;
        }
        (*record)({metric_names::resolve_identity_duration, instrument::histogram, "s", seconds(r.duration),
                   std::span<attribute const>(attributes.data(), count)});
        if (chained)
            chained(r);
    };
    return hooks;
}

MTURK_CROWD_DECL void record_pool_gauges(transport::pool_counters const& pool, std::size_t max_connections,
                                         metric_sink const& sink)
{
    sink({metric_names::connections_limit, instrument::gauge, "{connection}", static_cast<double>(max_connections), {}});
    attribute const idle[] = {{"state", "idle"}};
    attribute const acquired[] = {{"state", "acquired"}};
    attribute const queued[] = {{"state", "queued"}};
    sink({metric_names::connections_usage, instrument::gauge, "{connection}", static_cast<double>(pool.idle), idle});
    sink({metric_names::connections_usage, instrument::gauge, "{connection}", static_cast<double>(pool.in_use), acquired});
    sink({metric_names::requests_usage, instrument::gauge, "{request}", static_cast<double>(pool.waiting), queued});
}

}  // namespace mturk::crowd::telemetry

#endif
