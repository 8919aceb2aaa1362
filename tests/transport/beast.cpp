// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The Beast transport over loopback against a server started by the test, with
// certificates the test makes: trust, rejection (untrusted, expired, other host),
// keep-alive and reconnection, timeouts; and the whole client over real HTTPS.
#include <mturk/crowd/beast_client.hpp>
#include <mturk/crowd/transport/detail/timed_tcp_stream.hpp>

#include <mturk/crowd/functions.hpp>

#include "test_pki.hpp"
#include "test_server.hpp"

#include <catch.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <unistd.h>

#include <thread>

#include <algorithm>
#include <array>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>

namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {


crowd::endpoint at(std::string const& host, unsigned short port, bool secure = true)
{
    return crowd::parse_endpoint((secure ? "https://" : "http://") + host + ":" + std::to_string(port)).value();
}

crowd::http_request get_request(crowd::endpoint const& where, std::string target = "/ping")
{
    crowd::http_request r;
    r.target = std::move(target);
    r.fields.add("Host", where.host_header());
    return r;
}

crowd::transport::beast_options trusting_test_ca(std::chrono::milliseconds timeout = 10s)
{
    return {.request_timeout = timeout, .ca_file = test_pki::ca_file()};
}

crowd::environment no_environment()
{
    return [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
}

/// A server on loopback that answers the first request of one connection with `raw`, as
/// written (for answers the other test servers do not give: chunked bodies, oversized ones).
class raw_answer_server {
public:
    explicit raw_answer_server(std::string raw)
        : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}), raw_(std::move(raw))
    {
        thread_ = std::thread([this] {
            boost::system::error_code ec;
            auto socket = acceptor_.accept(ec);
            if (ec)
                return;
            std::string request;
            char chunk[1024];
            while (request.find("\r\n\r\n") == std::string::npos) {
                auto const n = socket.read_some(boost::asio::buffer(chunk), ec);
                if (ec)
                    return;
                request.append(chunk, n);
            }
            boost::asio::write(socket, boost::asio::buffer(raw_), ec);
            socket.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
            while (!ec)
                socket.read_some(boost::asio::buffer(chunk), ec);  // until the client closes
        });
    }
    ~raw_answer_server() { thread_.join(); }
    unsigned short port() const { return acceptor_.local_endpoint().port(); }

private:
    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::string raw_;
    std::thread thread_;
};

}  // namespace

TEST_CASE("HTTPS with a trusted certificate, one kept-alive connection", "[transport]")
{
    test_server::server server(test_pki::shared().localhost, test_server::behaviour::answer);
    auto const where = at("localhost", server.port());
    auto transport = crowd::transport::beast_transport::make(where, trusting_test_ca(), no_environment()).value();
    for (int i = 0; i != 3; ++i) {
        auto const response = transport.send(get_request(where, "/ping/" + std::to_string(i)));
        REQUIRE(response);
        CHECK(response->status == 200);
        CHECK(response->body == R"({"target":"/ping/)" + std::to_string(i) + R"(","host":"localhost:)" +
                                    std::to_string(server.port()) + R"("})");
        CHECK(response->request_id() == "test-" + std::to_string(i + 1));
    }
    CHECK(transport.connections_opened() == 1);
    CHECK(server.connections() == 1);

    // By IP address too: the certificate names 127.0.0.1.
    auto const by_ip = at("127.0.0.1", server.port());
    auto ip_transport = crowd::transport::beast_transport::make(by_ip, trusting_test_ca(), no_environment()).value();
    CHECK(ip_transport.send(get_request(by_ip)));
}

