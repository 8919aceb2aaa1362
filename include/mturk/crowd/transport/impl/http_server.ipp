// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TRANSPORT_IMPL_HTTP_SERVER_IPP
#define MTURK_CROWD_TRANSPORT_IMPL_HTTP_SERVER_IPP

#include <mturk/crowd/transport/beast.hpp>
#include <mturk/crowd/transport/detail/http_stream.hpp>
#include <mturk/crowd/transport/http_server.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <atomic>
#include <optional>
#include <utility>

namespace mturk::crowd::transport {

namespace detail {

struct server_state {
    using tcp = boost::asio::ip::tcp;

    server_state(boost::asio::any_io_executor e, server_options o, server_handler h)
        : executor(std::move(e)), options(std::move(o)), handler(std::move(h)), acceptor(executor)
    {
    }

    boost::asio::any_io_executor executor;
    server_options options;
    server_handler handler;
    tcp::acceptor acceptor;
    tcp::endpoint bound;  // where it listens; kept, since the acceptor is closed by stop()
    std::optional<boost::asio::ssl::context> tls;
    std::atomic<int> connections{0};
    std::atomic<int> requests{0};
    std::atomic<int> refused{0};
};

namespace http = boost::beast::http;
using boost::asio::awaitable;
using boost::asio::redirect_error;
using boost::asio::use_awaitable;

/// A request as the server read it; its body is moved, not copied.
inline http_request from_beast_request(http::request<http::string_body>& got)
{
    http_request out;
    switch (got.method()) {
    case http::verb::put: out.method = http_method::put; break;
    case http::verb::delete_: out.method = http_method::delete_; break;
    case http::verb::post: out.method = http_method::post; break;
    default: out.method = http_method::get; break;
    }
    out.target = std::string(got.target());
    for (auto const& f : got)
        out.fields.add(std::string(f.name_string()), std::string(f.value()));
    out.body = std::move(got.body());
    return out;
}

/// The handler's response for Beast to write; its body is moved, not copied.
inline http::response<http::string_body> to_beast_response(http_response& reply)
{
    http::response<http::string_body> response;
    response.version(11);
    response.result(reply.status);
    for (auto const& f : reply.fields)
        response.set(f.name, f.value);
    response.body() = std::move(reply.body);
    return response;
}

/// A size as a person reads it: "1 MiB", "64 KiB", "100 bytes".
inline std::string byte_count_text(std::size_t n)
{
    if (n % (1024 * 1024) == 0)
        return std::to_string(n / (1024 * 1024)) + " MiB";
    if (n % 1024 == 0)
        return std::to_string(n / 1024) + " KiB";
    return std::to_string(n) + " bytes";
}

/** A request that cannot be read gets 413 or 400 and the connection is closed. The client
    may still be sending: its unread bytes are drained for up to 2 s first, or closing would
    reset the connection and the client would never see the answer. */
inline awaitable<void> refuse_unreadable(http_stream stream, boost::beast::tcp_stream& lowest,
                                         boost::system::error_code why, std::size_t body_limit)
{
    bool const too_large = why == http::error::body_limit;
    http::response<http::string_body> response{too_large ? http::status::payload_too_large : http::status::bad_request, 11};
    response.set(http::field::content_type, "application/json");
    response.body() = boost::json::serialize(boost::json::object{
        {"message", too_large ? "Request body is larger than " + byte_count_text(body_limit)
                              : "Bad Request: the message cannot be read: " + why.message()}});
    response.keep_alive(false);
    response.prepare_payload();
    boost::system::error_code ec;
    co_await http::async_write(stream, response, redirect_error(use_awaitable, ec));
    auto& socket = lowest.socket();
    boost::asio::steady_timer deadline(socket.get_executor(), std::chrono::seconds(2));
    deadline.async_wait([&socket](boost::system::error_code e) {
        if (!e)
            socket.close(e);
    });
    char discard[16384];
    while (!ec)
        co_await stream.async_read_some(boost::asio::buffer(discard), redirect_error(use_awaitable, ec));
    deadline.cancel();
}

inline awaitable<void> serve_requests(std::shared_ptr<server_state> s, http_stream stream,
                                      boost::beast::tcp_stream& lowest, server_request_context context)
{
    boost::beast::flat_buffer buffer;
    for (;;) {
        boost::system::error_code ec;
        http::request_parser<http::string_body> parser;
        parser.body_limit(s->options.max_body_bytes);
        co_await http::async_read(stream, buffer, parser, redirect_error(use_awaitable, ec));
        if (ec) {
            // A message the parser refused is answered; a closed or reset connection is not.
            if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
                ec != http::error::end_of_stream) {
                ++s->refused;
                co_await refuse_unreadable(stream, lowest, ec, s->options.max_body_bytes);
            }
            co_return;
        }
        auto& request = parser.get();
        bool const keep_alive = request.keep_alive();
        ++s->requests;
        server_reply reply = s->handler(from_beast_request(request), context);
        using action = server_reply::action;
        if (reply.then == action::close_without_answer)
            co_return;
        if (reply.then == action::hold_without_answer) {
            boost::asio::steady_timer forever(s->executor, std::chrono::hours(24));
            co_await forever.async_wait(redirect_error(use_awaitable, ec));
            co_return;
        }
        if (reply.delay.count() > 0) {
            boost::asio::steady_timer late(s->executor, reply.delay);
            co_await late.async_wait(redirect_error(use_awaitable, ec));
        }
        auto response = to_beast_response(reply.response);
        response.keep_alive(keep_alive);
        response.prepare_payload();
        co_await http::async_write(stream, response, redirect_error(use_awaitable, ec));
        if (ec || !keep_alive || reply.then == action::answer_then_close) {
            lowest.socket().close(ec);
            co_return;
        }
    }
}

inline awaitable<void> run_session(std::shared_ptr<server_state> s, boost::asio::ip::tcp::socket socket)
{
    boost::system::error_code ec;
    auto const peer = socket.remote_endpoint(ec);
    server_request_context const context{.from_loopback = !ec && peer.address().is_loopback()};
    if (!s->tls) {
        timed_tcp_stream plain(std::move(socket));
        co_await serve_requests(s, http_stream(plain), plain, context);
        co_return;
    }
    http_stream::tls_stream secure(timed_tcp_stream(std::move(socket)), *s->tls);
    co_await secure.async_handshake(boost::asio::ssl::stream_base::server, redirect_error(use_awaitable, ec));
    if (ec)  // a client that refused the certificate, as some tests want
        co_return;
    co_await serve_requests(s, http_stream(secure), boost::beast::get_lowest_layer(secure), context);
}

inline awaitable<void> accept_connections(std::shared_ptr<server_state> s)
{
    for (;;) {
        boost::system::error_code ec;
        auto socket = co_await s->acceptor.async_accept(redirect_error(use_awaitable, ec));
        if (ec == boost::asio::error::operation_aborted || !s->acceptor.is_open())
            co_return;
        if (ec)
            continue;  // a connection that failed before it was accepted
        ++s->connections;
        boost::asio::co_spawn(s->executor, run_session(s, std::move(socket)), boost::asio::detached);
    }
}

}  // namespace detail

