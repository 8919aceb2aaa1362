// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The signer against the reference suites in tests/data: every case, and for each
// the canonical request, the string to sign, the signature and the signed request.
#include <mturk/crowd/sigv4/signer.hpp>

#include <mturk/crowd/http_text.hpp>
#include <mturk/crowd/sigv4/signing_context.hpp>

#include "test_data.hpp"

#include <catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace crowd = mturk::crowd;
namespace sigv4 = mturk::crowd::sigv4;
namespace fs = std::filesystem;

namespace {

crowd::http_request read_request(fs::path const& file)
{
    auto parsed = crowd::parse_http_text(test_data::read(file));
    INFO(file.string());
    REQUIRE(parsed);
    return std::move(*parsed);
}

sigv4::signing_context read_context(fs::path const& file)
{
    auto parsed = sigv4::parse_signing_context(test_data::read(file));
    INFO(file.string());
    REQUIRE(parsed);
    return std::move(*parsed);
}

/// A signed request compared field by field: the request line and body exactly, the
/// original fields in order, and the fields the signer added as a set. The suites
/// disagree on the order of the added fields (aws-c-auth puts X-Amz-Security-Token
/// before X-Amz-Date, the crowd vectors after; botocore writes "Authorization: " with
/// a space), and HTTP gives that order no meaning.
struct signed_shape {
    std::string request_line;
    std::vector<std::pair<std::string, std::string>> original;
    std::vector<std::pair<std::string, std::string>> added;
    std::string body;
};

signed_shape shape_of(crowd::http_request const& signed_request, std::size_t original_count)
{
    signed_shape s;
    s.request_line = std::string(crowd::to_string(signed_request.method)) + " " + signed_request.target;
    std::size_t i = 0;
    for (auto const& f : signed_request.fields) {
        std::string value(f.value);
        if (i >= original_count) {
            value.erase(0, value.find_first_not_of(' '));
            s.added.emplace_back(crowd::detail::iequals(f.name, "x-amz-content-sha256") ? "x-amz-content-sha256" : f.name,
                                 value);
        } else {
            s.original.emplace_back(f.name, value);
        }
        ++i;
    }
    std::sort(s.added.begin(), s.added.end());
    s.body = signed_request.body;
    return s;
}

void check_same_shape(crowd::http_request const& actual, crowd::http_request const& expected, std::size_t original_count)
{
    auto const a = shape_of(actual, original_count);
    auto const e = shape_of(expected, original_count);
    CHECK(a.request_line == e.request_line);
    CHECK(a.original == e.original);
    CHECK(a.added == e.added);
    CHECK(a.body == e.body);
}

}  // namespace

TEST_CASE("crowd-sigv4: every vector, byte for byte", "[sigv4][conformance]")
{
    auto const cases = test_data::folders(test_data::root() / "crowd-sigv4");
    REQUIRE(cases.size() == 40);
    sigv4::signer signer;
    for (auto const& dir : cases) {
        INFO("vector " << dir.filename().string());
        auto const context = read_context(dir / "context.json");
        auto request = read_request(dir / "request.txt");
        sigv4::signature_details details;
        auto const signed_ok = signer.sign(request, context.credentials, context.params(), &details);
        REQUIRE(signed_ok);
        CHECK(details.canonical_request == test_data::read(dir / "canonical-request.txt"));
        CHECK(details.string_to_sign == test_data::read(dir / "string-to-sign.txt"));
        CHECK(details.signature == test_data::read(dir / "signature.txt"));
        CHECK(crowd::to_http_text(request) == test_data::read(dir / "signed-request.txt"));
    }
}

TEST_CASE("aws-c-auth v4 suite: header signing, every case", "[sigv4][conformance]")
{
    auto const cases = test_data::folders(test_data::root() / "sigv4-suite" / "aws-c-auth" / "v4");
    REQUIRE(cases.size() == 38);
    sigv4::signer signer;
    for (auto const& dir : cases) {
        INFO("case " << dir.filename().string());
        auto const context = read_context(dir / "context.json");
        auto request = read_request(dir / "request.txt");
        std::size_t const original_count = request.fields.size();
        sigv4::signature_details details;
        REQUIRE(signer.sign(request, context.credentials, context.params(), &details));
        CHECK(details.canonical_request == test_data::read(dir / "header-canonical-request.txt"));
        CHECK(details.string_to_sign == test_data::read(dir / "header-string-to-sign.txt"));
        CHECK(details.signature == test_data::read(dir / "header-signature.txt"));
        check_same_shape(request, read_request(dir / "header-signed-request.txt"), original_count);
    }
}