TEST_CASE("certificates that must be refused are, with a clear reason", "[transport]")
{
    struct row {
        test_pki::identity const* identity;
        char const* reason;
    };
    row const rows[] = {
        {&test_pki::shared().self_signed, "self-signed certificate"},
        {&test_pki::shared().expired, "certificate has expired"},
        {&test_pki::shared().other_host, "hostname mismatch"},
    };
    for (auto const& r : rows) {
        INFO(r.reason);
        test_server::server server(*r.identity, test_server::behaviour::answer);
        auto const where = at("localhost", server.port());
        auto transport = crowd::transport::beast_transport::make(where, trusting_test_ca(), no_environment()).value();
        auto const response = transport.send(get_request(where));
        REQUIRE(response.has_error());
        CHECK(response.error() == crowd::errc::certificate_rejected);
        CHECK(response.error() == crowd::condition::connection_error);
        CHECK(response.error() != crowd::condition::retryable);
        CHECK(response.error().detail().find(r.reason) != std::string_view::npos);
        CHECK(response.error().progress() == crowd::request_progress::not_sent);
        CHECK(server.requests() == 0);  // nothing was sent to it
    }

    // Without the test CA, the system trust store does not know it either.
    test_server::server server(test_pki::shared().localhost, test_server::behaviour::answer);
    auto const where = at("localhost", server.port());
    auto system_trust = crowd::transport::beast_transport::make(where, {}, no_environment()).value();
    CHECK(system_trust.send(get_request(where)).error() == crowd::errc::certificate_rejected);

    // AWS_CA_BUNDLE names the CA file when the options do not.
    auto bundle_env = [](std::string_view name) -> std::optional<std::string> {
        if (name == "AWS_CA_BUNDLE")
            return test_pki::ca_file();
        return std::nullopt;
    };
    auto from_env = crowd::transport::beast_transport::make(where, {}, bundle_env).value();
    CHECK(from_env.send(get_request(where)));

    // Turning verification off is possible, and loudly named.
    test_server::server untrusted(test_pki::shared().self_signed, test_server::behaviour::answer);
    auto const anywhere = at("localhost", untrusted.port());
    auto reckless = crowd::transport::beast_transport::make(anywhere, {.dangerously_accept_any_certificate = true},
                                                            no_environment())
                        .value();
    CHECK(reckless.send(get_request(anywhere)));

    auto const missing = crowd::transport::beast_transport::make(where, {.ca_file = "/nonexistent/ca.pem"}, no_environment());
    REQUIRE(missing.has_error());
    CHECK(missing.error() == crowd::errc::invalid_configuration);
    CHECK(missing.error().detail().find("/nonexistent/ca.pem") != std::string_view::npos);
}

TEST_CASE("a server that closes kept-alive connections is handled by reconnecting", "[transport]")
{
    test_server::server server(test_pki::shared().localhost, test_server::behaviour::answer_then_close);
    auto const where = at("localhost", server.port());
    auto transport = crowd::transport::beast_transport::make(where, trusting_test_ca(), no_environment()).value();
    for (int i = 0; i != 3; ++i) {
        auto const response = transport.send(get_request(where));
        REQUIRE(response);
        CHECK(response->status == 200);
        // The server's close has long arrived by the next request: the transport sees it on
        // the idle connection and opens a new one before writing anything, instead of
        // writing into the closed one and sending the request again.
        CHECK_FALSE(response->resent);
        std::this_thread::sleep_for(100ms);
    }
    CHECK(server.requests() == 3);  // each request reached it exactly once
    CHECK(transport.connections_opened() == 3);
}

TEST_CASE("a field that would break the message is refused before anything is sent", "[transport]")
{
    int seen = 0;
    test_server::server server(std::nullopt, test_server::behaviour::answer, [&](crowd::http_request const& r) {
        ++seen;
        return test_server::reply{200, r.fields.find("X-Injected") ? std::string("injected") : r.body};
    });
    auto const where = at("127.0.0.1", server.port(), false);
    auto transport = crowd::transport::beast_transport::make(where, {}, no_environment()).value();
    for (std::string const& bad : {std::string("value\r\nX-Injected: 1"), std::string("value\nX-Injected: 1"),
                                   std::string("nul\0byte", 8)}) {
        auto request = get_request(where);
        request.fields.add("X-Trace", bad);
        auto const response = transport.send(request);
        REQUIRE(!response);
        CHECK(response.error() == crowd::errc::invalid_request);
        CHECK(response.error().progress() == crowd::request_progress::not_sent);
        CHECK(std::string(response.error().detail()).find("X-Trace") != std::string::npos);
    }
    auto request = get_request(where);
    request.fields.add("Bad Name", "x");
    CHECK(transport.send(request).error() == crowd::errc::invalid_request);
    CHECK(seen == 0);

    // The same connection then serves a clean request, its body framed by the transport.
    auto put = get_request(where);
    put.method = crowd::http_method::put;
    put.fields.add("Content-Length", "999");  // the transport frames the body itself
    put.body = R"({"a":1})";
    auto const answered = transport.send(put);
    REQUIRE(answered);
    CHECK(answered->body == R"({"a":1})");
    CHECK(seen == 1);
}

