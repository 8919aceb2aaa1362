// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#include "test_server.hpp"

#include <mturk/crowd/transport/http_server.hpp>

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <utility>

namespace test_server {

namespace crowd = mturk::crowd;
using crowd::transport::server_reply;

namespace {

reply echo(crowd::http_request const& request)
{
    return {200, R"({"target":")" + request.target + R"(","host":")" +
                     std::string(request.fields.find("Host").value_or("")) + R"("})"};
}

}  // namespace

struct server::state {
    state(std::optional<test_pki::identity> const& tls, behaviour b, handler h)
        : behaviour_(b), handler_(h ? std::move(h) : echo), server_(make_server(tls))
    {
        server_.start();
        thread_ = std::thread([this] { io_.run(); });
    }
    ~state()
    {
        io_.stop();
        thread_.join();
    }

    crowd::transport::http_server make_server(std::optional<test_pki::identity> const& tls)
    {
        crowd::transport::server_options options;
        if (tls) {
            options.certificate_chain_pem = tls->certificate_pem;
            options.private_key_pem = tls->key_pem;
        }
        auto made = crowd::transport::http_server::make(
            io_.get_executor(), std::move(options),
            [this](crowd::http_request const& request, crowd::transport::server_request_context const&) {
                return answer(request);
            });
        if (!made)
            throw std::runtime_error("test server: " + made.error().what());
        return std::move(*made);
    }

    server_reply answer(crowd::http_request const& request)
    {
        server_reply out;
        if (behaviour_ == behaviour::never_answer) {
            out.then = server_reply::action::hold_without_answer;
            return out;
        }
        auto r = handler_(request);
        out.response.status = r.status;
        out.response.fields.add("Content-Type", "application/json");
        out.response.fields.add("x-amzn-RequestId", "test-" + std::to_string(++answered_));
        out.response.body = std::move(r.body);
        // Keep-alive is still promised: the client learns of the close only when it reuses the connection.
        if (behaviour_ == behaviour::answer_then_close)
            out.then = server_reply::action::answer_then_close;
        return out;
    }

    behaviour behaviour_;
    handler handler_;
    boost::asio::io_context io_;
    crowd::transport::http_server server_;
    std::thread thread_;
    std::atomic<int> answered_{0};
};

server::server(std::optional<test_pki::identity> tls, behaviour b, handler h)
    : state_(std::make_unique<state>(tls, b, std::move(h)))
{
}

server::~server() = default;

unsigned short server::port() const { return state_->server_.port(); }
int server::connections() const { return state_->server_.connections(); }
int server::requests() const { return state_->server_.requests(); }

}  // namespace test_server
