// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// What an operator sees of a client: the call hooks, the logger (levels, modes, JSON
// lines, no secret), the SDKs' metrics and spans on a scripted sequence of attempts, the
// hook before signing, the Lambda trace id read per request, the User-Agent, and the
// endpoint settings that are refused by name (FIPS, dual-stack).
#include <mturk/crowd/client.hpp>

#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/log.hpp>
#include <mturk/crowd/telemetry/metrics.hpp>
#include <mturk/crowd/telemetry/traces.hpp>
#include <mturk/crowd/testing/fake_transport.hpp>
#include <mturk/crowd/testing/manual_clock.hpp>

#include "fake_client.hpp"

#include <catch.hpp>

#include <boost/json/parse.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <unistd.h>

namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;
namespace telemetry = mturk::crowd::telemetry;
using crowd::errc;
using crowd::testing::fake_transport;
using crowd::testing::manual_clock;
using namespace std::chrono_literals;

namespace {

using fake_client::test_client;
using fake_client::completed;
using fake_client::config;
using fake_client::processing;

using fake_client::t1;

crowd::standard_retry exact_retry()
{
    return crowd::standard_retry({}, [] { return 0.5; });
}

/// An environment whose variables the test changes between calls (as Lambda does).
struct changing_environment {
    std::shared_ptr<std::map<std::string, std::string>> vars = std::make_shared<std::map<std::string, std::string>>();
    crowd::environment reader() const
    {
        return [vars = vars](std::string_view name) -> std::optional<std::string> {
            auto it = vars->find(std::string(name));
            return it == vars->end() ? std::nullopt : std::optional<std::string>(it->second);
        };
    }
};

}  // namespace

TEST_CASE("the call hooks see each whole call once: duration, attempts, polls, outcome and creation", "[client][hooks]")
{
    fake_transport fake;
    fake.respond(503, "")
        .fail(make_error_code(boost::system::errc::connection_reset), crowd::request_progress::sent_no_answer)
        .respond(201, processing);
    manual_clock clock;
    std::vector<std::string> seen;
    auto cfg = config();
    cfg.hooks.on_call_started = [&](crowd::call_started const& s) {
        seen.push_back("start " + std::string(s.id.rpc_method) + " " + std::string(s.id.function) + "/" +
                       std::string(s.id.task) + " id " + std::to_string(s.id.call_id.size()));
    };
    cfg.hooks.on_call_finished = [&](crowd::call_finished const& e) {
        std::string line = "end " + std::string(e.id.operation) + " " + std::to_string(e.duration.count()) + " ms " +
                           std::to_string(e.attempts) + " attempts " + std::to_string(e.polls) + " polls ";
        line += e.failure ? "failed " + std::string(crowd::errc_name(static_cast<errc>(e.failure->code().value())))
                          : std::string("ok");
        if (e.creation)
            line += " " + std::string(crowd::to_string(*e.creation));
        seen.push_back(line);
    };
    cfg.hooks.before_attempt = [&](crowd::attempt_started const&) { clock.advance(10ms); };
    auto client = test_client::make(std::move(cfg), fake, clock, exact_retry()).value();

    // Three attempts: 10 ms each on the clock, with back-offs of 25 and 50 ms between.
    REQUIRE(client.create<fn::sentiment_analysis>(t1, {.text = "hi"}));
    // A wait of three polls (processing, processing, completed): pauses of 500 and 1000 ms.
    fake.respond(200, processing).respond(200, processing).respond(200, completed);
    REQUIRE(client.wait<fn::sentiment_analysis>(t1, {.first_delay = 1s}));
    // A refusal from the service, and an input refused before anything is sent.
    fake.respond(404, R"({"message":"no such task"})");
    REQUIRE_FALSE(client.get<fn::sentiment_analysis>(t1));
    REQUIRE_FALSE(client.create<fn::sentiment_analysis>(t1, {.text = ""}));

    // A 201 is "created" even after attempts that may have been acted on: only a 200 is uncertain.
    std::vector<std::string> const expected{
        "start PutTask sentiment-analysis/t1 id 36",
        "end create 105 ms 3 attempts 0 polls ok created",
        "start WaitForTask sentiment-analysis/t1 id 36",
        "end wait 1530 ms 3 attempts 3 polls ok",
        "start GetTask sentiment-analysis/t1 id 36",
        "end get 10 ms 1 attempts 0 polls failed task_not_found",
        "start PutTask sentiment-analysis/t1 id 36",
        "end create 0 ms 0 attempts 0 polls failed invalid_input",
    };
    CHECK(seen == expected);
}

