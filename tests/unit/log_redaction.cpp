// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// Log lines of requests and responses keep what one debugs with and lose what one could
// act with: a signed request, signed again here, logged, and searched for its secrets.
#include <mturk/crowd/log_redaction.hpp>

#include <mturk/crowd/sigv4/signer.hpp>

#include <catch.hpp>

#include <chrono>
#include <string>

namespace crowd = mturk::crowd;

TEST_CASE("log redaction: a signed request logs without its signature or token", "[log]")
{
    crowd::http_request request;
    request.method = crowd::http_method::put;
    request.target = "/123456789012/functions/sentiment-analysis/tasks/t1";
    request.fields.add("Host", "crowd.us-east-1.amazonaws.com");
    request.fields.add("Content-Type", "application/json");
    request.body = R"({"input":{"text":"private words"}})";
    auto const creds = crowd::sigv4::credentials::make("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                                       "session-token-value")
                           .value();
    crowd::sigv4::signer signer;
    crowd::sigv4::signature_details details;
    REQUIRE(signer.sign(request, creds, {.region = "us-east-1", .service = "crowd",
                                         .time = std::chrono::sys_days{std::chrono::year{2026} / 11 / 28}},
                        &details));
    auto const text = crowd::to_loggable_text(request);
    INFO(text);
    CHECK(text.starts_with("> PUT /123456789012/functions/sentiment-analysis/tasks/t1 HTTP/1.1\n"));
    CHECK(text.find("> Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/crowd/aws4_request, "
                    "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=<redacted>\n") !=
          std::string::npos);
    CHECK(text.find("> X-Amz-Security-Token: <redacted>\n") != std::string::npos);
    CHECK(text.find("> (34 bytes of body)\n") != std::string::npos);
    CHECK(text.find(details.signature) == std::string::npos);
    CHECK(text.find("session-token-value") == std::string::npos);
    CHECK(text.find("private words") == std::string::npos);
    CHECK(text.find("wJalrXUtnFEMI") == std::string::npos);
}

TEST_CASE("log redaction: presigned targets, secret-like names, responses", "[log]")
{
    CHECK(crowd::loggable_target("/a/b") == "/a/b");
    CHECK(crowd::loggable_target("/a?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc123&x-amz-security-token=t&b=") ==
          "/a?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=<redacted>&x-amz-security-token=<redacted>&b=");
    CHECK(crowd::loggable_field_value("authorization", "Bearer xyz") == "<redacted>");
    CHECK(crowd::loggable_field_value("X-Client-Secret", "s") == "<redacted>");
    CHECK(crowd::loggable_field_value("Set-Cookie", "id=1") == "<redacted>");
    CHECK(crowd::loggable_field_value("Content-Type", "application/json") == "application/json");

    crowd::http_response response;
    response.status = 429;
    response.fields.add("Retry-After", "2");
    response.fields.add("Set-Cookie", "session=abc");
    CHECK(crowd::to_loggable_text(response) == "< HTTP/1.1 429\n< Retry-After: 2\n< Set-Cookie: <redacted>\n");
}
