// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#include "test_server.hpp"

#include <mturk/crowd/transport/beast.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <thread>
#include <utility>

namespace test_server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace crowd = mturk::crowd;
using tcp = asio::ip::tcp;

namespace {

reply echo(crowd::http_request const& request)
{
    return {200, R"({"target":")" + request.target + R"(","host":")" +
                     std::string(request.fields.find("Host").value_or("")) + R"("})"};
}

}  // namespace

struct server::state {
    state(std::optional<test_pki::identity> const& tls, behaviour b, handler h)
        : behaviour_(b), handler_(h ? std::move(h) : echo), acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0})
    {
        if (tls) {
            tls_.emplace(asio::ssl::context::tls_server);
            tls_->use_certificate_chain(asio::buffer(tls->certificate_pem));
            tls_->use_private_key(asio::buffer(tls->key_pem), asio::ssl::context::pem);
        }
        asio::co_spawn(io_, accept_loop(), asio::detached);
        thread_ = std::thread([this] { io_.run(); });
    }
    ~state()
    {
        io_.stop();
        thread_.join();
    }

    asio::awaitable<void> accept_loop()
    {
        for (;;) {
            boost::system::error_code ec;
            tcp::socket socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
            if (ec)
                co_return;
            ++connections_;
            asio::co_spawn(io_, session(std::move(socket)), asio::detached);
        }
    }

    template <class Stream>
    asio::awaitable<void> serve(Stream& stream, tcp::socket& raw)
    {
        beast::flat_buffer buffer;
        for (;;) {
            boost::system::error_code ec;
            http::request<http::string_body> request;
            co_await http::async_read(stream, buffer, request, asio::redirect_error(asio::use_awaitable, ec));
            if (ec)
                co_return;
            ++requests_;
            if (behaviour_ == behaviour::never_answer) {
                asio::steady_timer forever(io_, std::chrono::hours(1));
                co_await forever.async_wait(asio::redirect_error(asio::use_awaitable, ec));
                co_return;
            }
            auto const r = handler_(crowd::transport::detail::request_from_beast(request));
            http::response<http::string_body> response{static_cast<http::status>(r.status), 11};
            response.set(http::field::content_type, "application/json");
            response.set("x-amzn-RequestId", "test-" + std::to_string(requests_.load()));
            response.body() = r.body;
            response.keep_alive(true);  // always promised, even by answer_then_close
            response.prepare_payload();
            co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
            if (ec || behaviour_ == behaviour::answer_then_close) {
                raw.close(ec);
                co_return;
            }
        }
    }

    asio::awaitable<void> session(tcp::socket socket)
    {
        if (!tls_) {
            co_await serve(socket, socket);
            co_return;
        }
        asio::ssl::stream<tcp::socket&> stream(socket, *tls_);
        boost::system::error_code ec;
        co_await stream.async_handshake(asio::ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
        if (ec)  // the client refused our certificate, as it should in those tests
            co_return;
        co_await serve(stream, socket);
    }

    behaviour behaviour_;
    handler handler_;
    asio::io_context io_;
    std::optional<asio::ssl::context> tls_;
    tcp::acceptor acceptor_;
    std::thread thread_;
    std::atomic<int> connections_{0};
    std::atomic<int> requests_{0};
};

server::server(std::optional<test_pki::identity> tls, behaviour b, handler h)
    : state_(std::make_unique<state>(tls, b, std::move(h)))
{
}

server::~server() = default;

unsigned short server::port() const { return state_->acceptor_.local_endpoint().port(); }
int server::connections() const { return state_->connections_; }
int server::requests() const { return state_->requests_; }

}  // namespace test_server