TEST_CASE("a hook before signing adds headers that are signed and sent on every attempt", "[client][hooks]")
{
    fake_transport fake;
    fake.respond(503, "").respond(200, completed);
    auto cfg = config();
    unsigned calls = 0;
    cfg.hooks.before_signing = [&](crowd::request_to_sign const& r) {
        ++calls;
        r.fields.set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333" + std::to_string(r.id.attempt) +
                                        "-01");
    };
    auto client = test_client::make(std::move(cfg), fake, manual_clock{}, exact_retry()).value();
    REQUIRE(client.get<fn::sentiment_analysis>(t1));
    CHECK(calls == 2);
    REQUIRE(fake.requests().size() == 2);
    for (std::size_t i = 0; i != 2; ++i) {
        auto const& r = fake.requests()[i];
        CHECK(r.fields.find("traceparent") ==
              "00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333" + std::to_string(i + 1) + "-01");
        CHECK(r.fields.find("Authorization")->find("traceparent") != std::string_view::npos);  // signed
    }
}

TEST_CASE("on Lambda the trace id is read for each request and never replaces the caller's", "[client][settings]")
{
    changing_environment env;
    fake_transport fake;
    for (int i = 0; i != 5; ++i)
        fake.respond(200, completed);
    auto cfg = config();
    cfg.env = env.reader();
    bool caller_sets = false;
    cfg.hooks.before_signing = [&](crowd::request_to_sign const& r) {
        if (caller_sets)
            r.fields.set("X-Amzn-Trace-Id", "Root=1-00000000-caller");
    };
    auto client = test_client::make(std::move(cfg), fake, manual_clock{}, exact_retry()).value();

    // Not on Lambda: _X_AMZN_TRACE_ID alone is not sent (botocore's and the JS SDK's rule).
    (*env.vars)["_X_AMZN_TRACE_ID"] = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1";
    REQUIRE(client.get<fn::sentiment_analysis>(t1));
    CHECK_FALSE(fake.requests().at(0).fields.contains("X-Amzn-Trace-Id"));
    // On Lambda: each invocation's trace id, read when the request is made.
    (*env.vars)["AWS_LAMBDA_FUNCTION_NAME"] = "reviews";
    REQUIRE(client.get<fn::sentiment_analysis>(t1));
    CHECK(fake.requests().at(1).fields.find("X-Amzn-Trace-Id") == "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
    (*env.vars)["_X_AMZN_TRACE_ID"] = "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=0";
    REQUIRE(client.get<fn::sentiment_analysis>(t1));
    CHECK(fake.requests().at(2).fields.find("X-Amzn-Trace-Id") ==
          "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=0");
    // What a header cannot carry is percent-encoded, as botocore does.
    (*env.vars)["_X_AMZN_TRACE_ID"] = "Root=1-2 3\n";
    REQUIRE(client.get<fn::sentiment_analysis>(t1));
    CHECK(fake.requests().at(3).fields.find("X-Amzn-Trace-Id") == "Root=1-2%203%0A");
    // A header the caller set stays.
    caller_sets = true;
    REQUIRE(client.get<fn::sentiment_analysis>(t1));
    CHECK(fake.requests().at(4).fields.find("X-Amzn-Trace-Id") == "Root=1-00000000-caller");
}

TEST_CASE("the logger: off by default, levels and modes, JSON lines, and no secret in any line", "[client][log]")
{
    std::mutex lock;
    std::vector<std::string> lines;
    auto collect = [&](crowd::log_format format) {
        return [&, format](crowd::log_record const& r) {
            std::lock_guard<std::mutex> hold(lock);
            lines.push_back(crowd::format_log_line(r, format));
        };
    };
    // What every section logs: a create answered 429, then 201, signed with a secret key
    // and a session token that no line may show.
    auto create_logged = [](crowd::client_logger logger) {
        fake_transport fake;
        fake.respond(429, R"({"message":"Rate exceeded"})", {}).respond(201, processing);
        auto cfg = config();
        cfg.credentials = [] {
            return crowd::sigv4::credentials::make("AKIDLOGGINGTEST9", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY",
                                                   "SESSIONTOKENSECRETVALUE");
        };
        cfg.logger = std::move(logger);
        auto client = test_client::make(std::move(cfg), fake, manual_clock{}, exact_retry()).value();
        return client.create<fn::sentiment_analysis>(t1, {.text = "private words"}).has_value();
    };

    SECTION("off by default: a sink alone logs nothing")
    {
        REQUIRE(create_logged({.sink = collect(crowd::log_format::text)}));
        CHECK(lines.empty());
    }
    SECTION("info: the endpoint, the retry and the call; no request lines")
    {
        REQUIRE(create_logged({.level = crowd::log_level::info, .sink = collect(crowd::log_format::text)}));
        REQUIRE(lines.size() == 3);
        CHECK(lines[0].find(" INFO endpoint endpoint https://crowd.us-east-1.amazonaws.com (from default)") !=
              std::string::npos);
        CHECK(lines[1].find(" INFO retry [") != std::string::npos);
        CHECK(lines[1].find(" #1] retrying in ") != std::string::npos);
        CHECK(lines[2].find(" INFO call [") != std::string::npos);
        CHECK(lines[2].find("PutTask sentiment-analysis/t1 succeeded (") != std::string::npos);
        CHECK(lines[2].ends_with(" s, 2 attempts, created)"));
    }
    SECTION("trace, every mode, JSON: one object per line with the fields, and nothing secret")
    {
        REQUIRE(create_logged({.level = crowd::log_level::trace, .modes = crowd::log_mode::all,
                               .sink = collect(crowd::log_format::json)}));
        std::map<std::string, int> components;
        for (auto const& line : lines) {
            INFO(line);
            auto const doc = boost::json::parse(line).as_object();  // throws (fails) unless JSON
            CHECK(doc.at("time").as_string().size() == 24);  // 2026-12-05T22:00:00.123Z
            CHECK(doc.contains("level"));
            CHECK(doc.contains("message"));
            ++components[std::string(doc.at("component").as_string())];
            if (doc.at("component") == "request" || doc.at("component") == "signing") {
                CHECK(doc.at("invocation_id").as_string().size() == 36);
                CHECK(doc.at("attempt").as_int64() >= 1);
            }
            CHECK(line.find("SECRETKEY") == std::string::npos);
            CHECK(line.find("SESSIONTOKENSECRET") == std::string::npos);
            CHECK(line.find("Signature=") == line.find("Signature=<redacted>"));
        }
        CHECK(components["request"] == 2);
        CHECK(components["response"] == 2);
        CHECK(components["signing"] == 2);
        CHECK(components["retry"] == 1);
        CHECK(components["call"] == 2);
        CHECK(components["endpoint"] == 1);
        // Bodies only with their modes: here both are on.
        bool body_seen = false;
        for (auto const& line : lines)
            body_seen = body_seen || line.find("private words") != std::string::npos;
        CHECK(body_seen);
    }
    SECTION("warn: only what went wrong, the policy giving up among it")
    {
        fake_transport fake;
        fake.respond(400, R"({"message":"Invalid input"})");
        auto cfg = config();
        cfg.logger = {.level = crowd::log_level::warn, .sink = collect(crowd::log_format::text)};
        auto client = test_client::make(std::move(cfg), fake, manual_clock{}, exact_retry()).value();
        REQUIRE_FALSE(client.get<fn::sentiment_analysis>(t1));
        REQUIRE(lines.size() == 2);
        CHECK(lines[0].find(" WARN retry [") != std::string::npos);
        CHECK(lines[0].find("] not retrying (") != std::string::npos);
        CHECK(lines[1].find(" WARN call [") != std::string::npos);
        CHECK(lines[1].find("GetTask sentiment-analysis/t1 failed: ") != std::string::npos);
    }
    SECTION("the default modes leave the bodies out")
    {
        REQUIRE(create_logged({.level = crowd::log_level::trace, .sink = collect(crowd::log_format::text)}));
        CHECK(lines.size() > 6);
        for (auto const& line : lines) {
            CHECK(line.find("private words") == std::string::npos);
            CHECK(line.find("SESSIONTOKENSECRET") == std::string::npos);
        }
    }
}

TEST_CASE("metrics: the SDKs' names, attributes and values on a scripted sequence of attempts", "[client][metrics]")
{
    struct point {
        std::string name;
        telemetry::instrument kind;
        double value;
        std::map<std::string, std::string> attributes;
    };
    std::vector<point> points;
    auto cfg = config();
    manual_clock clock;
    cfg.hooks.before_attempt = [&](crowd::attempt_started const&) { clock.advance(40ms); };
    std::chrono::milliseconds backoffs{0};
    cfg.hooks.on_retry_decision = [&](crowd::retry_decided const& d) { backoffs += d.delay; };
    auto keep = [&](telemetry::measurement const& m) {
        point p{std::string(m.name), m.kind, m.value, {}};
        for (auto const& a : m.attributes)
            p.attributes[std::string(a.key)] = std::string(a.value);
        points.push_back(std::move(p));
    };
    cfg.hooks = telemetry::metric_hooks(keep, cfg.hooks);
    fake_transport fake;
    fake.respond(429, R"({"message":"Rate exceeded"})").respond(500, "").respond(201, processing);
    auto client = test_client::make(std::move(cfg), fake, clock, exact_retry()).value();
    REQUIRE(client.create<fn::sentiment_analysis>(t1, {.text = "hi"}));

    auto named = [&](std::string_view name) {
        std::vector<point> out;
        for (auto const& p : points)
            if (p.name == name)
                out.push_back(p);
        return out;
    };
    auto const attempts = named("smithy.client.call.attempts");
    REQUIRE(attempts.size() == 3);
    for (auto const& a : attempts) {
        CHECK(a.kind == telemetry::instrument::counter);
        CHECK(a.value == 1);
        CHECK(a.attributes.at("rpc.service") == "crowd");
        CHECK(a.attributes.at("rpc.method") == "PutTask");
    }
    auto const attempt_durations = named("smithy.client.call.attempt_duration");
    REQUIRE(attempt_durations.size() == 3);
    CHECK(attempt_durations[0].value == Approx(0.040));
    auto const errors = named("smithy.client.call.errors");
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].attributes.at("error.type") == "throttled");
    CHECK(errors[1].attributes.at("error.type") == "service_unavailable");
    auto const calls = named("smithy.client.call.duration");
    REQUIRE(calls.size() == 1);
    CHECK(calls[0].kind == telemetry::instrument::histogram);
    // 3 attempts of 40 ms, and the back-offs between them, on the client's clock.
    CHECK(backoffs.count() > 0);
    CHECK(calls[0].value == Approx(0.120 + static_cast<double>(backoffs.count()) / 1000));
    CHECK(calls[0].attributes.at("rpc.method") == "PutTask");

    // The pool's gauges, from its counters.
    points.clear();
    telemetry::record_pool_gauges({.connections_opened = 7, .in_use = 3, .idle = 2, .waiting = 4}, 50, keep);
    REQUIRE(points.size() == 4);
    CHECK(points[0].name == "smithy.client.http.connections.limit");
    CHECK(points[0].value == 50);
    CHECK(points[1].attributes.at("state") == "idle");
    CHECK(points[1].value == 2);
    CHECK(points[2].attributes.at("state") == "acquired");
    CHECK(points[2].value == 3);
    CHECK(points[3].name == "smithy.client.http.requests.usage");
    CHECK(points[3].value == 4);
}