TEST_CASE("field names are HTTP tokens and the target one line: each symbol a token allows passes, nothing else", "[transport]")
{
    std::string names_seen;
    test_server::server server(std::nullopt, test_server::behaviour::answer, [&](crowd::http_request const& r) {
        for (auto const& f : r.fields)
            names_seen += std::string(f.name) + "\n";
        return test_server::reply{200, ""};
    });
    auto const where = at("127.0.0.1", server.port(), false);
    auto transport = crowd::transport::beast_transport::make(where, {}, no_environment()).value();
    // RFC 9110's tchar: the letters, the digits and these fifteen symbols.
    std::string const every_symbol = "!#$%&'*+-.^_`|~";
    auto request = get_request(where);
    request.fields.add("X" + every_symbol + "az09AZ", "v");
    REQUIRE(transport.send(request));
    CHECK(names_seen.find("X" + every_symbol + "az09AZ\n") != std::string::npos);

    for (std::string const& bad : {std::string(""), std::string("X:Y"), std::string("X(Y)"), std::string("X\"Y"),
                                   std::string("X/Y"), std::string("X@Y"), std::string("X\x80Y"), std::string("X\tY")}) {
        CAPTURE(bad);
        auto refused = get_request(where);
        refused.fields.add(bad, "v");
        auto const response = transport.send(refused);
        REQUIRE(!response);
        CHECK(response.error() == crowd::errc::invalid_request);
        CHECK(response.error().progress() == crowd::request_progress::not_sent);
    }
    for (std::string const& target : {std::string("/a b"), std::string("/a\r\nX-Injected: 1"), std::string("/a\nb"),
                                      std::string("/a\0b", 4)}) {
        auto const response = transport.send(get_request(where, target));
        REQUIRE(!response);
        CHECK(response.error() == crowd::errc::invalid_request);
    }
    // A value may hold any other byte, a tab and bytes above 0x7f included.
    auto tolerated = get_request(where);
    tolerated.fields.add("X-Value", "a\tb \xc3\xa9 ~!");
    CHECK(transport.send(tolerated));
}

TEST_CASE("answers are read as sent: chunked bodies, repeated fields, and no more body than allowed", "[transport]")
{
    {
        raw_answer_server server("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                                 "X-Amzn-RequestId: r-1\r\nX-Repeat: a\r\nX-Repeat: b\r\n\r\n"
                                 "5\r\n{\"a\":\r\n3\r\n17}\r\n0\r\n\r\n");
        auto const where = at("127.0.0.1", server.port(), false);
        auto transport = crowd::transport::beast_transport::make(where, {}, no_environment()).value();
        auto const response = transport.send(get_request(where));
        REQUIRE(response);
        CHECK(response->status == 200);
        CHECK(response->body == R"({"a":17})");
        CHECK(response->request_id() == "r-1");
        std::vector<std::string> repeated;
        for (auto const& f : response->fields)
            if (f.name == "X-Repeat")
                repeated.emplace_back(f.value);
        CHECK(repeated == std::vector<std::string>{"a", "b"});
    }
    for (std::string const& framing : {std::string("Content-Length: 20\r\n\r\n01234567890123456789"),
                                      std::string("Transfer-Encoding: chunked\r\n\r\n14\r\n01234567890123456789\r\n0\r\n\r\n")}) {
        raw_answer_server server("HTTP/1.1 200 OK\r\n" + framing);
        auto const where = at("127.0.0.1", server.port(), false);
        auto transport = crowd::transport::beast_transport::make(where, {.max_response_bytes = 10}, no_environment()).value();
        auto const response = transport.send(get_request(where));
        REQUIRE(!response);  // 20 bytes of body where 10 are allowed
        CHECK(response.error().progress() == crowd::request_progress::sent_no_answer);
        CHECK(std::string(response.error().detail()).find("reading the response") != std::string::npos);
    }
}

