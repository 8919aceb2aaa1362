// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TRANSPORT_HTTP_SERVER_HPP
#define MTURK_CROWD_TRANSPORT_HTTP_SERVER_HPP

#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/http_message.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

/* A small HTTP/1.1 server, plain or TLS, for the service's stand-ins: crowd-emulator
   serves testing::emulator with it, and the tests serve their own answers. Each request
   goes to a handler, which also says what becomes of the connection, so that a test can
   act out what real networks do: an answer that comes late, a connection closed before or
   after the server acted, a kept-alive connection closed behind the client's back.

   Its Beast and OpenSSL code is compiled once (transport/impl/http_server.ipp), for TLS
   and plain TCP alike. With MTURK_CROWD_SEPARATE_COMPILATION, one translation unit
   includes <mturk/crowd/src_server.hpp>. */
namespace mturk::crowd::transport {

namespace detail {
struct server_state;
}

/// What the server does with one request: the handler's answer.
struct server_reply {
    enum class action {
        answer,                ///< write the response; keep the connection if the request asked to
        answer_then_close,     ///< write it (keep-alive promised if asked), then close the connection
        close_without_answer,  ///< close the connection without writing anything
        hold_without_answer,   ///< write nothing and keep the connection open until the server stops
    };
    http_response response{};
    action then = action::answer;
    std::chrono::milliseconds delay{0};  ///< how long to wait before answering
};

/// What the handler learns about the request's connection.
struct server_request_context {
    bool from_loopback = false;  ///< the peer is 127.0.0.0/8 or ::1
};

/// Called on the server's executor for each request read in full.
using server_handler = std::function<server_reply(http_request const&, server_request_context const&)>;

struct server_options {
    std::string host = "127.0.0.1";
    unsigned short port = 0;  ///< 0: a free port (`http_server::port` says which)
    /// HTTPS with this PEM certificate chain and private key; both empty: plain HTTP.
    std::string certificate_chain_pem{};
    std::string private_key_pem{};
    /// A larger body is answered 413 and the connection closed.
    std::size_t max_body_bytes = 1024 * 1024;
};

/** Serves `handler` on its executor until `stop()` or the executor's end. A request that
    cannot be read (a malformed message, a body over the limit) is answered 400 or 413 and
    the connection closed, after the client's unread bytes are drained for up to 2 s, so
    that the client sees the answer rather than a reset. Counters may be read from any
    thread. */
class http_server {
public:
    /** Listens (it accepts once `start` is called). Errors: `errc::invalid_configuration`
        for a certificate or key that cannot be used, or an address that cannot be bound
        (its detail says which and why). */
    MTURK_CROWD_DECL static result<http_server> make(boost::asio::any_io_executor executor, server_options options,
                                                     server_handler handler);

    /// Accepts connections on the executor.
    MTURK_CROWD_DECL void start();
    /// Stops accepting; connections under way finish their request, held ones stay until the executor stops.
    MTURK_CROWD_DECL void stop();

    /// `http://127.0.0.1:PORT` or `https://...`, with an IPv6 host in brackets (after `stop()` too).
    MTURK_CROWD_DECL std::string url() const;
    MTURK_CROWD_DECL unsigned short port() const;
    MTURK_CROWD_DECL int connections() const;  ///< accepted so far
    MTURK_CROWD_DECL int requests() const;     ///< read in full and given to the handler
    MTURK_CROWD_DECL int refused() const;      ///< answered 400 or 413 because they could not be read

private:
    explicit http_server(std::shared_ptr<detail::server_state> s) : state_(std::move(s)) {}
    std::shared_ptr<detail::server_state> state_;  // shared with the running connections
};

}  // namespace mturk::crowd::transport

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/transport/impl/http_server.ipp>
#endif

#endif
