// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#include <mturk/crowd/http_message.hpp>
#include <mturk/crowd/service_response.hpp>

#include <catch.hpp>

namespace crowd = mturk::crowd;

TEST_CASE("http_fields find names without regard to case and keep order", "[http]")
{
    crowd::http_fields fields;
    fields.add("Host", "crowd.us-east-1.amazonaws.com");
    fields.add("X-Amz-Meta", "a");
    fields.add("x-amz-meta", "b");
    CHECK(fields.find("HOST") == "crowd.us-east-1.amazonaws.com");
    CHECK(fields.find("x-AMZ-meta") == "a");  // the first of a repeated name
    CHECK(!fields.find("authorization"));
    CHECK(fields.size() == 3);

    fields.set("X-AMZ-META", "c");  // replaces both, in the first one's place
    CHECK(fields.size() == 2);
    CHECK(fields.find("x-amz-meta") == "c");
    CHECK(fields.erase("host") == 1);
    CHECK(!fields.contains("Host"));
    CHECK(fields.begin()->name == "X-Amz-Meta");
    fields.set("New", "appended");
    CHECK((fields.begin() + 1)->name == "New");
}

TEST_CASE("http_response finds the request id the service sends", "[http]")
{
    crowd::http_response response;
    CHECK(!response.request_id());
    response.fields.add("x-amz-request-id", "s3-style");
    CHECK(response.request_id() == "s3-style");
    response.fields.add("X-Amzn-RequestId", "3f1c-api-gateway");
    CHECK(response.request_id() == "3f1c-api-gateway");
}

TEST_CASE("methods print as HTTP spells them", "[http]")
{
    CHECK(crowd::to_string(crowd::http_method::get) == "GET");
    CHECK(crowd::to_string(crowd::http_method::put) == "PUT");
    CHECK(crowd::to_string(crowd::http_method::delete_) == "DELETE");
}

TEST_CASE("http_fields keep every name and value in one buffer, reused", "[http]")
{
    crowd::http_fields fields;
    fields.reserve(4, 256);
    fields.add("Authorization", std::string(200, 'a'));
    fields.add("X-Amz-Date", "20261205T120000Z");
    fields.set("authorization", "short");  // shorter: written in place
    CHECK(fields.find("Authorization") == "short");
    fields.set("Authorization", std::string(300, 'b'));  // longer: appended, the old bytes left unused
    CHECK(fields.find("authorization") == std::string(300, 'b'));
    CHECK(fields.find("x-amz-date") == "20261205T120000Z");

    // A value that is a view of the fields' own buffer, as `set(a, *find(b))` passes.
    fields.set("X-Copy", *fields.find("X-Amz-Date"));
    CHECK(fields.find("X-Copy") == "20261205T120000Z");
    fields.set("X-Amz-Date", *fields.find("Authorization"));  // longer, and from the buffer being grown
    CHECK(fields.find("X-Amz-Date") == std::string(300, 'b'));

    // Re-signing many times does not grow the buffer without bound: unused bytes are
    // dropped once they are most of it, and the fields read the same after.
    for (int i = 0; i != 1000; ++i)
        fields.set("Authorization", std::string(static_cast<std::size_t>(200 + i % 150), 'c'));
    CHECK(fields.find("Authorization") == std::string(200 + 999 % 150, 'c'));
    CHECK(fields.find("X-Copy") == "20261205T120000Z");
    CHECK(fields.size() == 3);

    // A name that is a view of the buffer, given with a value that makes it grow.
    fields.add("authorization", "second");  // removed by the set below, by the name it is given
    fields.set(fields.begin()->name, std::string(2000, 'd'));
    CHECK(fields.find("AUTHORIZATION") == std::string(2000, 'd'));
    fields.set("Authorization", std::string(200 + 999 % 150, 'c'));
    CHECK(fields.size() == 3);

    crowd::http_fields copy = fields;
    CHECK(copy == fields);
    copy.set("X-Copy", "other");
    CHECK(copy != fields);

    fields.clear();
    CHECK(fields.empty());
    CHECK(!fields.find("Authorization"));
    fields.add("Host", "example.com");
    CHECK(fields.begin()->name == "Host");
    CHECK(fields.begin()->value == "example.com");
    CHECK(std::distance(fields.begin(), fields.end()) == 1);
}

TEST_CASE("HTTP dates: one formatter, read back by the parser", "[http]")
{
    using namespace std::chrono;
    CHECK(crowd::format_http_date(sys_days{year{1994} / 11 / 6} + 8h + 49min + 37s) == "Sun, 06 Nov 1994 08:49:37 GMT");
    CHECK(crowd::format_http_date(sys_days{year{2026} / 12 / 5}) == "Sat, 05 Dec 2026 00:00:00 GMT");
    // Every day of four years (a leap year among them) at a changing time of day.
    sys_seconds t = sys_days{year{2024} / 1 / 1} + 1s;
    for (int day = 0; day < 4 * 366; ++day, t += days{1} + 61s) {
        auto const text = crowd::format_http_date(t);
        INFO(text);
        CHECK(crowd::parse_http_date(text) == t);
    }
}
