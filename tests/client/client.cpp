// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The client driven through the fake transport and the manual clock: every status of the
// mapping, retries with exact delays and quota, Retry-After, wait(), clock skew.
#include <mturk/crowd/client.hpp>

#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/testing/fake_transport.hpp>
#include <mturk/crowd/testing/manual_clock.hpp>

#include "fake_client.hpp"
#include "test_environment.hpp"

#include <catch.hpp>

#include <boost/json/parse.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <vector>

#include <unistd.h>
#include <string>

namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;
using crowd::errc;
using crowd::testing::fake_transport;
using crowd::testing::manual_clock;
using namespace std::chrono_literals;

namespace {

using fake_client::test_client;

using fake_client::completed;
using fake_client::config;
using fake_client::processing;

/// A client whose retry jitter is the given constant, so every delay is exact.
test_client make_client(fake_transport fake, manual_clock clock = manual_clock{}, double jitter = 0.5,
                        crowd::standard_retry::options retry = {})
{
    return test_client::make(config(), std::move(fake), std::move(clock),
                             crowd::standard_retry(retry, [jitter] { return jitter; }))
        .value();
}

crowd::http_fields headers(std::initializer_list<std::pair<char const*, char const*>> list)
{
    crowd::http_fields out;
    for (auto const& [k, v] : list)
        out.add(k, v);
    return out;
}

using fake_client::t1;

}  // namespace