MTURK_CROWD_DECL result<http_server> http_server::make(boost::asio::any_io_executor executor, server_options options,
                                                       server_handler handler)
{
    namespace ssl = boost::asio::ssl;
    if (!handler)
        return error(errc::invalid_configuration, "the server needs a handler");
    auto s = std::make_shared<detail::server_state>(std::move(executor), std::move(options), std::move(handler));
    auto const& o = s->options;
    if (o.certificate_chain_pem.empty() != o.private_key_pem.empty())
        return error(errc::invalid_configuration, "HTTPS needs both a certificate chain and a private key");
    boost::system::error_code ec;
    if (!o.certificate_chain_pem.empty()) {
        s->tls.emplace(ssl::context::tls_server);
        s->tls->use_certificate_chain(boost::asio::buffer(o.certificate_chain_pem), ec);
        if (ec)
            return error(errc::invalid_configuration, "the server's certificate chain cannot be used: " + ec.message());
        s->tls->use_private_key(boost::asio::buffer(o.private_key_pem), ssl::context::pem, ec);
        if (ec)
            return error(errc::invalid_configuration, "the server's private key cannot be used: " + ec.message());
    }
    auto const address = boost::asio::ip::make_address(o.host, ec);
    if (ec)
        return error(errc::invalid_configuration, "\"" + o.host + "\" is not an IP address to listen on");
    detail::server_state::tcp::endpoint const where(address, o.port);
    auto& acceptor = s->acceptor;
    auto const listen_failure = [&](char const* step) {
        return error(errc::invalid_configuration,
                     std::string(step) + " " + o.host + ":" + std::to_string(o.port) + ": " + ec.message());
    };
    if (acceptor.open(where.protocol(), ec); ec)
        return listen_failure("cannot open a socket for");
    if (acceptor.set_option(detail::server_state::tcp::acceptor::reuse_address(true), ec); ec)
        return listen_failure("cannot reuse the address");
    if (acceptor.bind(where, ec); ec)
        return listen_failure("cannot listen on");
    if (acceptor.listen(boost::asio::socket_base::max_listen_connections, ec); ec)
        return listen_failure("cannot listen on");
    s->bound = acceptor.local_endpoint(ec);
    if (ec)
        return listen_failure("cannot listen on");
    return http_server(std::move(s));
}

MTURK_CROWD_DECL void http_server::start()
{
    boost::asio::co_spawn(state_->executor, detail::accept_connections(state_), boost::asio::detached);
}

MTURK_CROWD_DECL void http_server::stop()
{
    // On the server's executor (at once when called there): the acceptor is not
    // thread-safe, and the accept loop uses it.
    boost::asio::dispatch(state_->executor, [s = state_] {
        boost::system::error_code ignored;
        s->acceptor.close(ignored);
    });
}

MTURK_CROWD_DECL std::string http_server::url() const
{
    auto const& at = state_->bound;
    std::string host = at.address().to_string();
    if (at.address().is_v6())
        host = "[" + host + "]";
    return (state_->tls ? "https://" : "http://") + host + ":" + std::to_string(at.port());
}

MTURK_CROWD_DECL unsigned short http_server::port() const { return state_->bound.port(); }

MTURK_CROWD_DECL int http_server::connections() const { return state_->connections; }
MTURK_CROWD_DECL int http_server::requests() const { return state_->requests; }
MTURK_CROWD_DECL int http_server::refused() const { return state_->refused; }

}  // namespace mturk::crowd::transport

#endif