TEST_CASE("a server that never answers times out", "[transport]")
{
    test_server::server server(test_pki::shared().localhost, test_server::behaviour::never_answer);
    auto const where = at("localhost", server.port());
    auto transport =
        crowd::transport::beast_transport::make(where, trusting_test_ca(300ms), no_environment()).value();
    auto const started = std::chrono::steady_clock::now();
    auto const response = transport.send(get_request(where));
    auto const took = std::chrono::steady_clock::now() - started;
    REQUIRE(response.has_error());
    CHECK(response.error() == boost::system::errc::timed_out);
    CHECK(response.error() == crowd::condition::retryable);
    CHECK(response.error().detail().find("no progress within 300 ms") != std::string_view::npos);
    CHECK(response.error().progress() == crowd::request_progress::sent_no_answer);  // it may have acted
    CHECK(took < 5s);
}

TEST_CASE("on a kept connection, the exchange in blocking calls keeps the request time-out", "[transport]")
{
    // The synchronous transport sends on an idle kept connection from the calling thread,
    // in blocking calls: the time-out must hold there as it does on the reactor.
    bool const secure = GENERATE(true, false);
    CAPTURE(secure);
    std::atomic<int> seen{0};
    std::atomic<bool> awake{false};
    test_server::server server(secure ? std::optional(test_pki::shared().localhost) : std::nullopt, test_server::behaviour::answer,
                               [&](crowd::http_request const&) {
                                   if (++seen == 2) {
                                       std::this_thread::sleep_for(1200ms);  // the second answer comes too late
                                       awake = true;
                                   }
                                   return test_server::reply{200, "{}"};
                               });
    auto const where = at("localhost", server.port(), secure);
    auto transport =
        crowd::transport::beast_transport::make(where, trusting_test_ca(300ms), no_environment()).value();
    REQUIRE(transport.send(get_request(where)));  // opens the connection, kept alive
    auto const started = std::chrono::steady_clock::now();
    auto const late = transport.send(get_request(where));
    auto const took = std::chrono::steady_clock::now() - started;
    REQUIRE(late.has_error());
    CHECK(late.error() == boost::system::errc::timed_out);
    CHECK(late.error().detail().find("no progress within 300 ms") != std::string_view::npos);
    CHECK(late.error().progress() == crowd::request_progress::sent_no_answer);
    CHECK(took >= 290ms);
    CHECK(took < 300ms + crowd::transport::detail::timed_tcp_stream::deadline_slack + 200ms);
    // The connection that timed out is never used again: the next request opens another
    // (once the server, which answers on one thread, is done with the late answer).
    while (!awake)
        std::this_thread::sleep_for(10ms);
    auto const next = transport.send(get_request(where));
    REQUIRE(next);
    CHECK(next->status == 200);
    CHECK(transport.connections_opened() == 2);
}