TEST_CASE("create: 201 is created, 200 is the same task again", "[client]")
{
    fake_transport fake;
    fake.respond(201, processing).respond(200, processing);
    auto client = make_client(fake);
    auto const first = client.create<fn::sentiment_analysis>(t1, {.text = "hi"});
    REQUIRE(first);
    CHECK(first->creation == crowd::creation::created);
    CHECK(first->task.state == crowd::task_state::processing);
    auto const again = client.create<fn::sentiment_analysis>(t1, {.text = "hi"});
    REQUIRE(again);
    CHECK(again->creation == crowd::creation::already_existed);

    auto const& put = fake.requests().at(0);
    CHECK(put.method == crowd::http_method::put);
    CHECK(put.target == "/123456789012/functions/sentiment-analysis/tasks/t1");
    CHECK(put.body == R"({"input":{"text":"hi"}})");
    CHECK(put.fields.find("Host") == "crowd.us-east-1.amazonaws.com");
    CHECK(put.fields.find("Content-Type") == "application/json");
    CHECK(put.fields.find("Authorization")->starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/crowd/"));
    CHECK(put.fields.find("User-Agent").value_or("").starts_with("mturk-crowd-cpp/0.1.0 ua/2.1 api/crowd#0.1.0 os/"));
}

TEST_CASE("every status of the mapping becomes its errc, with status, message and request id", "[client]")
{
    struct row {
        crowd::http_method method;
        unsigned status;
        char const* body;
        errc expected;
    };
    row const rows[] = {
        {crowd::http_method::put, 400, R"({"message":"Invalid input: text is required"})", errc::bad_request},
        {crowd::http_method::put, 400, R"({"message":"Task name already in use with a different input"})", errc::task_conflict},
        {crowd::http_method::put, 404, R"({"message":"Not Found"})", errc::unknown_function},
        {crowd::http_method::get, 404, R"({"message":"Not Found"})", errc::task_not_found},
        {crowd::http_method::delete_, 404, R"({"message":"Not Found"})", errc::task_not_found},
        {crowd::http_method::delete_, 409, R"({"message":"Task is still processing"})", errc::task_still_processing},
        {crowd::http_method::delete_, 400, R"({"message":"Cannot delete a task that is processing"})",
         errc::task_still_processing},
        {crowd::http_method::get, 403, R"({"message":"The security token included in the request is invalid."})",
         errc::access_denied},
        {crowd::http_method::get, 418, "I'm a teapot", errc::unexpected_status},
    };
    for (auto const& r : rows) {
        INFO(crowd::to_string(r.method) << " " << r.status << " " << r.body);
        fake_transport fake;
        fake.respond(r.status, r.body, headers({{"x-amzn-RequestId", "req-42"}}));
        auto client = make_client(fake);
        crowd::error e;
        if (r.method == crowd::http_method::put)
            e = client.create<fn::sentiment_analysis>(t1, {.text = "hi"}).error();
        else if (r.method == crowd::http_method::get)
            e = client.get<fn::sentiment_analysis>(t1).error();
        else
            e = client.remove<fn::sentiment_analysis>(t1).error();
        CHECK(e == r.expected);
        CHECK(e.http_status() == r.status);
        CHECK(e.request_id() == "req-42");
        CHECK(!e.detail().empty());
        CHECK(fake.requests().size() == 1);  // none of these is retried
    }
    fake_transport deleted;
    deleted.respond(204);
    auto client = make_client(deleted);
    CHECK(client.remove<fn::sentiment_analysis>(t1));
    CHECK(deleted.requests().at(0).method == crowd::http_method::delete_);
}

TEST_CASE("throttling and transient errors are retried with the standard delays and quota", "[client]")
{
    fake_transport fake;
    manual_clock clock;
    fake.respond(429).respond(503).respond(201, processing);
    auto client = make_client(fake, clock, 0.5);
    REQUIRE(client.create<fn::sentiment_analysis>(t1, {.text = "hi"}));
    // 0.5 * min(1 s * 2^0, 20 s) after the 429; 0.5 * min(50 ms * 2^1, 20 s) after the 503.
    CHECK(clock.waits() == std::vector<std::chrono::milliseconds>{500ms, 50ms});
    // 500 - 5 (throttling) - 14 (transient) + 14 (the retried request succeeded).
    CHECK(client.retry_policy().quota_left() == 495);

    // Three attempts, then the last error.
    fake_transport failing;
    failing.respond(500).respond(502).respond(504, R"({"message":"Gateway Timeout"})");
    manual_clock clock2;
    auto gives_up = make_client(failing, clock2, 1.0);
    auto const e = gives_up.get<fn::sentiment_analysis>(t1);
    REQUIRE(e.has_error());
    CHECK(e.error() == errc::service_unavailable);
    CHECK(e.error().http_status() == 504);
    CHECK(e.error().detail() == "Gateway Timeout");
    CHECK(failing.requests().size() == 3);
    CHECK(clock2.waits() == std::vector<std::chrono::milliseconds>{50ms, 100ms});
    CHECK(gives_up.retry_policy().quota_left() == 500 - 28);

    // A first-try success refunds one token, never past the maximum.
    fake_transport ok;
    ok.respond(200, completed);
    auto refunded = make_client(ok);
    REQUIRE(refunded.get<fn::sentiment_analysis>(t1));
    CHECK(refunded.retry_policy().quota_left() == 500);
}

TEST_CASE("connection errors are transient, a 400 and a 501 are never retried", "[client]")
{
    fake_transport fake;
    fake.fail(boost::system::errc::make_error_code(boost::system::errc::connection_reset))
        .fail(boost::system::errc::make_error_code(boost::system::errc::timed_out))
        .respond(200, completed);
    manual_clock clock;
    auto client = make_client(fake, clock, 0.5);
    REQUIRE(client.get<fn::sentiment_analysis>(t1));
    CHECK(clock.waits() == std::vector<std::chrono::milliseconds>{25ms, 50ms});

    for (unsigned status : {400u, 501u, 403u}) {
        fake_transport once;
        once.respond(status).respond(200, completed);
        auto c = make_client(once);
        CHECK(c.get<fn::sentiment_analysis>(t1).has_error());
        CHECK(once.requests().size() == 1);
        CHECK(once.unused() == 1);
    }
}

TEST_CASE("the retry quota runs out", "[client]")
{
    fake_transport fake;
    for (int i = 0; i != 10; ++i)
        fake.respond(503);
    manual_clock clock;
    auto client = make_client(fake, clock, 0.5, {.max_attempts = 10, .quota = 30});
    auto const e = client.get<fn::sentiment_analysis>(t1);
    CHECK(e.error() == errc::service_unavailable);
    CHECK(fake.requests().size() == 3);  // 30 tokens pay for two retries of 14
    CHECK(client.retry_policy().quota_left() == 2);
}

TEST_CASE("Retry-After and x-amz-retry-after are honoured within bounds", "[client]")
{
    struct row {
        crowd::http_fields fields;
        std::chrono::milliseconds wait;
    };
    row const rows[] = {
        {headers({{"x-amz-retry-after", "1234"}}), 1234ms},
        {headers({{"Retry-After", "3"}}), 3000ms},
        {headers({{"Retry-After", "3"}, {"x-amz-retry-after", "250"}}), 250ms},
        {headers({{"Retry-After", "120"}}), 20000ms},  // bounded to 20 s
        {headers({{"Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"}}), 500ms},  // a date: ignored
    };
    for (auto const& r : rows) {
        fake_transport fake;
        manual_clock clock;
        fake.respond(429, "", r.fields).respond(200, completed);
        auto client = make_client(fake, clock, 0.5);
        REQUIRE(client.get<fn::sentiment_analysis>(t1));
        CHECK(clock.waits() == std::vector<std::chrono::milliseconds>{r.wait});
    }
}

TEST_CASE("every attempt is signed afresh", "[client]")
{
    fake_transport fake;
    manual_clock clock;
    fake.respond(429, "", headers({{"Retry-After", "2"}})).respond(200, completed);
    auto client = make_client(fake, clock);
    REQUIRE(client.get<fn::sentiment_analysis>(t1));
    auto const& first = fake.requests().at(0);
    auto const& second = fake.requests().at(1);
    CHECK(first.fields.find("X-Amz-Date") == "20261128T000000Z");
    CHECK(second.fields.find("X-Amz-Date") == "20261128T000002Z");
    CHECK(first.fields.find("Authorization") != second.fields.find("Authorization"));
    CHECK(second.fields.size() == first.fields.size());
}

TEST_CASE("a refusal for clock skew teaches the offset and retries once", "[client]")
{
    fake_transport fake;
    manual_clock clock;
    auto const skewed = headers({{"Date", "Sat, 28 Nov 2026 00:10:00 GMT"}});  // 10 minutes ahead
    fake.respond(403, R"({"message":"Signature expired: 20261128T000000Z is now earlier than 20261128T000500Z"})", skewed)
        .respond(200, completed)
        .respond(200, completed);
    auto client = make_client(fake, clock);
    REQUIRE(client.get<fn::sentiment_analysis>(t1));
    CHECK(client.clock_offset() == 600000ms);
    CHECK(fake.requests().at(1).fields.find("X-Amz-Date") == "20261128T001000Z");
    CHECK(clock.waits().empty());  // no back-off for this retry
    REQUIRE(client.get<fn::sentiment_analysis>(t1));
    CHECK(fake.requests().at(2).fields.find("X-Amz-Date") == "20261128T001000Z");  // kept for later requests

    // Only once per request: a second skew refusal is the answer.
    fake_transport still_skewed;
    still_skewed.respond(403, R"({"message":"Signature expired"})", skewed)
        .respond(403, R"({"message":"Signature expired"})", skewed);
    auto c = make_client(still_skewed);
    CHECK(c.get<fn::sentiment_analysis>(t1).error() == errc::access_denied);
    CHECK(still_skewed.requests().size() == 2);

    // A Date that is not a date teaches nothing: the refusal is the answer.
    fake_transport bogus;
    bogus.respond(403, R"({"message":"Signature expired"})", headers({{"Date", "yesterday, around noon"}}));
    auto b = make_client(bogus);
    CHECK(b.get<fn::sentiment_analysis>(t1).error() == errc::access_denied);
    CHECK(b.clock_offset() == 0ms);
    CHECK(bogus.requests().size() == 1);
}

TEST_CASE("wait polls with a growing jittered delay until the task finishes or the deadline passes", "[client]")
{
    fake_transport fake;
    manual_clock clock;
    for (int i = 0; i != 5; ++i)
        fake.respond(200, processing);
    fake.respond(200, completed);
    auto client = make_client(fake, clock);  // wait jitter: config().random is 0, so each pause is half the delay
    std::vector<std::pair<std::chrono::milliseconds, crowd::task_state>> polls;
    auto const done = client.wait<fn::sentiment_analysis>(
        t1, {.first_delay = 1s, .max_delay = 4s, .timeout = 1h, .on_poll = [&](crowd::poll_report const& poll) {
                 polls.emplace_back(poll.elapsed, poll.state.value());
             }});
    REQUIRE(done);
    CHECK(done->state == crowd::task_state::completed);
    CHECK(done->result->sentiment == fn::sentiment::positive);
    CHECK(clock.waits() == std::vector<std::chrono::milliseconds>{500ms, 1000ms, 2000ms, 2000ms, 2000ms});
    // on_poll saw every poll, with the time since the wait began.
    using crowd::task_state;
    CHECK(polls == std::vector<std::pair<std::chrono::milliseconds, task_state>>{
                       {0ms, task_state::processing},     {500ms, task_state::processing},
                       {1500ms, task_state::processing},  {3500ms, task_state::processing},
                       {5500ms, task_state::processing},  {7500ms, task_state::completed}});

    fake_transport slow;
    slow.otherwise([](crowd::http_request const&) -> crowd::result<crowd::http_response> {
        return crowd::http_response{200, {}, processing};
    });
    manual_clock clock2;
    auto patient = make_client(slow, clock2);
    auto const late = patient.wait<fn::sentiment_analysis>(t1, {.first_delay = 10s, .max_delay = 60s, .timeout = 60s});
    REQUIRE(late.has_error());
    CHECK(late.error() == errc::wait_timed_out);
    CHECK(late.error().detail() == "task t1 still processing after 60 s");
    CHECK(late.error() == crowd::condition::timed_out);
    // 5 + 10 + 20 s, then the 25 s left, then the deadline.
    CHECK(clock2.waits() == std::vector<std::chrono::milliseconds>{5s, 10s, 20s, 25s});
    CHECK(slow.requests().size() == 5);

    // A failed task ends the wait too.
    fake_transport failed;
    failed.respond(200, R"({"taskName":"t1","input":{"text":"hi"},"state":"failed","problemDetails":{"code":"Expired","message":"No Worker"},"result":null})");
    auto f = make_client(failed);
    auto const ended = f.wait<fn::sentiment_analysis>(t1);
    REQUIRE(ended);
    CHECK(ended->problem->code == "Expired");
}

namespace counted {

/// A result type that counts how often it is read: a wait's last poll is read once.
struct result_type {
    std::string sentiment;
};
inline int reads = 0;
inline bool mturk_crowd_read_json(boost::json::value const& v, result_type& out, crowd::detail::json_failure& failure)
{
    ++reads;
    auto const* s = v.is_object() ? v.get_object().if_contains("sentiment") : nullptr;
    if (!s || !s->is_string()) {
        failure.code = errc::missing_field;
        return false;
    }
    out.sentiment = std::string(s->get_string());
    return true;
}
inline boost::json::value mturk_crowd_write_json(result_type const& r)
{
    return boost::json::object{{"sentiment", r.sentiment}};
}
struct function {
    static constexpr std::string_view name = fn::sentiment_analysis::name;
    using input_type = fn::sentiment_analysis::input_type;
    using result_type = counted::result_type;
};

}  // namespace counted

TEST_CASE("a wait reads its last poll's task once", "[client]")
{
    fake_transport fake;
    fake.respond(200, processing).respond(200, processing).respond(200, completed);
    auto client = make_client(fake);
    counted::reads = 0;
    auto const done = client.wait<counted::function>(t1, {.first_delay = 1s, .max_delay = 1s, .timeout = 1h});
    REQUIRE(done);
    CHECK(done->result->sentiment == "positive");
    CHECK(done->raw.at("state") == "completed");
    CHECK(counted::reads == 1);  // the poll that found it completed; read_task takes that task
    CHECK(fake.requests().size() == 3);

    // A get reads it once too, and a wait of another function's type reads for itself.
    counted::reads = 0;
    fake.respond(200, completed);
    CHECK(client.get<counted::function>(t1)->result->sentiment == "positive");
    CHECK(counted::reads == 1);
    fake.respond(200, completed);
    CHECK(client.wait<fn::sentiment_analysis>(t1)->result->sentiment == fn::sentiment::positive);
    CHECK(counted::reads == 1);
}

TEST_CASE("results are read leniently and the raw document is kept", "[client]")
{
    fake_transport fake;
    fake.respond(200, R"({"taskName":"t1","input":{"text":"At the Grammys"},"state":"completed","problemDetails":null,
        "result":{"entities":[{"start":7,"end":14,"text":"Grammys","type":"event"}]},"workers":3})");
    auto client = make_client(fake);
    auto const t = client.get<fn::named_entity_recognition>(t1);
    REQUIRE(t);
    CHECK(t->result->entities.at(0).span.text == "Grammys");
    CHECK(t->raw.at("workers") == 3);

    fake_transport broken;
    broken.respond(200, R"({"taskName":"t1","state":"completed"})", headers({{"x-amzn-RequestId", "r1"}}));
    auto b = make_client(broken);
    auto const e = b.get<fn::sentiment_analysis>(t1);
    CHECK(e.error() == errc::missing_field);
    CHECK(e.error().request_id() == "r1");
    CHECK(e.error().http_status() == 200);
}

