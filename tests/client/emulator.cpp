// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The in-process emulator driven by the real client: the contract of the reference, the
// state machine on a manual clock, and SigV4 verification.
#include <mturk/crowd/testing/emulator.hpp>

#include <mturk/crowd/client.hpp>
#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/testing/manual_clock.hpp>

#include "fake_client.hpp"

#include <catch.hpp>

namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;
using crowd::errc;
using crowd::testing::manual_clock;
using namespace std::chrono_literals;

namespace {

using emulated_client = crowd::basic_client<crowd::testing::emulator_transport, manual_clock, crowd::no_retry>;
using retrying_client = crowd::basic_client<crowd::testing::emulator_transport, manual_clock, crowd::standard_retry>;

constexpr crowd::account_id account{"123456789012"};
using fake_client::t1;

struct fixture {
    manual_clock clock;
    std::shared_ptr<crowd::testing::emulator> service;
    explicit fixture(crowd::testing::emulator_options options = {})
        : service(std::make_shared<crowd::testing::emulator>(std::move(options), [c = clock] { return c.now(); }))
    {
    }
    emulated_client client(std::string secret = "crowd-emulator-secret")
    {
        return emulated_client::make({.account = account,
                                      .credentials = [secret] {
                                          return crowd::sigv4::credentials::make("AKIDCROWDEMULATOR", secret);
                                      },
                                      .env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; },
                                      .random = [] { return 0.0; }},
                                     crowd::testing::emulator_transport(service), clock)
            .value();
    }
    /// A client whose clock is not the emulator's (a device's clock that is off).
    emulated_client client_on(manual_clock device_clock)
    {
        return emulated_client::make(
                   {.account = account,
                    .credentials = [] { return crowd::sigv4::credentials::make("AKIDCROWDEMULATOR", "crowd-emulator-secret"); },
                    .env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; }},
                   crowd::testing::emulator_transport(service), std::move(device_clock))
            .value();
    }
    /// A client of the standard mode with `max_attempts` and a fixed jitter of 0.5.
    retrying_client retrying_client_with(unsigned max_attempts)
    {
        return retrying_client::make(
                   {.account = account,
                    .credentials = [] { return crowd::sigv4::credentials::make("AKIDCROWDEMULATOR", "crowd-emulator-secret"); },
                    .env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; }},
                   crowd::testing::emulator_transport(service), clock,
                   crowd::standard_retry({.max_attempts = max_attempts}, [] { return 0.5; }))
            .value();
    }
};

}  // namespace

TEST_CASE("emulator: create, poll until completed after the delay, delete", "[emulator]")
{
    fixture f({.complete_after = 30s});
    auto client = f.client();
    auto const created = client.create<fn::sentiment_analysis>(t1, {.text = "Everything is wonderful."});
    REQUIRE(created);
    CHECK(created->creation == crowd::creation::created);
    CHECK(created->task.state == crowd::task_state::processing);
    CHECK(client.get<fn::sentiment_analysis>(t1)->state == crowd::task_state::processing);
    CHECK(client.remove<fn::sentiment_analysis>(t1).error() == errc::task_still_processing);

    f.clock.advance(30s);
    auto const done = client.get<fn::sentiment_analysis>(t1);
    REQUIRE(done);
    CHECK(done->state == crowd::task_state::completed);
    CHECK(done->result->sentiment.known());
    CHECK(client.remove<fn::sentiment_analysis>(t1));
    CHECK(client.get<fn::sentiment_analysis>(t1).error() == errc::task_not_found);
    CHECK(client.remove<fn::sentiment_analysis>(t1).error() == errc::task_not_found);
}

TEST_CASE("emulator: wait() on the manual clock, -test completes at once", "[emulator]")
{
    fixture f({.complete_after = 10s});
    auto client = f.client();
    REQUIRE(client.create<fn::bounding_box>(t1, {.image = {"https://example.com/a.jpg"}, .labels = {{"car"}}}));
    auto const done = client.wait<fn::bounding_box>(t1, {.first_delay = 2s, .max_delay = 8s, .timeout = 1min});
    REQUIRE(done);
    CHECK(done->result->annotations.at(0).label == "car");

    constexpr crowd::task_name t2{"t2"};
    REQUIRE(client.create<fn::intent_detection::test>(
        t2, {.text = "book me in", .intents = {{.label = "Schedule"}, {.label = "Records"}}}));
    auto const at_once = client.get<fn::intent_detection::test>(t2);
    REQUIRE(at_once);
    CHECK(at_once->state == crowd::task_state::completed);
}

