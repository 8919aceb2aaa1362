// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// Every misconfiguration says what to do: the setting, where its value came from, and the
// likely fix, over HTTPS and plain HTTP to crowd-emulator.
#include <mturk/crowd/beast_client.hpp>
#include <mturk/crowd/functions.hpp>

#include "fake_client.hpp"
#include "running_emulator.hpp"
#include "test_environment.hpp"
#include "test_pki.hpp"

#include <catch.hpp>

#include <map>
#include <string>

namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;

namespace {

// A named constant, not a temporary in the initializer: clang 14 crashes generating code
// for a consteval temporary inside a larger expression (docs/testing.md).
constexpr mturk::crowd::account_id test_account{"123456789012"};

running_emulator tls_emulator(std::string const& tag)
{
    auto const& pki = test_pki::shared();
    return running_emulator({"--port", "0", "--tls-cert", write_file("cert-" + tag + ".pem", pki.localhost.certificate_pem),
                             "--tls-key", write_file("key-" + tag + ".pem", pki.localhost.key_pem)});
}

/// A client whose settings come from `env` (as a user's shell gives them), one attempt.
crowd::result<crowd::client> client_from(std::map<std::string, std::string> env)
{
    env.emplace("AWS_MAX_ATTEMPTS", "1");
    env.emplace("AWS_CA_BUNDLE", test_pki::ca_file());
    return crowd::make_client(
        {.account = test_account,
         .credentials = [] { return crowd::sigv4::credentials::make("AKIDCROWDEMULATOR", "crowd-emulator-secret"); },
         .env = test_environment::env_of(std::move(env))});
}

std::string port_of(std::string const& url)
{
    return url.substr(url.rfind(':') + 1);
}

using fake_client::t1;

}  // namespace

TEST_CASE("a region that is not the endpoint's names the signing region and where it came from", "[e2e][misconfiguration]")
{
    auto service = tls_emulator("region");
    auto client = client_from({{"AWS_REGION", "eu-west-1"}, {"AWS_ENDPOINT_URL_CROWD", service.url()}}).value();
    auto const refused = client.get<fn::sentiment_analysis>(t1);
    REQUIRE(refused.has_error());
    CHECK(refused.error() == crowd::errc::access_denied);
    CHECK(refused.error().detail().find("Credential should be scoped to a valid region") != std::string_view::npos);
    std::string const hint(refused.error().hint());
    INFO(hint);
    CHECK(hint.find("signed for region eu-west-1 (env AWS_REGION)") != std::string::npos);
    CHECK(hint.find("the endpoint " + service.url() + " (env AWS_ENDPOINT_URL_CROWD)") != std::string::npos);
    CHECK(refused.error().what().ends_with("(" + hint + ")"));
}

TEST_CASE("an endpoint with a path prefix: the 404 says so", "[e2e][misconfiguration]")
{
    auto service = tls_emulator("prefix");
    auto client = client_from({{"AWS_ENDPOINT_URL_CROWD", service.url() + "/prod"}}).value();
    auto const refused = client.create<fn::sentiment_analysis>(t1, {.text = "x"});
    REQUIRE(refused.has_error());
    CHECK(refused.error().http_status() == 404);
    std::string const hint(refused.error().hint());
    INFO(hint);
    CHECK(hint.find("has the path prefix /prod, which the service's own URLs do not") != std::string::npos);
    CHECK(hint.find("(env AWS_ENDPOINT_URL_CROWD)") != std::string::npos);

    // Without a prefix, an unknown function is named with the endpoint.
    auto plain = client_from({{"AWS_ENDPOINT_URL_CROWD", service.url()}}).value();
    auto const unknown = plain.create("no-such-function", t1, boost::json::object{{"text", "x"}});
    REQUIRE(unknown.has_error());
    CHECK(unknown.error() == crowd::errc::unknown_function);
    CHECK(unknown.error().hint().find("no function no-such-function at the endpoint") != std::string_view::npos);
}

TEST_CASE("a scheme that is not the server's is named as the likely fault", "[e2e][misconfiguration]")
{
    auto tls = tls_emulator("scheme");
    auto plain_to_tls = client_from({{"AWS_ENDPOINT_URL_CROWD", "http://127.0.0.1:" + port_of(tls.url())}}).value();
    auto const first = plain_to_tls.get<fn::sentiment_analysis>(t1);
    REQUIRE(first.has_error());
    INFO(first.error().what());
    CHECK(first.error().http_status() == 0);
    CHECK(first.error().hint().find("if it speaks HTTPS, the endpoint should start with https://") !=
          std::string_view::npos);
    CHECK(first.error().hint().find("(env AWS_ENDPOINT_URL_CROWD)") != std::string_view::npos);

    running_emulator plain({"--port", "0"});
    auto tls_to_plain = client_from({{"AWS_ENDPOINT_URL_CROWD", "https://127.0.0.1:" + port_of(plain.url())}}).value();
    auto const second = tls_to_plain.get<fn::sentiment_analysis>(t1);
    REQUIRE(second.has_error());
    INFO(second.error().what());
    CHECK(second.error().hint().find("the server did not answer in TLS: if it serves plain HTTP, the endpoint should "
                                     "start with http://") != std::string_view::npos);
    CHECK(second.error().hint().find("(env AWS_ENDPOINT_URL_CROWD)") != std::string_view::npos);
}

TEST_CASE("a connection that cannot be made names the endpoint and where it came from", "[e2e][misconfiguration]")
{
    auto client = client_from({{"AWS_ENDPOINT_URL", "http://127.0.0.1:1"}}).value();
    auto const failed = client.get<fn::sentiment_analysis>(t1);
    REQUIRE(failed.has_error());
    CHECK(failed.error() == boost::system::errc::connection_refused);
    CHECK(failed.error().hint() == "check the endpoint http://127.0.0.1:1 (env AWS_ENDPOINT_URL)");
}