TEST_CASE("an invalid input is refused before anything is sent", "[client]")
{
    fake_transport fake;
    auto client = make_client(fake);
    auto const e = client.create<fn::sentiment_analysis>(t1, {.text = std::string(401, 'x')});
    CHECK(e.error() == errc::invalid_input);
    CHECK(e.error().detail() == "text: 401 characters; at most 400");
    CHECK(fake.requests().empty());

    // Credentials that cannot be had: nothing is sent either.
    auto no_creds_config = config();
    no_creds_config.credentials = [] {
        return crowd::result<crowd::sigv4::credentials>(crowd::error(errc::credentials_not_found, "none"));
    };
    fake_transport untouched;
    auto c = test_client::make(no_creds_config, untouched).value();
    CHECK(c.get<fn::sentiment_analysis>(t1).error() == errc::credentials_not_found);
    CHECK(untouched.requests().empty());
}

TEST_CASE("untyped calls name the function at run time and carry JSON", "[client]")
{
    fake_transport fake;
    fake.respond(201, R"({"taskName":"t1","input":{"text":"x","topic":"y"},"state":"processing"})")
        .respond(200, R"({"taskName":"t1","input":{"text":"x","topic":"y"},"state":"completed","result":{"relevant":true}})")
        .respond(204);
    auto client = make_client(fake);
    auto const made = client.create("text-relevance-test", t1, boost::json::parse(R"({"text":"x","topic":"y"})"));
    REQUIRE(made);
    CHECK(made->creation == crowd::creation::created);
    CHECK(fake.requests().at(0).target == "/123456789012/functions/text-relevance-test/tasks/t1");
    CHECK(fake.requests().at(0).body == R"({"input":{"text":"x","topic":"y"}})");
    auto const got = client.get("text-relevance-test", t1);
    REQUIRE(got);
    CHECK(got->result->at("relevant") == true);
    CHECK(client.remove("text-relevance-test", t1));

    CHECK(client.get("Text_Relevance", t1).error() == errc::function_name_invalid);
    CHECK(client.create("text-relevance", t1, boost::json::value("text")).error() == errc::invalid_input);
    CHECK(fake.requests().size() == 3);
}