TEST_CASE("emulator: idempotent PUT, conflict, unknown function, bad input", "[emulator]")
{
    fixture f;
    auto client = f.client();
    REQUIRE(client.create<fn::sentiment_analysis>(t1, {.text = "a"}));
    auto const again = client.create<fn::sentiment_analysis>(t1, {.text = "a"});
    REQUIRE(again);
    CHECK(again->creation == crowd::creation::already_existed);
    CHECK(client.create<fn::sentiment_analysis>(t1, {.text = "b"}).error() == errc::task_conflict);
    // The same name under another function is another task.
    CHECK(client.create<fn::emotion_detection>(t1, {.text = "b"}));

    CHECK(client.create("sentiment-analysys", t1, boost::json::parse(R"({"text":"a"})")).error() ==
          errc::unknown_function);
    auto const bad = client.create("sentiment-analysis", t1, boost::json::parse(R"({"text":""})"));
    CHECK(bad.error() == errc::bad_request);
    CHECK(bad.error().detail().find("text: is empty") != std::string_view::npos);
    CHECK(client.create("image-contains", t1, boost::json::parse(R"({"image":{}})")).error() == errc::bad_request);
}

TEST_CASE("emulator: a share of tasks fail with problem details, repeatably for a seed", "[emulator]")
{
    fixture f({.complete_after = 0s, .fail_share = 1.0, .seed = 7});
    auto client = f.client();
    REQUIRE(client.create<fn::sentiment_analysis>(t1, {.text = "x"}));
    auto const failed = client.get<fn::sentiment_analysis>(t1);
    REQUIRE(failed);
    CHECK(failed->state == crowd::task_state::failed);
    REQUIRE(failed->problem);
    CHECK((failed->problem->code == "Expired" || failed->problem->code == "BadInputContent"));
    CHECK(f.service->task_counts().at("failed") == 1);
}

TEST_CASE("emulator: signatures are verified", "[emulator]")
{
    fixture f;
    auto wrong_secret = f.client("not-the-secret");
    auto const e = wrong_secret.get<fn::sentiment_analysis>(t1);
    CHECK(e.error() == errc::access_denied);
    CHECK(e.error().detail().find("signature we calculated does not match") != std::string_view::npos);

    // A body changed after signing.
    auto client = f.client();
    auto pending = crowd::detail::access::engine(client).start_request(crowd::http_method::put, "sentiment-analysis", t1, R"({"input":{"text":"a"}})");
    REQUIRE(crowd::detail::access::engine(client).sign_attempt(pending));
    pending.message.body = R"({"input":{"text":"b"}})";
    CHECK(f.service->handle(pending.message).status == 403);
    // A missing signed header.
    REQUIRE(crowd::detail::access::engine(client).sign_attempt(pending));
    pending.message.body = R"({"input":{"text":"a"}})";
    REQUIRE(crowd::detail::access::engine(client).sign_attempt(pending));
    auto without_host = pending.message;
    without_host.fields.erase("Content-Type");
    auto const missing = f.service->handle(without_host);
    CHECK(missing.status == 403);
    CHECK(missing.body.find("content-type") != std::string::npos);
    // An unknown key id.
    auto other_key = pending.message;
    auto auth = std::string(other_key.fields.find("Authorization").value());
    auth.replace(auth.find("AKIDCROWDEMULATOR"), 17, "AKIDSOMEONEELSE00");
    other_key.fields.set("Authorization", auth);
    CHECK(f.service->handle(other_key).body.find("unknown access key id") != std::string::npos);
    // The untouched request passes.
    CHECK(f.service->handle(pending.message).status == 201);
}

TEST_CASE("emulator: a clock 20 minutes off is refused, and the client corrects it", "[emulator]")
{
    fixture f;
    manual_clock device_clock(f.clock.now() - 20min);  // the device's clock is behind
    auto client = f.client_on(device_clock);
    auto const created = client.create<fn::sentiment_analysis>(t1, {.text = "x"});
    REQUIRE(created);
    CHECK(client.clock_offset() == 20min);
}

