// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#include <mturk/crowd/sigv4/signer.hpp>

#include <mturk/crowd/http_text.hpp>

#include <catch.hpp>

#include <chrono>
#include <sstream>
#include <string>

namespace crowd = mturk::crowd;
namespace sigv4 = mturk::crowd::sigv4;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

sigv4::credentials example_credentials(std::string token = {})
{
    return sigv4::credentials::make("AKIDEXAMPLE", std::string(secret), std::move(token)).value();
}

std::chrono::sys_seconds at(int day, int hour = 12)
{
    return std::chrono::sys_days{std::chrono::year{2015} / 8 / day} + std::chrono::hours(hour);
}

crowd::http_request crowd_put()
{
    crowd::http_request r;
    r.method = crowd::http_method::put;
    r.target = "/123456789012/functions/sentiment-analysis/tasks/t1";
    r.fields.add("Host", "crowd.us-east-1.amazonaws.com");
    r.fields.add("Content-Type", "application/json");
    r.body = R"({"input":{"text":"Everything is wonderful."}})";
    return r;
}

sigv4::signing_params params_at(std::chrono::sys_seconds time)
{
    return {.region = "us-east-1", .service = "crowd", .time = time};
}

}  // namespace

TEST_CASE("signing again replaces the signing headers instead of adding more", "[sigv4]")
{
    sigv4::signer signer;
    auto request = crowd_put();
    REQUIRE(signer.sign(request, example_credentials("token-1"), params_at(at(30))));
    auto const first = request.fields.find("Authorization").value();
    std::string const first_copy(first);
    REQUIRE(signer.sign(request, example_credentials("token-1"), params_at(at(30, 13))));
    CHECK(request.fields.size() == 5);  // Host, Content-Type, X-Amz-Date, X-Amz-Security-Token, Authorization
    CHECK(request.fields.find("X-Amz-Date") == "20150830T130000Z");
    CHECK(request.fields.find("Authorization") != first_copy);

    // ... and gives what a fresh signer gives for a fresh request.
    auto fresh = crowd_put();
    sigv4::signer other;
    REQUIRE(other.sign(fresh, example_credentials("token-1"), params_at(at(30, 13))));
    CHECK(fresh.fields.find("Authorization") == request.fields.find("Authorization"));
}

TEST_CASE("a payload hash given by the caller is used instead of hashing the body", "[sigv4]")
{
    sigv4::signer signer;
    auto request = crowd_put();
    std::string const hash = signer.payload_hash(request.body);
    CHECK(hash.size() == 64);

    auto params = params_at(at(30));
    params.payload_hash = hash;
    sigv4::signature_details with_hash;
    REQUIRE(signer.sign(request, example_credentials(), params, &with_hash));

    auto again = crowd_put();
    sigv4::signature_details hashed_here;
    REQUIRE(signer.sign(again, example_credentials(), params_at(at(30)), &hashed_here));
    CHECK(with_hash.signature == hashed_here.signature);

    // The hash really is what is signed: a different one gives a different signature.
    params.payload_hash = "0000000000000000000000000000000000000000000000000000000000000000";
    sigv4::signature_details wrong;
    REQUIRE(signer.sign(again, example_credentials(), params, &wrong));
    CHECK(wrong.signature != hashed_here.signature);
    CHECK(wrong.canonical_request.ends_with(params.payload_hash));
}

