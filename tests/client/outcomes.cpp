// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// What a call tells the caller after ambiguous failures: every row of README's table
// "What a call tells you" (what happened to the first attempt, then what the second got),
// for create, get, remove and wait; wait through transient trouble; error codes in headers.
#include <mturk/crowd/client.hpp>

#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/testing/fake_transport.hpp>
#include <mturk/crowd/testing/manual_clock.hpp>

#include "fake_client.hpp"

#include <catch.hpp>

#include <map>
#include <string>
#include <vector>

namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;
using crowd::errc;
using crowd::request_progress;
using crowd::testing::fake_transport;
using crowd::testing::manual_clock;
using namespace std::chrono_literals;

namespace {

using fake_client::test_client;

using fake_client::completed;
using fake_client::processing;

test_client outcomes_client(fake_transport fake, manual_clock clock = manual_clock{}, unsigned max_attempts = 2)
{
    return test_client::make(fake_client::config(), std::move(fake), std::move(clock),
                             crowd::standard_retry({.max_attempts = max_attempts}, [] { return 0.5; }))
        .value();
}

using fake_client::t1;

/// The first attempt's fate, as the transport reports it.
enum class first_attempt { not_sent, sent_no_answer, unknown, answered_504 };

void script_first(fake_transport& fake, first_attempt first)
{
    auto const refused = boost::system::errc::make_error_code(boost::system::errc::connection_refused);
    auto const reset = boost::system::errc::make_error_code(boost::system::errc::connection_reset);
    switch (first) {
    case first_attempt::not_sent: fake.fail(refused, request_progress::not_sent); break;
    case first_attempt::sent_no_answer: fake.fail(reset, request_progress::sent_no_answer); break;
    case first_attempt::unknown: fake.fail(reset); break;  // a transport that does not say
    case first_attempt::answered_504: fake.respond(504, R"({"message":"Gateway Timeout"})"); break;
    }
}

void script_then(fake_transport& fake, unsigned status, crowd::http_method method)
{
    std::string body = R"({"message":"x"})";
    if (status == 200 || status == 201)
        body = method == crowd::http_method::put ? processing : completed;
    fake.respond(status, status == 204 ? std::string() : body);
}

/// What the caller is told, in words: an outcome or the error code's errc name.
template <class Result>
std::string told(Result const& r)
{
    if (r)
        return "success";
    std::map<boost::system::error_code, std::string> const names{
        {errc::task_not_found, "task_not_found"}, {errc::throttled, "throttled"},
        {errc::unknown_function, "unknown_function"}, {errc::service_unavailable, "service_unavailable"}};
    auto const found = names.find(r.error().code());
    return found == names.end() ? r.error().what() : found->second;
}

std::string create_outcome(first_attempt first, unsigned then)
{
    fake_transport fake;
    script_first(fake, first);
    script_then(fake, then, crowd::http_method::put);
    auto client = outcomes_client(fake);
    auto const r = client.create<fn::sentiment_analysis>(t1, {.text = "hi"});
    if (!r)
        return told(r);
    return std::string(to_string(r->creation));
}

std::string get_outcome(first_attempt first, unsigned then)
{
    fake_transport fake;
    script_first(fake, first);
    script_then(fake, then, crowd::http_method::get);
    auto client = outcomes_client(fake);
    return told(client.get<fn::sentiment_analysis>(t1));
}

std::string remove_outcome(first_attempt first, unsigned then)
{
    fake_transport fake;
    script_first(fake, first);
    script_then(fake, then, crowd::http_method::delete_);
    auto client = outcomes_client(fake);
    return told(client.remove<fn::sentiment_analysis>(t1));
}

/// A wait whose first poll meets `first` then `then` (two attempts), and whose next polls
/// find the task completed: what it ends with, and after how many polls.
std::string wait_outcome(first_attempt first, unsigned then)
{
    fake_transport fake;
    script_first(fake, first);
    script_then(fake, then, crowd::http_method::get);
    fake.otherwise([](crowd::http_request const&) -> crowd::result<crowd::http_response> {
        return crowd::http_response{200, {}, completed};
    });
    manual_clock clock;
    auto client = outcomes_client(fake, clock);
    unsigned polls = 0;
    auto const r = client.wait<fn::sentiment_analysis>(
        t1, {.timeout = 1h, .on_poll = [&](crowd::poll_report const& p) { polls = p.number; }});
    return (r ? std::string(to_string(r->state)) : told(r)) + " after " + std::to_string(polls) + " poll(s)";
}

}  // namespace

