// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The client's calls as trace spans shaped as OpenTelemetry's (OTLP JSON, one span a
// line): a span per call, a child per attempt, and a W3C traceparent on each attempt so
// that the server's spans join the trace. A TRACEPARENT in the environment (as a
// service handling a traced request would have) becomes the calls' parent. Run it
// against crowd-emulator with scripts/with-emulator.
#include <mturk/crowd/beast_client.hpp>
#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/telemetry/traces.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <string>

namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;
namespace telemetry = mturk::crowd::telemetry;
using sentiment = fn::sentiment_analysis::test;

namespace {

std::string unix_nanos(std::chrono::system_clock::time_point t)
{
    return std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
}

/// One span as OTLP/JSON writes it (opentelemetry-proto's JSON mapping).
std::string otlp_json(telemetry::span_record const& s)
{
    boost::json::array attributes;
    for (auto const& a : s.attributes)
        attributes.push_back({{"key", a.key}, {"value", {{"stringValue", a.value}}}});
    boost::json::object status{{"code", s.failed ? "STATUS_CODE_ERROR" : "STATUS_CODE_OK"}};
    if (s.failed)
        status["message"] = s.status_message;
    return boost::json::serialize(boost::json::object{{"traceId", s.trace_id},
                                                      {"spanId", s.span_id},
                                                      {"parentSpanId", s.parent_span_id},
                                                      {"name", s.name},
                                                      {"kind", "SPAN_KIND_CLIENT"},
                                                      {"startTimeUnixNano", unix_nanos(s.start)},
                                                      {"endTimeUnixNano", unix_nanos(s.end)},
                                                      {"attributes", std::move(attributes)},
                                                      {"status", std::move(status)}});
}

/// "00-<trace id>-<span id>-<flags>", as W3C Trace Context writes it.
std::optional<telemetry::trace_context> parse_traceparent(std::string_view text)
{
    if (text.size() != 55 || !text.starts_with("00-") || text[35] != '-' || text[52] != '-')
        return std::nullopt;
    return telemetry::trace_context{std::string(text.substr(3, 32)), std::string(text.substr(36, 16))};
}

}  // namespace

int main()
{
    std::mutex out;
    telemetry::trace_options options;
    if (char const* incoming = std::getenv("TRACEPARENT"))
        options.parent = [parent = parse_traceparent(incoming)] { return parent; };
    crowd::client_config config;
    config.hooks = telemetry::trace_hooks(
        [&out](telemetry::span_record const& s) {
            std::lock_guard<std::mutex> lock(out);
            std::cout << otlp_json(s) << '\n';
        },
        {}, std::move(options));
    auto client = crowd::make_client(std::move(config));
    if (!client) {
        std::cerr << client.error() << '\n';
        return 1;
    }
    constexpr crowd::task_name review{"traced-review"}, missing{"traced-none"};
    auto created = client->create<sentiment>(review, {.text = "Arrived early, works well."});
    auto done = created ? client->wait<sentiment>(review, {.first_delay = std::chrono::milliseconds(50)})
                        : crowd::result<crowd::task<sentiment>>(created.error());
    if (!done) {
        std::cerr << done.error() << '\n';
        return 1;
    }
    (void)client->remove<sentiment>(review);
    (void)client->get<sentiment>(missing);  // a 404: a span that failed
    return 0;
}