TEST_CASE("endpoint, region, user agent and configuration errors", "[client]")
{
    auto with_env = config({{"AWS_ENDPOINT_URL", "http://127.0.0.1:8080/base/"}});
    fake_transport fake;
    fake.respond(200, completed).respond(200, completed).respond(200, completed).respond(200, completed);
    auto local = test_client::make(with_env, fake).value();
    CHECK(local.service_endpoint().url() == "http://127.0.0.1:8080/base");
    REQUIRE(local.get<fn::sentiment_analysis>(t1));
    CHECK(fake.requests().at(0).fields.find("Host") == "127.0.0.1:8080");
    CHECK(fake.requests().at(0).target == "/base/123456789012/functions/sentiment-analysis/tasks/t1");

    auto both = config({{"AWS_ENDPOINT_URL", "http://127.0.0.1:1"}, {"AWS_ENDPOINT_URL_CROWD", "https://crowd.local:8443"}});
    CHECK(test_client::make(both, fake).value().service_endpoint().url() == "https://crowd.local:8443");
    auto in_code = both;
    in_code.endpoint = "https://[::1]:9443";
    CHECK(test_client::make(in_code, fake).value().service_endpoint().host_header() == "[::1]:9443");

    auto frankfurt = config();
    frankfurt.region = "eu-central-1";
    frankfurt.app_id = "shop-reviews";
    auto eu = test_client::make(frankfurt, fake).value();
    CHECK(eu.service_endpoint().url() == "https://crowd.eu-central-1.amazonaws.com");
    // The SDKs' User-Agent 2.1: the library, the API, the system, the language, the
    // retry mode (as its business metric, E: standard), the app id last.
    CHECK(eu.user_agent().starts_with("mturk-crowd-cpp/0.1.0 ua/2.1 api/crowd#0.1.0 os/linux#"));
    CHECK(eu.user_agent().find(" lang/cpp#20 md/arch#") != std::string::npos);
    CHECK(eu.user_agent().ends_with(" cfg/retry-mode#standard m/E app/shop-reviews"));
    CHECK(local.user_agent().ends_with(" cfg/retry-mode#standard m/E,N"));  // N: an endpoint of one's own
    auto on_lambda = config({{"AWS_EXECUTION_ENV", "AWS_Lambda_provided.al2023"}});
    CHECK(test_client::make(on_lambda, fake).value().user_agent().find(" exec-env/AWS_Lambda_provided.al2023 ") !=
          std::string::npos);
    REQUIRE(eu.get<fn::sentiment_analysis>(t1));
    CHECK(fake.requests().at(1).fields.find("Authorization")->find("/eu-central-1/crowd/") != std::string_view::npos);

    auto no_account = config();
    no_account.account.reset();
    CHECK(test_client::make(no_account, fake).error() == errc::invalid_configuration);
    // AWS_ACCOUNT_ID fills an unset account; a bad one is named.
    auto account_from_env = config({{"AWS_ACCOUNT_ID", "210987654321"}});
    account_from_env.account.reset();
    auto by_env = test_client::make(account_from_env, fake);
    REQUIRE(by_env);
    REQUIRE(by_env->get<fn::sentiment_analysis>(t1));
    CHECK(fake.requests().back().target.starts_with("/210987654321/"));
    auto bad_account_env = config({{"AWS_ACCOUNT_ID", "12345"}});
    bad_account_env.account.reset();
    CHECK(test_client::make(bad_account_env, fake).error().detail().starts_with("env AWS_ACCOUNT_ID: "));
    auto code_wins = config({{"AWS_ACCOUNT_ID", "210987654321"}});  // the code's account is used
    REQUIRE(test_client::make(code_wins, fake).value().get<fn::sentiment_analysis>(t1));
    CHECK(fake.requests().back().target.starts_with("/123456789012/"));
    for (char const* bad : {"ftp://x", "https://", "https://host:0", "https://host:99999", "https://host/x?y=1",
                            "https://user@host", "https://[::1"}) {
        auto c = config();
        c.endpoint = bad;
        INFO(bad);
        auto const made = test_client::make(c, fake);
        REQUIRE(made.has_error());
        CHECK(made.error() == errc::invalid_configuration);
    }
    auto bad_env = config({{"AWS_ENDPOINT_URL_CROWD", "crowd.local"}});
    CHECK(test_client::make(bad_env, fake).error().detail().starts_with("env AWS_ENDPOINT_URL_CROWD: "));
    auto bad_region = config();
    bad_region.region = "US East";
    CHECK(test_client::make(bad_region, fake).error() == errc::invalid_configuration);
}

