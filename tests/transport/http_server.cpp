// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// transport::http_server, the server under crowd-emulator and the tests' servers: what
// it refuses to start with, and each of its actions as the Beast transport sees them.
#include <mturk/crowd/beast_client.hpp>
#include <mturk/crowd/transport/http_server.hpp>

#include "test_pki.hpp"

#include <catch.hpp>

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace crowd = mturk::crowd;
using crowd::transport::server_reply;
using namespace std::chrono_literals;

namespace {

/// A server on its own thread, answering with `handler`.
class running_server {
public:
    running_server(crowd::transport::server_options options, crowd::transport::server_handler handler)
        : server_(crowd::transport::http_server::make(io_.get_executor(), std::move(options), std::move(handler)).value())
    {
        server_.start();
        thread_ = std::thread([this] { io_.run(); });
    }
    ~running_server()
    {
        io_.stop();
        thread_.join();
    }
    crowd::transport::http_server& server() { return server_; }

private:
    boost::asio::io_context io_;
    crowd::transport::http_server server_;
    std::thread thread_;
};

crowd::transport::server_options tls_options()
{
    auto const& identity = test_pki::shared().localhost;
    return {.certificate_chain_pem = identity.certificate_pem, .private_key_pem = identity.key_pem};
}

crowd::transport::beast_transport client_of(crowd::transport::http_server const& server,
                                            crowd::transport::beast_options options = {})
{
    options.ca_file = test_pki::ca_file();
    auto const no_environment = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
    return crowd::transport::beast_transport::make(crowd::parse_endpoint(server.url()).value(), options, no_environment)
        .value();
}

crowd::http_request get(std::string target)
{
    crowd::http_request r;
    r.target = std::move(target);
    r.fields.add("Host", "127.0.0.1");
    return r;
}

server_reply ok(std::string body)
{
    server_reply r;
    r.response.status = 200;
    r.response.body = std::move(body);
    return r;
}

}  // namespace

TEST_CASE("http_server: what it cannot start with is said, not thrown", "[transport][server]")
{
    boost::asio::io_context io;
    auto const answer = [](crowd::http_request const&, crowd::transport::server_request_context const&) { return ok(""); };
    auto const refused = [&](crowd::transport::server_options options, std::string const& expected) {
        auto made = crowd::transport::http_server::make(io.get_executor(), std::move(options), answer);
        REQUIRE_FALSE(made);
        CHECK(made.error().code() == crowd::errc::invalid_configuration);
        CHECK_THAT(std::string(made.error().detail()), Catch::Contains(expected));
    };
    refused({.certificate_chain_pem = tls_options().certificate_chain_pem}, "both a certificate chain and a private key");
    refused({.certificate_chain_pem = "not PEM", .private_key_pem = tls_options().private_key_pem},
            "certificate chain cannot be used");
    refused({.certificate_chain_pem = tls_options().certificate_chain_pem, .private_key_pem = "not PEM"},
            "private key cannot be used");
    refused({.host = "localhost"}, "\"localhost\" is not an IP address");

    auto first = crowd::transport::http_server::make(io.get_executor(), {}, answer).value();
    refused({.port = first.port()}, "cannot listen on 127.0.0.1:" + std::to_string(first.port()));

    auto no_handler = crowd::transport::http_server::make(io.get_executor(), {}, {});
    REQUIRE_FALSE(no_handler);
    CHECK(no_handler.error().code() == crowd::errc::invalid_configuration);
}

TEST_CASE("http_server: answers over TLS and plain HTTP, keeping connections alive", "[transport][server]")
{
    bool const secure = GENERATE(true, false);
    std::atomic<bool> loopback{false};
    running_server s(secure ? tls_options() : crowd::transport::server_options{},
                     [&](crowd::http_request const& request, crowd::transport::server_request_context const& context) {
                         loopback = context.from_loopback;
                         return ok("{\"target\":\"" + request.target + "\"}");
                     });
    CHECK(s.server().url().starts_with(secure ? "https://127.0.0.1:" : "http://127.0.0.1:"));
    auto client = client_of(s.server());
    for (std::string target : {"/a", "/b"}) {
        auto got = client.send(get(target));
        REQUIRE(got);
        CHECK(got->status == 200);
        CHECK(got->body == "{\"target\":\"" + target + "\"}");
    }
    CHECK(loopback);
    CHECK(s.server().requests() == 2);
    CHECK(s.server().connections() == 1);
    CHECK(client.connections_opened() == 1);

    auto const url = s.server().url();
    s.server().stop();
    CHECK(s.server().url() == url);  // still says where it was, for a log line after the stop
    // stop() closes the listening socket on the server's thread: soon a new connection is refused.
    bool refused = false;
    for (int i = 0; i != 100 && !refused; ++i) {
        refused = !client_of(s.server()).send(get("/after-stop"));
        if (!refused)
            std::this_thread::sleep_for(10ms);
    }
    CHECK(refused);
}

TEST_CASE("http_server: each action is what the client sees", "[transport][server]")
{
    std::atomic<int> calls{0};
    server_reply::action next = server_reply::action::answer;
    std::chrono::milliseconds delay{0};
    running_server s(tls_options(), [&](crowd::http_request const&, crowd::transport::server_request_context const&) {
        ++calls;
        auto r = ok("{}");
        r.then = next;
        r.delay = delay;
        return r;
    });

    SECTION("answer_then_close: the next request needs a new connection, and gets one")
    {
        next = server_reply::action::answer_then_close;
        auto client = client_of(s.server());
        REQUIRE(client.send(get("/1")));
        std::this_thread::sleep_for(100ms);  // the close arrives; the client sees it before writing
        auto second = client.send(get("/2"));
        REQUIRE(second);
        CHECK_FALSE(second->resent);
        CHECK(calls == 2);
        CHECK(s.server().connections() == 2);
    }
    SECTION("close_without_answer: the client sees a request sent and no answer")
    {
        next = server_reply::action::close_without_answer;
        auto client = client_of(s.server());
        auto got = client.send(get("/dropped"));
        REQUIRE_FALSE(got);
        CHECK(got.error().progress() == crowd::request_progress::sent_no_answer);
        CHECK(calls >= 1);
    }
    SECTION("hold_without_answer: the client's time-out ends the wait")
    {
        next = server_reply::action::hold_without_answer;
        auto client = client_of(s.server(), {.request_timeout = 300ms});
        auto got = client.send(get("/held"));
        REQUIRE_FALSE(got);
        CHECK(got.error() == boost::system::errc::timed_out);
        CHECK(calls == 1);
    }
    SECTION("a delay: the answer comes late, after the delay")
    {
        delay = 200ms;
        auto client = client_of(s.server());
        auto const started = std::chrono::steady_clock::now();
        REQUIRE(client.send(get("/late")));
        CHECK(std::chrono::steady_clock::now() - started >= 200ms);
    }
}

TEST_CASE("http_server: a body over the limit gets 413, and the client sees the answer", "[transport][server]")
{
    auto options = tls_options();
    options.max_body_bytes = 1024;
    std::atomic<int> calls{0};
    running_server s(options, [&](crowd::http_request const&, crowd::transport::server_request_context const&) {
        ++calls;
        return ok("{}");
    });
    auto client = client_of(s.server());
    auto request = get("/big");
    request.method = crowd::http_method::put;
    request.body.assign(4096, 'x');
    auto got = client.send(request);
    REQUIRE(got);
    CHECK(got->status == 413);
    CHECK_THAT(got->body, Catch::Contains("larger than 1 KiB"));
    CHECK(calls == 0);
    CHECK(s.server().refused() == 1);
}