TEST_CASE("traces: a span per call, a child per attempt, and traceparent on each attempt", "[client][traces]")
{
    struct span {
        std::string name, trace_id, span_id, parent;
        bool failed;
        std::map<std::string, std::string> attributes;
    };
    std::vector<span> spans;
    auto cfg = config();
    cfg.hooks = telemetry::trace_hooks(
        [&](telemetry::span_record const& s) {
            span out{std::string(s.name), std::string(s.trace_id), std::string(s.span_id),
                     std::string(s.parent_span_id), s.failed, {}};
            for (auto const& a : s.attributes)
                out.attributes[std::string(a.key)] = std::string(a.value);
            spans.push_back(std::move(out));
        },
        {}, {.parent = [] { return telemetry::trace_context{"4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"}; }});
    fake_transport fake;
    fake.respond(503, "").respond(200, completed, [] {
        crowd::http_fields f;
        f.add("x-amzn-RequestId", "req-2");
        return f;
    }());
    auto client = test_client::make(std::move(cfg), fake, manual_clock{}, exact_retry()).value();
    REQUIRE(client.get<fn::sentiment_analysis>(t1));

    REQUIRE(spans.size() == 3);  // two attempts, then the call
    auto const& call = spans[2];
    CHECK(call.name == "crowd.GetTask");
    CHECK(call.trace_id == "4bf92f3577b34da6a3ce929d0e0e4736");  // the caller's trace
    CHECK(call.parent == "00f067aa0ba902b7");
    CHECK(call.span_id.size() == 16);
    CHECK_FALSE(call.failed);
    CHECK(call.attributes.at("rpc.method") == "GetTask");
    CHECK(call.attributes.at("aws.attempts") == "2");
    for (std::size_t i = 0; i != 2; ++i) {
        auto const& attempt = spans[i];
        CHECK(attempt.name == "crowd.GetTask attempt");
        CHECK(attempt.trace_id == call.trace_id);
        CHECK(attempt.parent == call.span_id);
        CHECK(attempt.attributes.at("aws.attempt") == std::to_string(i + 1));
        // Each attempt went out with its own context.
        CHECK(fake.requests().at(i).fields.find("traceparent") ==
              "00-" + call.trace_id + "-" + attempt.span_id + "-01");
    }
    CHECK(spans[0].failed);
    CHECK(spans[0].attributes.at("http.response.status_code") == "503");
    CHECK(spans[1].attributes.at("aws.request_id") == "req-2");
}