TEST_CASE("AWS_MAX_ATTEMPTS and AWS_RETRY_MODE configure the retry mode", "[client][retry]")
{
    auto const env = test_environment::env_of;
    CHECK(crowd::aws_retry::from_environment(env({})).value().settings().max_attempts == 3);
    CHECK(crowd::aws_retry::from_environment(env({})).value().mode() == crowd::retry_mode::standard);
    auto const five = crowd::aws_retry::from_environment(env({{"AWS_MAX_ATTEMPTS", "5"}, {"AWS_RETRY_MODE", "standard"}}));
    CHECK(five.value().settings().max_attempts == 5);
    CHECK(five.value().mode() == crowd::retry_mode::standard);
    // adaptive is adaptive, not standard under another name.
    auto adaptive = crowd::aws_retry::from_environment(env({{"AWS_RETRY_MODE", "adaptive"}, {"AWS_MAX_ATTEMPTS", "4"}}));
    CHECK(adaptive.value().mode() == crowd::retry_mode::adaptive);
    CHECK(adaptive.value().settings().max_attempts == 4);
    CHECK(adaptive.value().limiter() != nullptr);
    CHECK(crowd::aws_retry::from_environment(env({{"AWS_RETRY_MODE", "legacy"}})).value().mode() ==
          crowd::retry_mode::standard);
    for (char const* bad : {"0", "-1", "three", "99999"})
        CHECK(crowd::aws_retry::from_environment(env({{"AWS_MAX_ATTEMPTS", bad}})).error() ==
              errc::invalid_configuration);
    CHECK(crowd::aws_retry::from_environment(env({{"AWS_RETRY_MODE", "eager"}})).error().detail() ==
          "AWS_RETRY_MODE: \"eager\" is not standard, adaptive or legacy");

    // The selected profile's retry_mode and max_attempts, when the environment says nothing.
    auto const config_file = std::filesystem::temp_directory_path() / ("mturk-crowd-retry-config-" + std::to_string(::getpid()));
    std::ofstream(config_file) << "[default]\nretry_mode = standard\n[profile batch]\nretry_mode = adaptive\n"
                                  "max_attempts = 7\n[profile broken]\nretry_mode = eager\n";
    auto with_profile = [&](char const* profile, std::map<std::string, std::string> more = {}) {
        more["AWS_CONFIG_FILE"] = config_file.string();
        more["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent";
        more["AWS_PROFILE"] = profile;
        return crowd::aws_retry::from_environment(env(more));
    };
    CHECK(with_profile("batch").value().mode() == crowd::retry_mode::adaptive);
    CHECK(with_profile("batch").value().settings().max_attempts == 7);
    CHECK(with_profile("default").value().mode() == crowd::retry_mode::standard);
    // The environment wins over the profile, setting by setting.
    auto const env_wins = with_profile("batch", {{"AWS_RETRY_MODE", "standard"}});
    CHECK(env_wins.value().mode() == crowd::retry_mode::standard);
    CHECK(env_wins.value().settings().max_attempts == 7);
    // A bad value names the file and the line.
    CHECK(with_profile("broken").error().detail() ==
          config_file.string() + " line 7: retry_mode: \"eager\" is not standard, adaptive or legacy");
    std::filesystem::remove(config_file);

    crowd::no_retry never;
    CHECK(!never.decide({.code = crowd::make_error_code(errc::throttled), .http_status = 429}).retry);

    // The delay never passes 20 s, however many attempts.
    crowd::standard_retry long_run({.max_attempts = 40}, [] { return 0.999; });
    auto const d = long_run.decide({.code = crowd::make_error_code(errc::throttled), .http_status = 429, .attempt = 30});
    CHECK(d.retry);
    CHECK(d.delay <= 20000ms);
    CHECK(d.delay >= 19000ms);
}

TEST_CASE("a DELETE retried after a lost response that finds no task succeeded", "[client]")
{
    fake_transport fake;
    fake.fail(boost::system::errc::make_error_code(boost::system::errc::connection_reset)).respond(404);
    auto client = make_client(fake);
    CHECK(client.remove<fn::sentiment_analysis>(t1));
    CHECK(fake.requests().size() == 2);

    // The same when the transport itself re-sent the request on a new connection.
    fake_transport resent;
    resent.otherwise([](crowd::http_request const&) -> crowd::result<crowd::http_response> {
        crowd::http_response r{404, {}, R"({"message":"Not Found"})"};
        r.resent = true;
        return r;
    });
    auto r = make_client(resent);
    CHECK(r.remove<fn::sentiment_analysis>(t1));

    // A 5xx answer may have been acted on too (a gateway's 504 after the service deleted it).
    fake_transport gateway;
    gateway.respond(504).respond(404);
    auto g = make_client(gateway);
    CHECK(g.remove<fn::sentiment_analysis>(t1));

    // When no attempt can have reached the service, a 404 is what it says.
    fake_transport plain;
    plain.fail(boost::system::errc::make_error_code(boost::system::errc::connection_refused),
               crowd::request_progress::not_sent)
        .respond(404);
    auto c = make_client(plain);
    CHECK(c.remove<fn::sentiment_analysis>(t1).error() == errc::task_not_found);
    fake_transport throttled;
    throttled.respond(429).respond(404);
    auto t = make_client(throttled);
    CHECK(t.remove<fn::sentiment_analysis>(t1).error() == errc::task_not_found);
}

TEST_CASE("hooks see each attempt, its answer and each retry decision, and the SDK headers go out", "[client][hooks]")
{
    fake_transport fake;
    fake.respond(503, "", headers({{"x-amzn-RequestId", "req-1"}}))
        .fail(make_error_code(boost::system::errc::connection_reset), crowd::request_progress::sent_no_answer)
        .respond(201, processing, headers({{"x-amzn-RequestId", "req-3"}}));
    manual_clock clock;
    std::vector<std::string> log;
    std::set<std::string> invocation_ids;
    auto cfg = config({{"_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"},
                       {"AWS_LAMBDA_FUNCTION_NAME", "reviews"}});
    cfg.hooks.before_attempt = [&](crowd::attempt_started const& a) {
        invocation_ids.insert(std::string(a.id.invocation_id));
        log.push_back("before " + std::string(a.id.operation) + " " + std::string(a.id.function) + "/" +
                      std::string(a.id.task) + " #" + std::to_string(a.id.attempt) + " " +
                      std::string(a.request.fields.find("amz-sdk-request").value_or("?")));
        clock.advance(25ms);  // the exchange takes 25 ms on the client's clock
    };
    cfg.hooks.after_attempt = [&](crowd::attempt_finished const& a) {
        std::string line = "after #" + std::to_string(a.id.attempt) + " " + std::to_string(a.took.count()) + " ms ";
        if (a.response)
            line += std::to_string(a.response->status) + " " + std::string(a.response->request_id().value_or("-"));
        else
            line += "failed: " + a.failure->code().message();
        log.push_back(line);
    };
    cfg.hooks.on_retry_decision = [&](crowd::retry_decided const& d) {
        log.push_back("retry? #" + std::to_string(d.id.attempt) + " " + (d.retry ? "yes" : "no") + " after " +
                      std::to_string(d.delay.count()) + " ms");
    };
    auto client = test_client::make(std::move(cfg), fake, clock, crowd::standard_retry({}, [] { return 0.5; })).value();
    auto const created = client.create<fn::sentiment_analysis>(t1, {.text = "hi"});
    REQUIRE(created);

    std::vector<std::string> const expected{
        "before create sentiment-analysis/t1 #1 attempt=1; max=3",
        "after #1 25 ms 503 req-1",
        "retry? #1 yes after 25 ms",
        "before create sentiment-analysis/t1 #2 attempt=2; max=3",
        "after #2 25 ms failed: " + make_error_code(boost::system::errc::connection_reset).message(),
        "retry? #2 yes after 50 ms",
        "before create sentiment-analysis/t1 #3 attempt=3; max=3",
        "after #3 25 ms 201 req-3",
    };
    CHECK(log == expected);
    CHECK(invocation_ids.size() == 1);  // one id for the whole call
    auto const& id = *invocation_ids.begin();
    CHECK(id.size() == 36);
    CHECK(id[14] == '4');  // a version 4 UUID
    CHECK(std::string("89ab").find(id[19]) != std::string::npos);
    for (auto const& request : fake.requests()) {
        CHECK(request.fields.find("amz-sdk-invocation-id") == id);
        CHECK(request.fields.find("X-Amzn-Trace-Id") == "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
        // The attempt header is signed: each attempt is signed with its own value.
        CHECK(request.fields.find("Authorization")->find("amz-sdk-request") != std::string_view::npos);
    }
    // The next call has an id of its own.
    fake.respond(200, completed);
    REQUIRE(client.get<fn::sentiment_analysis>(t1));
    CHECK(invocation_ids.size() == 2);
}

TEST_CASE("settings come from code, the environment, the profile, then the default, each with its origin", "[client][settings]")
{
    auto const dir = std::filesystem::temp_directory_path() / ("mturk-crowd-settings-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "config") << "[profile p]\nregion = eu-west-1\nendpoint_url = https://profile.example\n"
                                     "aws_account_id = 210987654321\nsdk_ua_app_id = from-profile\n";
    auto cfg = config({{"AWS_CONFIG_FILE", (dir / "config").string()}, {"AWS_PROFILE", "p"}});
    cfg.account.reset();
    auto const from_profile = crowd::resolve_settings(cfg).value();
    CHECK(from_profile.region.value == "eu-west-1");
    CHECK(from_profile.region.origin.text() == (dir / "config").string() + " line 2");
    CHECK(from_profile.endpoint.value == "https://profile.example");
    CHECK(from_profile.account.value == "210987654321");
    CHECK(from_profile.app_id.value == "from-profile");
    CHECK(from_profile.max_attempts.origin.text() == "default");

    // The environment wins over the profile, the code over both.
    auto env_cfg = config({{"AWS_CONFIG_FILE", (dir / "config").string()}, {"AWS_PROFILE", "p"}, {"AWS_REGION", "us-west-2"},
                           {"AWS_ENDPOINT_URL_CROWD", "https://env.example"}});
    auto const from_env = crowd::resolve_settings(env_cfg).value();
    CHECK(from_env.region.origin.text() == "env AWS_REGION");
    CHECK(from_env.endpoint.value == "https://env.example");
    env_cfg.region = "ap-south-1";
    CHECK(crowd::resolve_settings(env_cfg).value().region.origin.text() == "code");
    // AWS_IGNORE_CONFIGURED_ENDPOINT_URLS leaves only the code's endpoint and the default.
    auto ignoring = config({{"AWS_CONFIG_FILE", (dir / "config").string()}, {"AWS_PROFILE", "p"},
                            {"AWS_ENDPOINT_URL_CROWD", "https://env.example"}, {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}});
    CHECK(crowd::resolve_settings(ignoring).value().endpoint.value == "https://crowd.eu-west-1.amazonaws.com");

    // The client uses them: the profile's account in the path.
    fake_transport fake;
    fake.respond(200, completed);
    auto client = test_client::make(cfg, fake).value();
    REQUIRE(client.get<fn::sentiment_analysis>(t1));
    CHECK(fake.requests().back().target.starts_with("/210987654321/"));
    CHECK(fake.requests().back().fields.find("User-Agent")->ends_with(" app/from-profile"));

    // No account anywhere: the credentials' own.
    auto learnt = config();
    learnt.account.reset();
    learnt.credentials = [] {
        return crowd::sigv4::credentials::make("AKIDEXAMPLE", "secret").value().with_account_id("333333333333");
    };
    fake.respond(200, completed);
    REQUIRE(test_client::make(learnt, fake).value().get<fn::sentiment_analysis>(t1));
    CHECK(fake.requests().back().target.starts_with("/333333333333/"));

    // An app id over 50 characters is refused, naming where it came from.
    auto long_app = config({{"AWS_SDK_UA_APP_ID", std::string(51, 'a')}});
    auto const refused = test_client::make(long_app, fake);
    REQUIRE(refused.has_error());
    CHECK(refused.error().detail() == "env AWS_SDK_UA_APP_ID: the app id has 51 characters; the SDKs allow at most 50");
    std::filesystem::remove_all(dir);
}

TEST_CASE("an endpoint reads back from its own URL: hosts and paths a URL cannot hold are refused", "[client]")
{
    for (std::string_view good : {"https://crowd.us-east-1.amazonaws.com", "http://127.0.0.1:8080/base/v1",
                                  "https://[::1]:9443", "https://[::ffff:10.0.0.1]", "http://h_1~x:1/a%2Fb/c-d.e;f=g"}) {
        INFO(good);
        auto const e = crowd::parse_endpoint(good);
        REQUIRE(e);
        auto const again = crowd::parse_endpoint(e->url());
        REQUIRE(again);
        CHECK(again->url() == e->url());
    }
    // Found by fuzzing: "http://[[]/\x14" read as host "[" with a control character in the
    // path, and its own URL did not read back.
    for (std::string_view bad : {"http://[[]/\x14", "http://[x]", "http://ho[st", "http://host/a b", "http://host/a\x01",
                                 "http://host/%zz", "http://host/%4", "http://host/a\\b", "https://h\xc3\xa9st"}) {
        INFO(bad);
        auto const e = crowd::parse_endpoint(bad);
        REQUIRE(e.has_error());
        CHECK(e.error() == errc::invalid_configuration);
    }
}