TEST_CASE("emulator: throttling and injected faults are absorbed by the retries, each task created once", "[emulator]")
{
    fixture f({.complete_after = 0s, .seed = 3, .throttle_rps = 2, .throttle_burst = 2, .fault_share = 0.3});
    auto client = f.retrying_client_with(10);
    int created = 0;
    for (int i = 0; i != 20; ++i) {
        auto const name = crowd::task_name::parse("task-" + std::to_string(i)).value();
        auto const r = client.create<fn::sentiment_analysis>(name, {.text = "x"});
        INFO(i << ": " << (r ? std::string("ok") : r.error().what()));
        REQUIRE(r);
        created += r->creation == crowd::creation::created;
        REQUIRE(client.get<fn::sentiment_analysis>(name));
    }
    auto const counts = f.service->request_counts();
    CHECK(created == 20);
    CHECK(counts.at("PUT 201") == 20);                 // each task created exactly once
    CHECK(counts.count("PUT 200") == 0);
    CHECK(counts.at("GET 200") == 20);
    CHECK(counts.count("GET 429") + counts.count("PUT 429") > 0);  // throttling happened...
    CHECK(counts.count("GET 500") + counts.count("PUT 500") + counts.count("GET 503") + counts.count("PUT 503") > 0);
    CHECK(f.service->task_counts().at("completed") == 20);  // ...and nothing was lost
}

TEST_CASE("emulator: the state is saved and loaded whole, and results survive another seed", "[emulator]")
{
    fixture first({.complete_after = 10s, .seed = 5});
    auto client = first.client();
    constexpr crowd::task_name t2{"t2"};
    REQUIRE(client.create<fn::sentiment_analysis>(t1, {.text = "Everything is wonderful."}));
    REQUIRE(client.create<fn::bounding_box>(t2, {.image = {.url = "https://example.com/a.jpg"}, .labels = {{.label = "car"}}}));
    first.clock.advance(10s);
    auto const finished = client.get<fn::sentiment_analysis>(t1);
    REQUIRE(finished);
    REQUIRE(finished->state == crowd::task_state::completed);
    constexpr crowd::task_name t3{"t3"};
    REQUIRE(client.create<fn::sentiment_analysis>(t3, {.text = "Still processing."}));
    auto const saved = first.service->save_state();

    // Another emulator, another seed: the finished result is the saved one, not a new mock;
    // the processing task keeps its creation time and finishes 10 s after it.
    fixture second({.complete_after = 10s, .seed = 99});
    second.clock.set(first.clock.now());
    REQUIRE(second.service->load_state(saved));
    auto reader = second.client();
    auto const again = reader.get<fn::sentiment_analysis>(t1);
    REQUIRE(again);
    CHECK(again->state == crowd::task_state::completed);
    CHECK(again->raw.at("result") == finished->raw.at("result"));
    CHECK(reader.get<fn::sentiment_analysis>(t3)->state == crowd::task_state::processing);
    second.clock.advance(10s);
    CHECK(reader.get<fn::sentiment_analysis>(t3)->state == crowd::task_state::completed);
    CHECK(reader.get<fn::bounding_box>(t2)->state == crowd::task_state::completed);
    // The same input still counts as the same task after the restart: 200, not 201.
    auto const repeated = reader.create<fn::sentiment_analysis>(t1, {.text = "Everything is wonderful."});
    REQUIRE(repeated);
    CHECK(repeated->creation == crowd::creation::already_existed);
}

TEST_CASE("emulator: a damaged state is refused with the entry named, and nothing changes", "[emulator]")
{
    fixture f({.complete_after = 0s});
    auto client = f.client();
    REQUIRE(client.create<fn::sentiment_analysis>(t1, {.text = "kept"}));
    auto const changes = f.service->changes();
    auto refuse = [&](std::string_view document, errc expected, std::string_view says) {
        auto const loaded = f.service->load_state(document);
        INFO(document);
        REQUIRE_FALSE(loaded);
        CHECK(loaded.error() == expected);
        CHECK(loaded.error().detail().find(says) != std::string_view::npos);
    };
    refuse("{", errc::invalid_json, "not JSON");
    refuse(R"({"version":2,"tasks":[]})", errc::invalid_value, "version 1");
    refuse(R"({"version":1,"tasks":[1]})", errc::wrong_type, "task 0: not an object");
    refuse(R"({"version":1,"tasks":[{"account":"123456789012","function":"no-such","taskName":"a","input":{},"createdMs":0,"state":"processing"}]})",
           errc::invalid_value, "task 0: needs a 12-digit account");
    refuse(R"({"version":1,"tasks":[{"account":"123456789012","function":"sentiment-analysis","taskName":"a","input":{"text":""},"createdMs":0,"state":"processing"}]})",
           errc::invalid_value, "task 0: input: text: is empty");
    refuse(R"({"version":1,"tasks":[{"account":"123456789012","function":"sentiment-analysis","taskName":"a","input":{"text":"x"},"createdMs":0,"state":"completed"}]})",
           errc::inconsistent_task, "a completed task needs its result");
    refuse(R"({"version":1,"tasks":[{"account":"123456789012","function":"sentiment-analysis","taskName":"a","input":{"text":"x"},"createdMs":"soon","state":"processing"}]})",
           errc::invalid_value, "createdMs");
    CHECK(f.service->changes() == changes);
    CHECK(client.get<fn::sentiment_analysis>(t1)->input.text == "kept");
}