TEST_CASE("FIPS and dual-stack: the crowd service publishes neither, so either is refused by name", "[client][settings]")
{
    fake_transport fake;
    auto fips = test_client::make(config({{"AWS_USE_FIPS_ENDPOINT", "true"}}), fake);
    REQUIRE_FALSE(fips);
    CHECK(fips.error() == errc::invalid_configuration);
    CHECK(fips.error().detail().starts_with("env AWS_USE_FIPS_ENDPOINT: FIPS is enabled, but the crowd service "
                                            "publishes no FIPS endpoint"));
    auto beside = test_client::make(
        config({{"AWS_USE_FIPS_ENDPOINT", "TRUE"}, {"AWS_ENDPOINT_URL_CROWD", "https://crowd.local"}}), fake);
    REQUIRE_FALSE(beside);
    CHECK(beside.error().detail() == "env AWS_USE_FIPS_ENDPOINT: FIPS and custom endpoint are not supported (the "
                                     "endpoint https://crowd.local comes from env AWS_ENDPOINT_URL_CROWD)");
    auto const dir = std::filesystem::temp_directory_path() / ("mturk-crowd-fips-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "config") << "[default]\nregion = us-east-1\nuse_dualstack_endpoint = true\n";
    auto dual = test_client::make(config({{"AWS_CONFIG_FILE", (dir / "config").string()}}), fake);
    REQUIRE_FALSE(dual);
    CHECK(dual.error().detail().starts_with((dir / "config").string() +
                                            " line 3: Dualstack is enabled, but the crowd service publishes no "
                                            "dual-stack endpoint"));
    auto word = test_client::make(config({{"AWS_USE_DUALSTACK_ENDPOINT", "yes"}}), fake);
    REQUIRE_FALSE(word);
    CHECK(word.error().detail() == "env AWS_USE_DUALSTACK_ENDPOINT: \"yes\" is not true or false");
    std::filesystem::remove_all(dir);
    // False is the default, and harmless; resolve_settings shows both.
    auto const settings = crowd::resolve_settings(config({{"AWS_USE_FIPS_ENDPOINT", "false"}})).value();
    CHECK(settings.use_fips_endpoint.value == "false");
    CHECK(settings.use_fips_endpoint.origin.text() == "env AWS_USE_FIPS_ENDPOINT");
    CHECK(settings.use_dualstack_endpoint.origin.text() == "default");
}