TEST_CASE("aws-c-auth v4 suite: query (presigned URL) signing, every case", "[sigv4][conformance]")
{
    auto const cases = test_data::folders(test_data::root() / "sigv4-suite" / "aws-c-auth" / "v4");
    REQUIRE(cases.size() == 38);
    sigv4::signer signer;
    for (auto const& dir : cases) {
        INFO("case " << dir.filename().string());
        auto const context = read_context(dir / "context.json");
        REQUIRE(context.expiration);
        auto request = read_request(dir / "request.txt");
        sigv4::signature_details details;
        REQUIRE(signer.presign(request, context.credentials, context.params(), *context.expiration, &details));
        CHECK(details.canonical_request == test_data::read(dir / "query-canonical-request.txt"));
        CHECK(details.string_to_sign == test_data::read(dir / "query-string-to-sign.txt"));
        CHECK(details.signature == test_data::read(dir / "query-signature.txt"));
        CHECK(crowd::to_http_text(request) == test_data::read(dir / "query-signed-request.txt"));
    }
}

TEST_CASE("botocore aws4_testsuite: every case", "[sigv4][conformance]")
{
    fs::path const suite = test_data::root() / "sigv4-suite" / "botocore" / "aws4_testsuite";
    std::vector<fs::path> cases;
    for (auto const& entry : fs::recursive_directory_iterator(suite))
        if (entry.path().extension() == ".req")
            cases.push_back(entry.path().parent_path());
    std::sort(cases.begin(), cases.end());
    REQUIRE(cases.size() == 34);

    // The suite's common inputs (sigv4-suite/README.md); the token, where one is used,
    // is the x-amz-security-token of the expected canonical request, or for
    // post-sts-header-after the one post-sts-token/readme.txt gives.
    std::string const readme = test_data::read(suite / "post-sts-token" / "readme.txt");
    std::string const readme_token = readme.substr(readme.rfind("AQoDYXdzEPT"));
    sigv4::signer signer;
    for (auto const& dir : cases) {
        std::string const name = dir.filename().string();
        INFO("case " << name);
        auto const file = [&](char const* extension) { return dir / (name + extension); };
        std::string const creq = test_data::read(file(".creq"));
        bool const token_after = name == "post-sts-header-after";
        std::string token;
        if (auto at = creq.find("x-amz-security-token:"); at != std::string::npos)
            token = creq.substr(at + 21, creq.find('\n', at) - at - 21);
        if (token_after)
            token = readme_token.substr(0, readme_token.find_last_not_of("\n ") + 1);
        auto const creds =
            sigv4::credentials::make("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token).value();
        sigv4::signing_params const params{.region = "us-east-1",
                                           .service = "service",
                                           .time = std::chrono::sys_days{std::chrono::year{2015} / 8 / 30} +
                                                   std::chrono::hours(12) + std::chrono::minutes(36),
                                           .sign_session_token = !token_after};
        auto request = read_request(file(".req"));
        std::size_t const original_count = request.fields.size();
        sigv4::signature_details details;
        REQUIRE(signer.sign(request, creds, params, &details));
        CHECK(details.canonical_request == creq);
        CHECK(details.string_to_sign == test_data::read(file(".sts")));
        std::string const authz = test_data::read(file(".authz"));
        CHECK(request.fields.find("Authorization") == authz);

        auto expected = read_request(file(".sreq"));
        if (name == "get-vanilla-with-session-token") {
            // Upstream error: this .sreq carries get-vanilla's signature, not the one its
            // own .authz (and aws-c-auth's copy of the case) gives. Prove that it still
            // disagrees, then compare the rest with the .authz value in place.
            CHECK(expected.fields.find("Authorization").value_or("").find(authz) == std::string_view::npos);
            expected.fields.set("Authorization", authz);
        }
        check_same_shape(request, expected, original_count);
    }
}
