// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The C++ of README.md and docs/ that is not a whole example: each region between
// "//[name" and "//]" is what a page shows (tests/docs/check_snippets.py checks that the
// pages say exactly this), and this file is compiled and run with the core tests, so no
// snippet can drift from the library.
#include <mturk/crowd.hpp>
#include <mturk/crowd/client.hpp>
#include <mturk/crowd/sigv4/signer.hpp>
#include <mturk/crowd/testing/emulator.hpp>
#include <mturk/crowd/testing/manual_clock.hpp>

#include <catch.hpp>

#include <boost/describe/class.hpp>
#include <boost/json/parse.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;

namespace {

struct review {
    std::string text;
};
BOOST_DESCRIBE_STRUCT(review, (), (text))
struct verdict {
    std::string sentiment;
};
BOOST_DESCRIBE_STRUCT(verdict, (), (sentiment))

void names(std::string_view user_text)
{
    //[names
    constexpr crowd::task_name name{"order-42.review_v1"};   // 1..64 of [A-Za-z0-9._-], not . or ..
    constexpr crowd::account_id account{"123456789012"};     // exactly 12 digits
    // crowd::task_name bad{"order 42"};   // does not compile:
    //   call to non-'constexpr' function '...task_name_literal_has_a_character_outside_A_to_Z_a_to_z_0_to_9_dot_underscore_hyphen()'

    boost::system::result<crowd::task_name> parsed = crowd::task_name::parse(user_text);
    if (!parsed && parsed.error() == crowd::errc::task_name_too_long) { /* ... */ }
    std::string_view text = name.view();
    //]
    CHECK(text == "order-42.review_v1");
    CHECK(account.view() == "123456789012");
}

void descriptor()
{
    constexpr crowd::task_name name{"order-42.review_v1"};
    constexpr crowd::account_id account{"123456789012"};
    //[descriptor
    using sentiment = crowd::function<"sentiment-analysis", review, verdict>;
    static_assert(sentiment::test::name == "sentiment-analysis-test");   // the free mock twin
    std::string path = crowd::task_path<sentiment::test>(account, name);
    // "/123456789012/functions/sentiment-analysis-test/tasks/order-42.review_v1"
    std::string body = crowd::put_body<sentiment>({.text = "..."});
    // crowd::put_body<image_contains>(review{...});   // does not compile: not image_contains's input
    //]
    CHECK(path == "/123456789012/functions/sentiment-analysis-test/tasks/order-42.review_v1");
    CHECK(body == R"({"input":{"text":"..."}})");
}

void json_mapping(boost::json::value const& json)
{
    using category = fn::text_category;
    //[json_mapping
    crowd::result<category> c = crowd::from_json<category>(json);
    // unknown keys are skipped; an absent or null std::optional member stays empty;
    // errors name the path: "categories[0].positiveExamples[1].text: expected a string, got a number"
    boost::json::value v = crowd::to_json(c.value());   // empty optionals are omitted, not null
    //]
    CHECK(v.at("label") == "Fit");
}

void task_document(std::string_view body_text)
{
    using sentiment = crowd::function<"sentiment-analysis", review, verdict>;
    //[task
    crowd::result<crowd::task<sentiment>> t = crowd::parse_task<sentiment>(body_text);
    // or crowd::task_from_json<sentiment>(boost::json::value)
    crowd::task_name const& name = t->name;
    sentiment::input_type const& input = t->input;
    crowd::task_state state = t->state;      // processing | completed | failed
    auto const& problem = t->problem;        // std::optional<problem_details>{code, message}: set exactly when failed
    auto const& result = t->result;          // std::optional<sentiment::result_type>: set exactly when completed
    boost::json::object const& raw = t->raw;  // the whole document as received
    //]
    CHECK(name.view() == "review-42");
    CHECK(input.text == "hi");
    CHECK(state == crowd::task_state::completed);
    CHECK(!problem);
    CHECK(result->sentiment == "positive");
    CHECK(raw.contains("result"));
}

void emulator_in_process()
{
    constexpr crowd::account_id account{"123456789012"};
    //[emulator
    auto clock = crowd::testing::manual_clock{};
    auto service = std::make_shared<crowd::testing::emulator>(
        crowd::testing::emulator_options{.complete_after = std::chrono::seconds(30)}, [clock] { return clock.now(); });
    auto client = crowd::basic_client<crowd::testing::emulator_transport, crowd::testing::manual_clock>::make(
        {.account = account, .credentials = [] { return crowd::sigv4::credentials::make("AKIDCROWDEMULATOR", "crowd-emulator-secret"); }},
        crowd::testing::emulator_transport(service), clock).value();
    //]
    constexpr crowd::task_name name{"snippet"};
    REQUIRE(client.create<fn::sentiment_analysis>(name, {.text = "x"}));
    CHECK(client.wait<fn::sentiment_analysis>(name)->state == crowd::task_state::completed);
}

void hooks()
{
    constexpr crowd::account_id account{"123456789012"};
    auto clock = crowd::testing::manual_clock{};
    auto service = std::make_shared<crowd::testing::emulator>(crowd::testing::emulator_options{},
                                                              [clock] { return clock.now(); });
    std::vector<std::string> lines;
    //[hooks
    crowd::client_config config{.account = account};
    config.hooks.after_attempt = [&lines](crowd::attempt_finished const& a) {
        lines.push_back(std::string(a.id.operation) + " " + std::string(a.id.task) + " attempt " +
                        std::to_string(a.id.attempt) + ": " +
                        (a.response ? std::to_string(a.response->status) : a.failure->what()) + " in " +
                        std::to_string(a.took.count()) + " ms, request id " +
                        std::string(a.response ? a.response->request_id().value_or("-") : "-"));
    };
    config.hooks.on_retry_decision = [](crowd::retry_decided const& d) {
        if (d.retry) { /* count a retry in your metrics, d.reason says why */ }
    };
    //]
    config.credentials = [] { return crowd::sigv4::credentials::make("AKIDCROWDEMULATOR", "crowd-emulator-secret"); };
    auto client = crowd::basic_client<crowd::testing::emulator_transport, crowd::testing::manual_clock>::make(
                      std::move(config), crowd::testing::emulator_transport(service), clock)
                      .value();
    constexpr crowd::task_name name{"hooked"};
    REQUIRE(client.create<fn::sentiment_analysis>(name, {.text = "x"}));
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].starts_with("create hooked attempt 1: 201 in 0 ms, request id "));
}