TEST_CASE("timed_tcp_stream: blocking reads and writes with a deadline, then the reactor again", "[transport]")
{
    using crowd::transport::detail::timed_tcp_stream;
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    timed_tcp_stream stream(io);
    stream.socket().connect(acceptor.local_endpoint());
    auto peer = acceptor.accept();
    boost::system::error_code ec;
    char buffer[16];

    // Never a blocking call on a socket Asio owns: not before block_until.
    CHECK(stream.read_some(boost::asio::buffer(buffer), ec) == 0);
    CHECK(ec == boost::asio::error::operation_not_supported);

    // Nothing comes: the read fails with Beast's timeout once the deadline has passed.
    auto started = std::chrono::steady_clock::now();
    REQUIRE(stream.block_until(started + 200ms, ec));
    CHECK(stream.read_some(boost::asio::buffer(buffer), ec) == 0);
    auto took = std::chrono::steady_clock::now() - started;
    CHECK(ec == boost::beast::error::timeout);
    CHECK(took >= 200ms);
    CHECK(took < 200ms + timed_tcp_stream::deadline_slack + 200ms);

    // A later, longer deadline is honoured too (the socket's time-out is raised again).
    started = std::chrono::steady_clock::now();
    REQUIRE(stream.block_until(started + 2s, ec));
    std::thread writer([&] {
        std::this_thread::sleep_for(400ms);
        boost::asio::write(peer, boost::asio::buffer("abc", 3));
    });
    auto const n = stream.read_some(boost::asio::buffer(buffer), ec);
    writer.join();
    CHECK_FALSE(ec);
    CHECK(std::string(buffer, n) == "abc");
    CHECK(std::chrono::steady_clock::now() - started >= 390ms);

    // Written in blocking calls, read by the peer.
    CHECK(stream.write_some(boost::asio::buffer("ping", 4), ec) == 4);
    CHECK_FALSE(ec);
    CHECK(peer.read_some(boost::asio::buffer(buffer)) == 4);

    // The reactor again: an asynchronous read completes, on a socket in non-blocking mode.
    stream.resume_async();
    CHECK((::fcntl(stream.socket().native_handle(), F_GETFL) & O_NONBLOCK) != 0);
    std::size_t read_async = 0;
    stream.async_read_some(boost::asio::buffer(buffer), [&](boost::system::error_code e, std::size_t got) {
        CHECK_FALSE(e);
        read_async = got;
    });
    boost::asio::write(peer, boost::asio::buffer("xy", 2));
    io.run();
    CHECK(read_async == 2);

    // The peer closes: a blocking read says end of file, and a write fails with an error
    // (MSG_NOSIGNAL: never a SIGPIPE that would end the test program).
    peer.close();
    REQUIRE(stream.block_until(std::chrono::steady_clock::now() + 2s, ec));
    CHECK(stream.read_some(boost::asio::buffer(buffer), ec) == 0);
    CHECK(ec == boost::asio::error::eof);
    ec = {};
    for (int i = 0; i != 5 && !ec.failed(); ++i) {  // the first write after a close is still accepted
        stream.write_some(boost::asio::buffer("late", 4), ec);
        std::this_thread::sleep_for(20ms);  // the peer's reset arrives
    }
    CHECK(ec.failed());
}

TEST_CASE("a temporary DNS failure is retryable and not sent", "[transport]")
{
    // How the transport reports what getaddrinfo's EAI_AGAIN becomes in Asio.
    auto const where = at("crowd.example", 443);
    auto const e = crowd::transport::detail::connection_failure("resolving", where, boost::asio::error::host_not_found_try_again,
                                                                10s, crowd::request_progress::not_sent);
    CHECK(e == boost::system::errc::resource_unavailable_try_again);
    CHECK(e == crowd::condition::retryable);
    CHECK(e.progress() == crowd::request_progress::not_sent);
    CHECK(e.detail().find("a temporary failure in name resolution") != std::string_view::npos);
    // A name that does not exist is no temporary failure.
    auto const gone = crowd::transport::detail::connection_failure("resolving", where, boost::asio::error::host_not_found,
                                                                   10s, crowd::request_progress::not_sent);
    CHECK(gone != crowd::condition::retryable);
}

TEST_CASE("plain HTTP for local endpoints, and a refused connection", "[transport]")
{
    test_server::server server(std::nullopt, test_server::behaviour::answer);
    auto const where = at("127.0.0.1", server.port(), false);
    auto transport = crowd::transport::beast_transport::make(where, {}, no_environment()).value();
    auto const response = transport.send(get_request(where));
    REQUIRE(response);
    CHECK(response->status == 200);

    auto const nowhere = at("127.0.0.1", 1, false);
    auto refused = crowd::transport::beast_transport::make(nowhere, {}, no_environment()).value();
    auto const e = refused.send(get_request(nowhere));
    CHECK(e.error() == boost::system::errc::connection_refused);
    CHECK(e.error() == crowd::condition::retryable);
    CHECK(e.error().progress() == crowd::request_progress::not_sent);
    CHECK(e.error().detail() == "connecting to 127.0.0.1:1");
}