TEST_CASE("the payload hash of an empty body is SHA-256 of nothing", "[sigv4]")
{
    // Not hashed per request: a constant, which must be the digest (FIPS 180-2's test vector).
    sigv4::signer signer;
    CHECK(signer.payload_hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(signer.payload_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("the cached signing key follows the date, region, service and secret", "[sigv4]")
{
    sigv4::signer cached;
    auto const creds = example_credentials();
    auto const other_secret = sigv4::credentials::make("AKIDEXAMPLE", "another-secret").value();
    struct variant {
        sigv4::credentials const* creds;
        std::chrono::sys_seconds time;
        std::string_view region;
    };
    variant const variants[] = {{&creds, at(30), "us-east-1"},    {&creds, at(31), "us-east-1"},
                                {&creds, at(31), "eu-west-1"},    {&other_secret, at(31), "eu-west-1"},
                                {&creds, at(30), "us-east-1"},    {&other_secret, at(30), "us-east-1"},
                                {&creds, at(29), "ap-south-1"},   {&creds, at(31), "eu-west-1"}};
    for (auto const& v : variants) {
        auto a = crowd_put();
        auto b = crowd_put();
        sigv4::signing_params const p{.region = v.region, .service = "crowd", .time = v.time};
        REQUIRE(cached.sign(a, *v.creds, p));
        sigv4::signer fresh;
        REQUIRE(fresh.sign(b, *v.creds, p));
        INFO("region " << v.region);
        CHECK(a.fields.find("Authorization") == b.fields.find("Authorization"));
    }
}

TEST_CASE("requests the signer cannot sign are refused with a reason", "[sigv4]")
{
    sigv4::signer signer;
    auto no_host = crowd_put();
    no_host.fields.erase("Host");
    auto r = signer.sign(no_host, example_credentials(), params_at(at(30)));
    REQUIRE(r.has_error());
    CHECK(r.error() == crowd::errc::invalid_request);
    CHECK(r.error().detail().find("Host") != std::string_view::npos);
    CHECK(!no_host.fields.contains("Authorization"));

    auto absolute = crowd_put();
    absolute.target = "https://crowd.us-east-1.amazonaws.com/x";
    CHECK(signer.sign(absolute, example_credentials(), params_at(at(30))).error() == crowd::errc::invalid_request);

    auto bad_hash = crowd_put();
    auto params = params_at(at(30));
    params.payload_hash = "ABC";
    CHECK(signer.sign(bad_hash, example_credentials(), params).error() == crowd::errc::invalid_request);
    // 64 characters, but not all lower-case hex digits.
    params.payload_hash = "E3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    CHECK(signer.sign(bad_hash, example_credentials(), params).error() == crowd::errc::invalid_request);
    params.payload_hash = "g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    CHECK(signer.sign(bad_hash, example_credentials(), params).error() == crowd::errc::invalid_request);

    auto presigned = crowd_put();
    CHECK(signer.presign(presigned, example_credentials(), params_at(at(30)), 0s).error() ==
          crowd::errc::invalid_request);
    CHECK(signer.presign(presigned, example_credentials(), params_at(at(30)), 604801s).error() ==
          crowd::errc::invalid_request);
    CHECK(signer.presign(presigned, example_credentials(), params_at(at(30)), 604800s));
}

TEST_CASE("User-Agent and the other unsigned headers are sent but not signed", "[sigv4]")
{
    sigv4::signer signer;
    auto request = crowd_put();
    request.fields.add("User-Agent", "mturk-crowd-cpp/0.1");
    sigv4::signature_details details;
    REQUIRE(signer.sign(request, example_credentials(), params_at(at(30)), &details));
    CHECK(details.canonical_request.find("user-agent") == std::string::npos);
    CHECK(request.fields.find("Authorization")->find("SignedHeaders=content-type;host;x-amz-date,") !=
          std::string_view::npos);

    auto params = params_at(at(30));
    std::string_view const none[] = {"x-nothing"};
    params.unsigned_headers = none;
    REQUIRE(signer.sign(request, example_credentials(), params, &details));
    CHECK(details.canonical_request.find("user-agent:mturk-crowd-cpp/0.1\n") != std::string::npos);
}

TEST_CASE("credentials refuse half credentials and never print secrets", "[sigv4][credentials]")
{
    auto const no_secret = sigv4::credentials::make("AKIDEXAMPLE", "");
    REQUIRE(no_secret.has_error());
    CHECK(no_secret.error() == crowd::errc::invalid_credentials);
    CHECK(no_secret.error() == crowd::condition::credentials_error);
    CHECK(no_secret.error().detail().find("AKIDEXAMPLE") != std::string_view::npos);
    CHECK(sigv4::credentials::make("", "secret").error() == crowd::errc::invalid_credentials);
    CHECK(sigv4::credentials::make("AKID EXAMPLE", "secret").error() == crowd::errc::invalid_credentials);
    CHECK(sigv4::credentials::make("AKID", "sec\nret").error() == crowd::errc::invalid_credentials);

    auto const creds = example_credentials("the-session-token");
    std::ostringstream printed;
    printed << creds << ' ' << creds.secret_access_key() << ' ' << creds.session_token();
    CHECK(printed.str().find("AKIDEXAMPLE") != std::string::npos);
    CHECK(printed.str().find(std::string(secret)) == std::string::npos);
    CHECK(printed.str().find("the-session-token") == std::string::npos);
    CHECK(printed.str().find("<redacted>") != std::string::npos);
}

TEST_CASE("signature details are the same whether asked for or not", "[sigv4]")
{
    sigv4::signer signer;
    auto a = crowd_put();
    auto b = crowd_put();
    sigv4::signature_details details;
    REQUIRE(signer.sign(a, example_credentials(), params_at(at(30)), &details));
    REQUIRE(signer.sign(b, example_credentials(), params_at(at(30))));
    CHECK(a.fields.find("Authorization") == b.fields.find("Authorization"));
    CHECK(a.fields.find("Authorization")->ends_with(details.signature));
}