TEST_CASE("emulator: the signing window is the gateway's 5 minutes", "[emulator]")
{
    fixture f;
    for (auto [off, status] : {std::pair{4min, 201u}, std::pair{6min, 403u}, std::pair{-6min, 403u}}) {
        INFO("client clock off by " << off.count() << " min");
        manual_clock device_clock(f.clock.now() + off);
        auto client = f.client_on(device_clock);
        auto pending = crowd::detail::access::engine(client).start_request(crowd::http_method::get, "sentiment-analysis", t1, {});
        REQUIRE(crowd::detail::access::engine(client).sign_attempt(pending));
        auto const answer = f.service->handle(pending.message);
        CHECK(answer.status == (status == 201u ? 404u : 403u));  // signed in time: no such task; else refused
        if (status == 403u)
            CHECK(answer.body.find("more than 5 minutes") != std::string::npos);
    }
}

TEST_CASE("emulator: the task names . and .. are refused with the reason", "[emulator]")
{
    fixture f;
    auto client = f.client();
    for (char const* dots : {".", ".."}) {
        INFO(dots);
        // Built by hand: the client itself cannot name such a task.
        auto pending = crowd::detail::access::engine(client).start_request(crowd::http_method::put, "sentiment-analysis", t1, R"({"input":{"text":"a"}})");
        pending.message.target.replace(pending.message.target.rfind('/') + 1, std::string::npos, dots);
        REQUIRE(crowd::detail::access::engine(client).sign_attempt(pending));
        auto const answer = f.service->handle(pending.message);
        CHECK(answer.status == 400);
        CHECK(answer.body.find("dot segment") != std::string::npos);
    }
    CHECK(f.service->task_counts().at("processing") == 0);
}

TEST_CASE("emulator: gateway timeouts and dropped connections, and the client's outcomes stay true", "[emulator]")
{
    struct fault {
        char const* name;
        crowd::testing::emulator_options options;
    };
    fault const faults[] = {
        {"gateway_timeouts", {.complete_after = 0s, .seed = 5, .gateway_timeout_share = 0.4}},  // acted on, then 504
        {"dropped_after", {.complete_after = 0s, .seed = 5, .drop_share = 0.5}},  // half before acting, half after
    };
    for (auto const& [kind, options] : faults) {
        INFO(kind);
        fixture f(options);
        auto client = f.retrying_client_with(10);
        int uncertain = 0;
        for (int i = 0; i != 20; ++i) {
            auto const name = crowd::task_name::parse("gw-" + std::to_string(i)).value();
            auto const made = client.create<fn::sentiment_analysis>(name, {.text = "x"});
            REQUIRE(made);
            // Acted on, answer lost, then 200: never "already existed" (it did not).
            CHECK(made->creation != crowd::creation::already_existed);
            uncertain += made->creation == crowd::creation::uncertain;
            auto const removed = client.remove<fn::sentiment_analysis>(name);
            INFO(i << ": " << (removed ? std::string("removed") : removed.error().what()));
            CHECK(removed);  // acted on, answer lost, then 404: the task is gone, as asked
            CHECK(client.get<fn::sentiment_analysis>(name).error() == errc::task_not_found);
        }
        CHECK(uncertain > 0);
        CHECK(f.service->fault_counts().at(kind) > 0);
        CHECK(f.service->tasks_created() == 20);               // each created once
        CHECK(f.service->task_counts().at("completed") == 0);  // and every remove that succeeded removed it
    }
}