TEST_CASE("what a call tells you: create, after each kind of first failure", "[client][outcomes]")
{
    // The third outcome: a 200 after an attempt that may have created the task cannot say who did.
    struct row {
        first_attempt first;
        std::string on_201, on_200, on_404, on_429;
    };
    row const rows[] = {
        {first_attempt::not_sent, "created", "already existed", "unknown_function", "throttled"},
        {first_attempt::sent_no_answer, "created", "created by this call or before it", "unknown_function", "throttled"},
        {first_attempt::unknown, "created", "created by this call or before it", "unknown_function", "throttled"},
        {first_attempt::answered_504, "created", "created by this call or before it", "unknown_function", "throttled"},
    };
    for (auto const& r : rows) {
        INFO("first attempt " << static_cast<int>(r.first));
        CHECK(create_outcome(r.first, 201) == r.on_201);
        CHECK(create_outcome(r.first, 200) == r.on_200);
        CHECK(create_outcome(r.first, 404) == r.on_404);
        CHECK(create_outcome(r.first, 429) == r.on_429);
    }
    // Without any failure, 200 is "existed before this call".
    fake_transport fake;
    fake.respond(200, processing);
    auto client = outcomes_client(fake);
    CHECK(client.create<fn::sentiment_analysis>(t1, {.text = "hi"})->creation == crowd::creation::already_existed);
    // A response the transport got by sending the request twice: the first copy may have created it.
    fake_transport twice;
    twice.respond_after_resend(200, processing);
    auto c = outcomes_client(twice);
    CHECK(c.create<fn::sentiment_analysis>(t1, {.text = "hi"})->creation == crowd::creation::uncertain);
}

TEST_CASE("what a call tells you: get and remove, after each kind of first failure", "[client][outcomes]")
{
    for (auto first : {first_attempt::not_sent, first_attempt::sent_no_answer, first_attempt::unknown,
                       first_attempt::answered_504}) {
        INFO("first attempt " << static_cast<int>(first));
        CHECK(get_outcome(first, 200) == "success");
        CHECK(get_outcome(first, 404) == "task_not_found");
        CHECK(get_outcome(first, 429) == "throttled");
        CHECK(remove_outcome(first, 204) == "success");
        CHECK(remove_outcome(first, 429) == "throttled");
    }
    // A DELETE's 404 is "no such task" only when no attempt can have reached the service.
    CHECK(remove_outcome(first_attempt::not_sent, 404) == "task_not_found");
    CHECK(remove_outcome(first_attempt::sent_no_answer, 404) == "success");
    CHECK(remove_outcome(first_attempt::unknown, 404) == "success");
    CHECK(remove_outcome(first_attempt::answered_504, 404) == "success");

    // The transport re-sent on a new connection, and the first copy may have been acted on.
    fake_transport resent;
    resent.respond_after_resend(404, R"({"message":"Not Found"})");
    auto r = outcomes_client(resent);
    CHECK(r.remove<fn::sentiment_analysis>(t1));
    // Refused before sending, twice: no attempt reached the service.
    fake_transport refused;
    refused.fail(boost::system::errc::make_error_code(boost::system::errc::connection_refused), request_progress::not_sent)
        .fail(boost::system::errc::make_error_code(boost::system::errc::connection_refused), request_progress::not_sent)
        .respond(404);
    auto c = outcomes_client(refused, manual_clock{}, 3);
    CHECK(c.remove<fn::sentiment_analysis>(t1).error() == errc::task_not_found);
}