TEST_CASE("the client over real HTTPS: signed requests, typed results", "[transport][client]")
{
    std::atomic<int> seen{0};
    std::string last_authorization;
    test_server::server server(test_pki::shared().localhost, test_server::behaviour::answer, [&](auto const& request) {
        ++seen;
        last_authorization = std::string(request.fields.find("Authorization").value_or(""));
        if (request.method == crowd::http_method::put)
            return test_server::reply{201, R"({"taskName":"t1","input":{"text":"hi"},"state":"processing"})"};
        return test_server::reply{
            200, R"({"taskName":"t1","input":{"text":"hi"},"state":"completed","result":{"sentiment":"positive"}})"};
    });
    constexpr crowd::account_id account{"123456789012"};
    auto client = crowd::make_client(
                      {.account = account,
                       .endpoint = "https://localhost:" + std::to_string(server.port()),
                       .credentials = [] { return crowd::sigv4::credentials::make("AKIDEXAMPLE", "secret"); },
                       .env = no_environment()},
                      trusting_test_ca())
                      .value();
    constexpr crowd::task_name t1{"t1"};  // named: clang 14 can crash on a consteval temporary here
    auto const created = client.create<fn::sentiment_analysis>(t1, {.text = "hi"});
    REQUIRE(created);
    CHECK(created->creation == crowd::creation::created);
    auto const done = client.wait<fn::sentiment_analysis>(t1);
    REQUIRE(done);
    CHECK(done->result->sentiment == fn::sentiment::positive);
    CHECK(seen == 2);
    CHECK(last_authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
    CHECK(client.transport().connections_opened() == 1);
}

namespace {

/** No file descriptor left while it lives: the soft limit is set just above the highest
    open one, and the gaps below are filled with /dev/null; all undone at the end. */
class no_descriptors_left {
public:
    no_descriptors_left()
    {
        REQUIRE(::getrlimit(RLIMIT_NOFILE, &saved_) == 0);
        int highest = 0;
        for (auto const& entry : fs::directory_iterator("/proc/self/fd"))
            highest = std::max(highest, std::stoi(entry.path().filename().string()));
        rlimit tight = saved_;
        tight.rlim_cur = static_cast<rlim_t>(highest + 1);
        REQUIRE(::setrlimit(RLIMIT_NOFILE, &tight) == 0);
        for (int fd; (fd = ::open("/dev/null", O_RDONLY)) >= 0;)
            fillers_.push_back(fd);
    }
    ~no_descriptors_left()
    {
        for (int fd : fillers_)
            ::close(fd);
        ::setrlimit(RLIMIT_NOFILE, &saved_);
    }
    no_descriptors_left(no_descriptors_left const&) = delete;
    no_descriptors_left& operator=(no_descriptors_left const&) = delete;

private:
    rlimit saved_{};
    std::vector<int> fillers_;
};

}  // namespace

// The sanitizers' runtime needs descriptors of its own to check memory (a pipe): with
// none left it reports errors that are not there. The g++ suite runs this test.
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define MTURK_CROWD_TESTS_SANITIZED 1
#endif
#endif

TEST_CASE("no file descriptor left is reported as what it is, not as a cancellation", "[transport]")
{
#if defined(MTURK_CROWD_TESTS_SANITIZED)
    WARN("not run under a sanitizer: its runtime needs file descriptors of its own");
    return;
#endif
    test_server::server server(std::nullopt, test_server::behaviour::answer);
    auto const where = at("127.0.0.1", server.port(), false);
    auto transport = crowd::transport::beast_transport::make(where, {}, no_environment()).value();
    // A connection made before (and its resolver thread started), so that the socket is
    // the first thing the starved send needs.
    REQUIRE(transport.send(get_request(where)));
    auto other = crowd::transport::beast_transport::make(where, {}, no_environment()).value();
    crowd::error failure;
    crowd::error first_failure;
    {
        no_descriptors_left starved;
        // The kept connection is busy elsewhere: a second one is needed, and cannot be opened.
        auto const response = other.send(get_request(where));
        REQUIRE_FALSE(response);
        first_failure = response.error();
        // A client made without descriptors: an error when it is used, never std::terminate.
        auto made = crowd::make_client({.account = crowd::account_id("123456789012"),
                                        .endpoint = "http://127.0.0.1:" + std::to_string(server.port()),
                                        .credentials = [] { return crowd::sigv4::credentials::make("AKIDEXAMPLE", "secret"); },
                                        .env = no_environment()});
        if (made) {
            auto const got = made->get<fn::sentiment_analysis>(crowd::task_name("t1"));
            REQUIRE_FALSE(got);
            failure = got.error();
        } else {
            failure = made.error();
        }
    }
    for (auto const& e : {first_failure, failure}) {
        INFO(e.what());
        CHECK(e == boost::system::errc::too_many_files_open);
        CHECK(e.progress() != crowd::request_progress::sent_no_answer);
    }
    CHECK(first_failure.progress() == crowd::request_progress::not_sent);
    CHECK(first_failure == crowd::condition::retryable);  // nothing was sent; descriptors may free up
    // Once descriptors are back, the same transport works.
    auto const again = transport.send(get_request(where));
    REQUIRE(again);
    CHECK(again->status == 200);
}

TEST_CASE("clients made with one retry policy share its quota", "[transport][client]")
{
    test_server::server server(std::nullopt, test_server::behaviour::answer,
                               [](auto const&) { return test_server::reply{503, R"({"message":"busy"})"}; });
    crowd::client_config const config{.account = crowd::account_id("123456789012"),
                                      .endpoint = "http://127.0.0.1:" + std::to_string(server.port()),
                                      .credentials = [] { return crowd::sigv4::credentials::make("AKIDEXAMPLE", "secret"); },
                                      .env = no_environment()};
    crowd::aws_retry const shared = crowd::adaptive_retry(crowd::standard_retry({.transient_base = 1ms}));
    auto first = crowd::make_client(config, {}, shared).value();
    auto second = crowd::make_client(config, {}, shared).value();
    auto unrelated = crowd::make_client(config).value();
    constexpr crowd::task_name t1{"t1"};
    CHECK(first.get<fn::sentiment_analysis>(t1).error() == crowd::errc::service_unavailable);
    CHECK(first.retry_policy().quota_left() == 500 - 2 * 14);  // two retries paid
    CHECK(second.retry_policy().quota_left() == first.retry_policy().quota_left());
    CHECK(second.retry_policy().mode() == crowd::retry_mode::adaptive);
    CHECK(unrelated.retry_policy().quota_left() == 500);
}

namespace {

/// The keep-alive settings of this process's TCP sockets connected to `port` on loopback,
/// read from the sockets themselves: (SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL).
std::vector<std::array<int, 3>> keepalive_of_connections_to(unsigned short port)
{
    std::vector<std::array<int, 3>> out;
    for (auto const& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
        int const fd = std::stoi(entry.path().filename().string());
        sockaddr_in peer{};
        socklen_t length = sizeof peer;
        if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0 || peer.sin_family != AF_INET ||
            ntohs(peer.sin_port) != port)
            continue;
        std::array<int, 3> values{};
        socklen_t size = sizeof(int);
        ::getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &values[0], &size);
        ::getsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &values[1], &size);
        ::getsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &values[2], &size);
        out.push_back(values);
    }
    return out;
}

}  // namespace

