// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#include <mturk/crowd/http_message.hpp>

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