TEST_CASE("what a call tells you: wait, after each kind of first failure", "[client][outcomes]")
{
    for (auto first : {first_attempt::not_sent, first_attempt::sent_no_answer, first_attempt::unknown,
                       first_attempt::answered_504}) {
        INFO("first attempt " << static_cast<int>(first));
        CHECK(wait_outcome(first, 200) == "completed after 1 poll(s)");
        CHECK(wait_outcome(first, 404) == "task_not_found after 1 poll(s)");  // will not change: ends at once
        CHECK(wait_outcome(first, 429) == "completed after 2 poll(s)");       // may pass: polled again
    }
}

TEST_CASE("wait outlives bursts of throttling, 5xx streaks and network blips", "[client][wait]")
{
    // Three 429s in a row use up one poll's attempts; the wait pauses and polls again.
    fake_transport fake;
    fake.respond(200, processing).respond(429).respond(429).respond(429).respond(503).respond(503).respond(503);
    fake.fail(boost::system::errc::make_error_code(boost::system::errc::timed_out), request_progress::sent_no_answer)
        .fail(boost::system::errc::make_error_code(boost::system::errc::network_unreachable), request_progress::not_sent)
        .fail(boost::system::errc::make_error_code(boost::system::errc::connection_reset), request_progress::sent_no_answer)
        .respond(200, completed);
    manual_clock clock;
    auto client = outcomes_client(fake, clock, 3);
    std::vector<crowd::poll_report> polls;
    auto const done = client.wait<fn::sentiment_analysis>(
        t1, {.first_delay = 1s, .max_delay = 8s, .timeout = 1h, .on_poll = [&](crowd::poll_report const& p) {
                 polls.push_back(p);
             }});
    REQUIRE(done);
    CHECK(done->state == crowd::task_state::completed);
    REQUIRE(polls.size() == 5);
    CHECK(polls[0].state == crowd::task_state::processing);
    CHECK(polls[1].failure == errc::throttled);            // on_poll sees the failed polls too
    CHECK(polls[2].failure == errc::service_unavailable);
    CHECK(polls[3].failure == boost::system::errc::connection_reset);
    CHECK(polls[4].state == crowd::task_state::completed);
    CHECK(!polls[1].state);
    CHECK(fake.requests().size() == 11);
}

TEST_CASE("wait pauses at least as long as Retry-After asks", "[client][wait]")
{
    fake_transport fake;
    crowd::http_fields later;
    later.add("Retry-After", "30");
    fake.respond(429, "", later).respond(200, completed);
    manual_clock clock;
    auto client = outcomes_client(fake, clock, 1);  // no retries inside a poll: the wait's pause is all there is
    REQUIRE(client.wait<fn::sentiment_analysis>(t1, {.first_delay = 1s, .timeout = 1h}));
    CHECK(clock.waits() == std::vector<std::chrono::milliseconds>{30s});  // not the 500 ms of its own schedule
}

TEST_CASE("wait ends at once on an error that will not change, saying which poll met it", "[client][wait]")
{
    fake_transport fake;
    fake.respond(200, processing).respond(403, R"({"message":"The security token included in the request is invalid."})",
                                          [] {
                                              crowd::http_fields f;
                                              f.add("x-amzn-RequestId", "req-9");
                                              return f;
                                          }());
    manual_clock clock;
    auto client = outcomes_client(fake, clock);
    auto const r = client.wait<fn::sentiment_analysis>(t1, {.first_delay = 2s, .timeout = 1h});
    REQUIRE_FALSE(r);
    CHECK(r.error() == errc::access_denied);
    CHECK(r.error().http_status() == 403);
    CHECK(r.error().request_id() == "req-9");
    CHECK(r.error().detail() == "The security token included in the request is invalid. (poll 2, 1 s into the wait)");
    CHECK(fake.requests().size() == 2);

    // An unreadable result will not change either.
    fake_transport broken;
    broken.respond(200, R"({"taskName":"t1","state":"completed"})");
    auto b = outcomes_client(broken);
    auto const e = b.wait<fn::sentiment_analysis>(t1);
    CHECK(e.error() == errc::missing_field);
    CHECK(broken.requests().size() == 1);
}