TEST_CASE("pooled connections have TCP keep-alive, 30 s by default, as aws-sdk-cpp", "[transport]")
{
    test_server::server server(test_pki::shared().localhost, test_server::behaviour::answer);
    auto const where = at("localhost", server.port());
    auto transport = crowd::transport::beast_transport::make(where, trusting_test_ca(), no_environment()).value();
    REQUIRE(transport.send(get_request(where)));
    auto const kept = keepalive_of_connections_to(server.port());
    REQUIRE(kept.size() == 1);  // the idle pooled connection
    CHECK(kept[0] == std::array<int, 3>{1, 30, 30});

    auto other = trusting_test_ca();
    other.tcp_keepalive = std::chrono::seconds(75);
    auto custom = crowd::transport::beast_transport::make(where, other, no_environment()).value();
    other.tcp_keepalive.reset();
    auto none = crowd::transport::beast_transport::make(where, other, no_environment()).value();
    transport = std::move(custom);  // the first one's connection goes with it
    REQUIRE(transport.send(get_request(where)));
    REQUIRE(none.send(get_request(where)));
    auto settings = keepalive_of_connections_to(server.port());
    std::sort(settings.begin(), settings.end());
    REQUIRE(settings.size() == 2);
    CHECK(settings[0][0] == 0);  // off
    CHECK(settings[1] == std::array<int, 3>{1, 75, 75});
}
