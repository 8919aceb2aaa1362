// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The adaptive retry mode: the client-side rate limiter against the figures of the AWS
// SDKs' specification, its pacing of a client's attempts on the manual clock, and one
// limiter shared by two clients.
#include <mturk/crowd/client_rate_limiter.hpp>

#include <mturk/crowd/client.hpp>
#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/testing/fake_transport.hpp>
#include <mturk/crowd/testing/manual_clock.hpp>

#include "fake_client.hpp"

#include <catch.hpp>

#include <vector>

namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;
using crowd::testing::fake_transport;
using crowd::testing::manual_clock;
using namespace std::chrono_literals;

namespace {

using time_point = crowd::client_rate_limiter::time_point;

time_point at_seconds(double s)
{
    return time_point(std::chrono::duration_cast<time_point::duration>(std::chrono::duration<double>(s)));
}

using fake_client::completed;

using fake_client::t1;

template <class Policy>
auto client_with_policy(fake_transport fake, manual_clock clock, Policy policy)
{
    return crowd::basic_client<fake_transport, manual_clock, Policy>::make(fake_client::config(), std::move(fake),
                                                                          std::move(clock),
                                                                          std::move(policy))
        .value();
}

}  // namespace

TEST_CASE("the rate limiter follows the SDKs' figures for measured rate and fill rate", "[retry][adaptive]")
{
    // The specification's sending-rate table (also the test of aws-sdk-go-v2, botocore and
    // smithy-rs): an attempt every 200 ms, throttled at 2.0 s and 3.2 s. After each: the
    // measured sending rate and the bucket's fill rate.
    struct row {
        bool throttled;
        double time;
        double measured_rate;
        double fill_rate;
    };
    row const rows[] = {
        {false, 0.2, 0.000000, 0.500000},          {false, 0.4, 0.000000, 0.500000},
        {false, 0.6, 4.800000000000001, 0.500000}, {false, 0.8, 4.800000000000001, 0.500000},
        {false, 1.0, 4.160000, 0.500000},          {false, 1.2, 4.160000, 0.691200},
        {false, 1.4, 4.160000, 1.0975999999999997}, {false, 1.6, 5.632000000000001, 1.6384000000000005},
        {false, 1.8, 5.632000000000001, 2.332800}, {true, 2.0, 4.326400, 3.0284799999999996},
        {false, 2.2, 4.326400, 3.48663917347026},  {false, 2.4, 4.326400, 3.821874416040255},
        {false, 2.6, 5.665280, 4.053385727709987}, {false, 2.8, 5.665280, 4.200373108479454},
        {false, 3.0, 4.333056, 4.282036558348658}, {true, 3.2, 4.333056, 2.99742559084406},
        {false, 3.4, 4.333056, 3.4522263943863463},
    };
    crowd::client_rate_limiter limiter(at_seconds(0));
    CHECK_FALSE(limiter.current().enabled);
    for (auto const& r : rows) {
        INFO("t = " << r.time);
        limiter.update(at_seconds(r.time), r.throttled);
        auto const s = limiter.current();
        CHECK(s.measured_rate == Approx(r.measured_rate).margin(1e-9));
        CHECK(s.fill_rate == Approx(r.fill_rate).epsilon(1e-9));
    }
    CHECK(limiter.current().enabled);
}

TEST_CASE("after a throttle, attempts wait for tokens and are spaced, not sent together", "[retry][adaptive]")
{
    crowd::client_rate_limiter limiter(at_seconds(0));
    CHECK(limiter.acquire(at_seconds(0.5)) == 0ms);  // no throttle yet: nothing is held back
    // Throttled at 1 s having sent 1 attempt a second (measured 0.8 after smoothing): the
    // rate drops to 0.7 * 0.8 = 0.56 tokens a second, and the bucket is empty.
    limiter.update(at_seconds(1), true);
    CHECK(limiter.current().fill_rate == Approx(0.56));
    CHECK(limiter.acquire(at_seconds(1)) == 1786ms);  // 1 / 0.56 s, rounded up
    CHECK(limiter.acquire(at_seconds(1)) == 3572ms);  // the next one waits behind it
}

TEST_CASE("an adaptive client waits out the limiter before a retry, on its clock", "[retry][adaptive]")
{
    fake_transport fake;
    fake.respond(429).respond(200, completed);
    manual_clock clock;
    crowd::adaptive_retry policy(crowd::standard_retry({}, [] { return 0.5; }));
    auto client = client_with_policy(fake, clock, policy);
    REQUIRE(client.get<fn::sentiment_analysis>(t1));
    // 500 ms of back-off (0.5 * 1 s), then the limiter: enabled by the 429 at 0.5 tokens a
    // second with an empty bucket, it has 0.25 tokens after the back-off and holds the
    // attempt 1.5 s for the rest.
    CHECK(clock.waits() == std::vector<std::chrono::milliseconds>{500ms, 1500ms});
    CHECK(fake.requests().at(1).fields.find("X-Amz-Date") == "20261128T000002Z");  // signed after the wait
}

TEST_CASE("clients given copies of one adaptive policy slow down together", "[retry][adaptive]")
{
    manual_clock clock;
    crowd::adaptive_retry shared(crowd::standard_retry({.max_attempts = 1}, [] { return 0.5; }));
    fake_transport throttled;
    throttled.respond(429);
    fake_transport other;
    other.respond(200, completed);
    auto first = client_with_policy(throttled, clock, shared);
    auto second = client_with_policy(other, clock, shared);
    CHECK(first.get<fn::sentiment_analysis>(t1).error() == crowd::errc::throttled);
    REQUIRE(second.get<fn::sentiment_analysis>(t1));
    // The second client never saw a 429, yet its first attempt waited for a token.
    REQUIRE(clock.waits().size() == 1);
    CHECK(clock.waits().front() == 2000ms);  // an empty bucket filling at 0.5 tokens a second
    CHECK(shared.limiter().current().enabled);
}

TEST_CASE("the standard mode never holds an attempt back", "[retry][adaptive]")
{
    fake_transport fake;
    fake.respond(429).respond(429).respond(200, completed);
    manual_clock clock;
    auto client = client_with_policy(fake, clock, crowd::aws_retry(crowd::standard_retry({}, [] { return 0.5; })));
    REQUIRE(client.get<fn::sentiment_analysis>(t1));
    CHECK(clock.waits() == std::vector<std::chrono::milliseconds>{500ms, 1000ms});  // back-off only
}