TEST_CASE("a wait that meets only transient errors ends at its deadline, naming the last one", "[client][wait]")
{
    fake_transport fake;
    fake.otherwise([](crowd::http_request const&) -> crowd::result<crowd::http_response> {
        return crowd::http_response{503, {}, R"({"message":"Service Unavailable"})"};
    });
    manual_clock clock;
    auto client = outcomes_client(fake, clock, 1);
    auto const r = client.wait<fn::sentiment_analysis>(t1, {.first_delay = 10s, .max_delay = 60s, .timeout = 60s});
    REQUIRE_FALSE(r);
    CHECK(r.error() == errc::wait_timed_out);
    CHECK(r.error().detail() ==
          "task t1 had no final state after 60 s; the last poll failed: service failed or is unavailable (HTTP 503): "
          "Service Unavailable");
    CHECK(clock.waits() == std::vector<std::chrono::milliseconds>{5s, 10s, 20s, 25s});  // the deadline, not the first error
}

TEST_CASE("error codes come from x-amzn-ErrorType and x-amzn-query-error when the body has none", "[client][errors]")
{
    auto with = [](char const* name, char const* value) {
        crowd::http_fields f;
        f.add(name, value);
        return f;
    };
    struct row {
        unsigned status;
        std::string body;
        crowd::http_fields fields;
        errc expected;
        std::size_t attempts;
    };
    row const rows[] = {
        {400, "", with("x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/"), errc::throttled, 2},
        {400, "{}", with("x-amzn-query-error", "Throttling;Sender"), errc::throttled, 2},
        {400, R"({"__type":"com.amazon#ThrottlingException"})", {}, errc::throttled, 2},  // the body's code
        {400, R"({"code":"ValidationException"})", with("x-amzn-ErrorType", "ThrottlingException"),
         errc::bad_request, 1},  // the body wins
        {400, "", with("x-amzn-ErrorType", "ValidationException:http://x"), errc::bad_request, 1},
    };
    for (auto const& r : rows) {
        INFO(r.status << " " << r.body);
        fake_transport fake;
        fake.respond(r.status, r.body, r.fields).respond(r.status, r.body, r.fields);
        auto client = outcomes_client(fake);
        CHECK(client.get<fn::sentiment_analysis>(t1).error() == r.expected);
        CHECK(fake.requests().size() == r.attempts);  // throttling is retried, a bad request is not
    }
}

TEST_CASE("a PUT's 409 is a conflict, and a code that says skew corrects the clock", "[client][errors]")
{
    fake_transport conflict;
    conflict.respond(409, R"({"message":"Conflict"})");
    auto c = outcomes_client(conflict);
    CHECK(c.create<fn::sentiment_analysis>(t1, {.text = "hi"}).error() == errc::task_conflict);

    // The code alone says it: no "expired" in the message.
    fake_transport skewed;
    crowd::http_fields date;
    date.add("Date", "Sat, 28 Nov 2026 00:07:00 GMT");
    skewed.respond(403, R"({"__type":"RequestTimeTooSkewed","message":"The difference is too large."})", date)
        .respond(200, completed);
    manual_clock clock;
    auto client = outcomes_client(skewed, clock);
    REQUIRE(client.get<fn::sentiment_analysis>(t1));
    CHECK(client.clock_offset() == 7min);
    CHECK(skewed.requests().at(1).fields.find("X-Amz-Date") == "20261128T000700Z");
}
