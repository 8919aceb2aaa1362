// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#include <mturk/crowd/http_text.hpp>

#include <mturk/crowd/detail/iso8601.hpp>

#include <catch.hpp>

namespace crowd = mturk::crowd;

TEST_CASE("request text round-trips, continuation lines and body included", "[http_text]")
{
    std::string const text = "PUT /a/b HTTP/1.1\nHost:example.com\nX-Multi:one\n  two\nX-Spaces:  padded  \n\n{\"x\":\n1}";
    auto const r = crowd::parse_http_text(text);
    REQUIRE(r);
    CHECK(r->method == crowd::http_method::put);
    CHECK(r->target == "/a/b");
    CHECK(r->fields.size() == 3);
    CHECK(r->fields.find("x-multi") == "one\n  two");
    CHECK(r->fields.find("X-Spaces") == "  padded  ");
    CHECK(r->body == "{\"x\":\n1}");
    CHECK(crowd::to_http_text(*r) == text);
}

TEST_CASE("request text errors name the line", "[http_text]")
{
    CHECK(crowd::parse_http_text("").error() == crowd::errc::invalid_request);
    CHECK(crowd::parse_http_text("FETCH / HTTP/1.1\n").error().detail() == "line 1: unknown method \"FETCH\"");
    CHECK(crowd::parse_http_text("GET / HTTP/1.1\nno colon here\n").error().detail() ==
          "line 2: expected \"Name:value\"");
    CHECK(crowd::parse_http_text("GET / HTTP/1.1\n continuation\n").error().detail() ==
          "line 2: a continuation line before any field");
}

TEST_CASE("ISO 8601 UTC timestamps in the forms AWS writes", "[iso8601]")
{
    using crowd::detail::parse_iso8601_utc;
    auto const t = std::chrono::sys_days{std::chrono::year{2019} / 3 / 14} + std::chrono::hours(2) +
                   std::chrono::minutes(18) + std::chrono::seconds(57);
    CHECK(parse_iso8601_utc("2019-03-14T02:18:57Z") == t);
    CHECK(parse_iso8601_utc("2019-03-14T02:18:57.123Z") == t);
    CHECK(parse_iso8601_utc("2019-03-14T02:18:57+00:00") == t);
    for (char const* bad : {"", "2019-03-14", "2019-03-14T02:18:57", "2019-02-30T00:00:00Z", "2019-03-14T24:00:00Z",
                            "2019-03-14T02:18:57+01:00", "2019-03-14T02:18:57.Z", "20190314T021857Z"}) {
        INFO(bad);
        CHECK(!parse_iso8601_utc(bad));
    }
}