void observability()
{
    namespace telemetry = mturk::crowd::telemetry;
    constexpr crowd::account_id account{"123456789012"};
    auto clock = crowd::testing::manual_clock{};
    auto service = std::make_shared<crowd::testing::emulator>(crowd::testing::emulator_options{},
                                                              [clock] { return clock.now(); });
    std::vector<std::string> names;
    //[logger
    crowd::client_config config{.account = account};
    config.logger = {.level = crowd::log_level::info,  // calls, retries, credentials, the endpoint
                     .sink = crowd::log_to_stream(stderr, crowd::log_format::json)};
    //]
    config.logger.level = crowd::log_level::off;  // the test's output stays quiet
    //[metrics
    config.hooks = telemetry::metric_hooks(
        [&names](telemetry::measurement const& m) {
            // m.name ("smithy.client.call.duration"), m.kind, m.unit, m.value, m.attributes
            names.emplace_back(m.name);
        },
        config.hooks);  // hooks of one's own still run
    //]
    //[traces
    config.hooks = telemetry::trace_hooks(
        [](telemetry::span_record const& span) {
            // span.name ("crowd.PutTask"), trace_id, span_id, parent_span_id, start, end, attributes
            (void)span;
        },
        config.hooks);
    //]
    config.credentials = [] { return crowd::sigv4::credentials::make("AKIDCROWDEMULATOR", "crowd-emulator-secret"); };
    auto client = crowd::basic_client<crowd::testing::emulator_transport, crowd::testing::manual_clock>::make(
                      std::move(config), crowd::testing::emulator_transport(service), clock)
                      .value();
    constexpr crowd::task_name name{"observed"};
    REQUIRE(client.create<fn::sentiment_analysis>(name, {.text = "x"}));
    CHECK(names == std::vector<std::string>{"smithy.client.call.attempts", "smithy.client.call.attempt_duration",
                                            "smithy.client.call.duration"});
}

void signing(crowd::sigv4::credentials const& credentials, mturk::crowd::http_request request, std::string_view body_hash)
{
    //[signer
    namespace sigv4 = mturk::crowd::sigv4;
    sigv4::signer signer;                               // one per thread or client
    sigv4::signing_params params{.region = "us-east-1", .service = "crowd",
                                 .time = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())};
    params.payload_hash = body_hash;                    // optional: a retry does not hash its body again
    auto ok = signer.sign(request, credentials, params);  // sets X-Amz-Date, X-Amz-Security-Token, Authorization
    //]
    CHECK(ok);
    CHECK(request.fields.contains("Authorization"));
}

bool decide(crowd::result<crowd::task<fn::sentiment_analysis>> const& r)
{
    //[condition
    if (r.error() == crowd::condition::retryable) { /* back off and try again */ }
    //]
    return r.error() == crowd::condition::retryable;
}

}  // namespace

TEST_CASE("the snippets of README and docs compile and do what their pages say", "[docs]")
{
    names("order-43");
    descriptor();
    json_mapping(boost::json::parse(R"({"label":"Fit","description":"size"})"));
    task_document(R"({"taskName":"review-42","input":{"text":"hi"},"state":"completed","result":{"sentiment":"positive"}})");
    emulator_in_process();
    hooks();
    observability();
    crowd::http_request request;
    request.method = crowd::http_method::get;
    request.target = "/123456789012/functions/sentiment-analysis/tasks/t1";
    request.fields.add("Host", "crowd.us-east-1.amazonaws.com");
    signing(crowd::sigv4::credentials::make("AKIDEXAMPLE", "secret").value(), request, {});
    CHECK(decide(crowd::error(crowd::errc::throttled)));
}
