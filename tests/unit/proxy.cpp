// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// Which proxy a connection takes: NO_PROXY as curl reads it, the variables per scheme,
// proxy URLs with credentials, and the ones refused.
#include <mturk/crowd/proxy.hpp>

#include "test_environment.hpp"

#include <catch.hpp>

#include <map>
#include <string>

namespace crowd = mturk::crowd;

namespace {

using test_environment::env_of;

crowd::endpoint service(bool secure = true, std::string host = "crowd.us-east-1.amazonaws.com", std::uint16_t port = 443)
{
    return {.secure = secure, .host = std::move(host), .port = port, .base_path = {}};
}

}  // namespace

TEST_CASE("NO_PROXY matches as curl's does", "[proxy]")
{
    struct row {
        char const* list;
        char const* host;
        std::uint16_t port;
        bool matches;
    };
    row const rows[] = {
        {"*", "anything.example", 443, true},
        {"example.com", "example.com", 443, true},
        {"example.com", "api.example.com", 443, true},        // names under it
        {".example.com", "api.example.com", 443, true},       // a leading dot is the same
        {".example.com", "example.com", 443, true},
        {"example.com", "badexample.com", 443, false},        // a suffix, not a name under it
        {"EXAMPLE.com", "Api.Example.COM", 443, true},        // no case
        {"example.com:8443", "example.com", 443, false},      // that port only
        {"example.com:8443", "example.com", 8443, true},
        {"localhost, 127.0.0.1", "127.0.0.1", 80, true},      // commas and blanks
        {"localhost 127.0.0.1", "localhost", 80, true},
        {"10.0.0.0/8", "10.1.2.3", 443, true},                // networks
        {"10.0.0.0/8", "11.1.2.3", 443, false},
        {"192.168.1.0/24", "192.168.1.77", 443, true},
        {"fd00::/8", "fd00:ec2::254", 80, true},
        {"[::1]", "::1", 80, true},
        {"[::1]:8080", "::1", 80, false},
        {"0.0.0.1", "10.0.0.1", 443, false},                 // an address matches only itself
        {"*.example.com", "api.example.com", 443, false},    // '*' only alone, as curl
        {"", "example.com", 443, false},
    };
    for (auto const& r : rows) {
        INFO(r.list << " vs " << r.host << ":" << r.port);
        CHECK(crowd::no_proxy_matches(r.list, r.host, r.port) == r.matches);
    }
}

TEST_CASE("the proxy of a connection comes from the scheme's variable unless NO_PROXY exempts it", "[proxy]")
{
    // https endpoints read https_proxy, then HTTPS_PROXY; http ones http_proxy, HTTP_PROXY.
    auto https = crowd::proxy_for(service(), std::nullopt,
                                  env_of({{"HTTPS_PROXY", "http://proxy.corp:3128"}, {"HTTP_PROXY", "http://other:1"}}));
    REQUIRE(https);
    REQUIRE(*https);
    CHECK((*https)->where.host == "proxy.corp");
    CHECK((*https)->where.port == 3128);
    CHECK((*https)->authorization.empty());
    auto lower_first = crowd::proxy_for(
        service(), std::nullopt, env_of({{"https_proxy", "http://lower:1"}, {"HTTPS_PROXY", "http://upper:2"}}));
    CHECK((*lower_first)->where.host == "lower");
    auto http = crowd::proxy_for(service(false, "localhost", 8080), std::nullopt,
                                 env_of({{"HTTPS_PROXY", "http://secure-only:1"}, {"http_proxy", "plain:3128"}}));
    CHECK((*http)->where.host == "plain");  // no scheme: http
    CHECK((*http)->where.port == 3128);
    CHECK(!*crowd::proxy_for(service(), std::nullopt, env_of({})));
    CHECK(!*crowd::proxy_for(service(), std::nullopt,
                             env_of({{"HTTPS_PROXY", "http://proxy:3128"}, {"NO_PROXY", ".amazonaws.com"}})));
    CHECK(!*crowd::proxy_for(service(), std::nullopt,
                             env_of({{"HTTPS_PROXY", "http://proxy:3128"}, {"no_proxy", "*"}})));

    // Port 1080 when absent, as curl; user and password %-decoded into Basic credentials,
    // and never shown.
    auto with_user = crowd::proxy_for(service(), std::nullopt, env_of({{"HTTPS_PROXY", "http://al%40ice:p%3Ass@proxy"}}));
    REQUIRE(with_user);
    CHECK((*with_user)->where.port == 1080);
    CHECK((*with_user)->authorization == "Basic YWxAaWNlOnA6c3M=");  // base64("al@ice:p:ss")
    CHECK((*with_user)->url_for_logs == "http://al%40ice:<redacted>@proxy:1080");

    // In code: instead of the environment; an empty URL means none.
    auto coded = crowd::proxy_for(service(), crowd::proxy_settings{.url = "http://coded:8080"},
                                  env_of({{"HTTPS_PROXY", "http://env:1"}}));
    CHECK((*coded)->where.host == "coded");
    CHECK(!*crowd::proxy_for(service(), crowd::proxy_settings{}, env_of({{"HTTPS_PROXY", "http://env:1"}})));
    CHECK(!*crowd::proxy_for(service(), crowd::proxy_settings{.url = "http://coded:8080", .no_proxy = "amazonaws.com"},
                             env_of({})));
}

TEST_CASE("proxy URLs the transport cannot use are refused, naming where they came from", "[proxy]")
{
    struct row {
        char const* url;
        char const* says;
    };
    row const rows[] = {
        {"https://proxy:3128", "HTTPS_PROXY: an https:// proxy (TLS to the proxy) is not supported"},
        {"socks5://proxy:1080", "HTTPS_PROXY: a socks5:// proxy is not supported"},
        {"http://proxy:3128/path", "a proxy URL has no path"},
        {"http://proxy:99999", "the port is not a number"},
        {"http://u:%zz@proxy:1", "bad %-escape"},
    };
    for (auto const& r : rows) {
        INFO(r.url);
        auto const got = crowd::proxy_for(service(), std::nullopt, env_of({{"HTTPS_PROXY", r.url}}));
        REQUIRE(got.has_error());
        CHECK(got.error() == crowd::errc::invalid_configuration);
        CHECK(got.error().detail().find(r.says) != std::string_view::npos);
        CHECK(got.error().detail().find("zz") == std::string_view::npos);  // no password in errors
    }
}
