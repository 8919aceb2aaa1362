// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TRANSPORT_BEAST_HPP
#define MTURK_CROWD_TRANSPORT_BEAST_HPP

// The Beast transport's declarations: Asio's executor, handler and TLS context types; the
// connections, Beast's HTTP code and OpenSSL are in impl/beast.ipp (docs/architecture.md).
#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/endpoint.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/http_message.hpp>
#include <mturk/crowd/proxy.hpp>
#include <mturk/crowd/credentials/http_fetch.hpp>
#include <mturk/crowd/settings/environment.hpp>
#include <mturk/crowd/log.hpp>
#include <mturk/crowd/transport/concepts.hpp>
#include <mturk/crowd/transport/connection_pool.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace mturk::crowd::transport {

/** How the Beast transport connects. The defaults verify everything. */
struct beast_options {
    std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};  ///< DNS and TCP connect together
    std::chrono::milliseconds handshake_timeout{std::chrono::seconds(10)};
    /// Writing the request and reading the response. (`beast_transport`'s blocking exchange
    /// keeps it with the socket's own time-outs, which may run up to 10 ms past it.)
    std::chrono::milliseconds request_timeout{std::chrono::seconds(60)};
    std::size_t max_response_bytes = 16 * 1024 * 1024;
    /// A PEM file of trusted CA certificates, instead of the system's. Empty: the
    /// AWS_CA_BUNDLE environment variable, else the system trust store.
    std::string ca_file{};
    /// A TLS context of your own (client certificates, pinned CAs...). Verification mode
    /// and host-name checking are still applied to each connection.
    std::shared_ptr<boost::asio::ssl::context> ssl_context{};
    /// Accepts any certificate from anyone: every request can then be read and changed
    /// by whoever sits on the network. Only for a local test server you cannot give a
    /// trusted certificate.
    bool dangerously_accept_any_certificate = false;
    /// An HTTP proxy of your own (an empty URL: none at all). Unset: the environment's
    /// (`https_proxy`/`HTTPS_PROXY` for https, `http_proxy`/`HTTP_PROXY` for http, minus
    /// `no_proxy`/`NO_PROXY`). HTTPS goes through an HTTP CONNECT tunnel, and the
    /// certificate is checked against the service's name, not the proxy's.
    std::optional<proxy_settings> proxy{};
    /// The connection pool: how many connections at most, and how long one is kept idle.
    pool_options pool{};
    /// TCP keep-alive on every connection (as aws-sdk-cpp enables it by default): the first
    /// probe after this long without traffic, then one every this long. Empty: off. A
    /// kept connection that a NAT or load balancer forgot is then found before a request
    /// is written into it.
    std::optional<std::chrono::seconds> tcp_keepalive{std::chrono::seconds(30)};
    /// The pool's records ("pool": connections opened, reused, closed, waits for one).
    /// `make_client` and `make_async_client` give the client's logger when this one has
    /// no sink.
    client_logger logger{};
};

namespace detail {

/// The TLS context of a transport: the user's, or one that trusts the system store (or
/// `ca_file` / AWS_CA_BUNDLE), TLS 1.2 at least. Null for plain HTTP.
MTURK_CROWD_DECL result<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(endpoint const& where,
                                                                          beast_options const& options,
                                                                          environment const& env);

/// The error of a failed step: the code's message says what failed, the detail where.
MTURK_CROWD_DECL error connection_failure(std::string_view what, endpoint const& where, boost::system::error_code ec,
                                std::chrono::milliseconds limit);

/// As above, with how far the request got (see `request_progress`).
MTURK_CROWD_DECL error connection_failure(std::string_view what, endpoint const& where, boost::system::error_code ec,
                                std::chrono::milliseconds limit, request_progress progress);

}  // namespace detail

/** HTTPS (or plain HTTP) over Boost.Beast on the caller's executor: `async_send` only.

    A pool of kept-alive connections (`beast_options::pool`): any number of sends may
    overlap, each on a connection of its own; beyond `max_connections` they wait, first
    come first served. A kept connection is checked before reuse (a server that closed it
    or wrote to it unasked is not sent a request), one that failed is never reused, and
    one idle for longer than `idle_timeout` is closed. Copies share one pool; the
    transport may be moved or destroyed while sends run (they keep what they use).

    The pool is locked, so sends may start from any thread; a connection is used by one
    send at a time, on the transport's executor (use a strand when several threads run it). */
class async_beast_transport {
public:
    using is_async_transport = std::true_type;
    using executor_type = boost::asio::any_io_executor;

    /// Errors: `errc::invalid_configuration` for a CA file that cannot be loaded, a bad proxy.
    MTURK_CROWD_DECL static result<async_beast_transport> make(executor_type executor, endpoint where,
                                                               beast_options options = {},
                                                               environment env = process_environment());

    MTURK_CROWD_DECL executor_type get_executor() const noexcept;
    /// Where it connects (scheme, host, port).
    MTURK_CROWD_DECL endpoint const& service_endpoint() const noexcept;
    /// How many connections were opened so far (keep-alive shows as reuse).
    std::size_t connections_opened() const noexcept { return static_cast<std::size_t>(pool().connections_opened); }
    /// The pool now: connections opened so far, in use, idle, and sends waiting for one.
    MTURK_CROWD_DECL pool_counters pool() const;

    /** Sends one request; completes with `void(result<http_response>)`. The request is
        not copied: it must stay alive, unchanged, until the operation completes (as
        Beast's `async_write` asks of its message); the client's operations hold theirs.

        Cancellation: terminal, through the token's slot. Waiting for a connection,
        connecting and the handshake stop at once (`not_sent`); an exchange under way is
        cut short and its connection closed (the request may have been acted on). */
    template <class Token>
    auto async_send(http_request const& request, Token&& token)
    {
        // Only the initiation is compiled per token; the exchange behind the type-erased
        // handler is compiled once (in the compiled copy, with separate compilation).
        return boost::asio::async_initiate<Token, void(result<http_response>)>(
            [](auto handler, std::shared_ptr<shared_state> s, http_request const* r) {
                start_send(std::move(s), r, send_handler(std::move(handler)));
            },
            token, state_, &request);
    }

private:
    friend class beast_transport;  // runs the same sends, blocking where it can
    struct shared_state;  // the pool and the connections: defined in impl/beast.ipp
    using send_handler = boost::asio::any_completion_handler<void(result<http_response>)>;

    explicit async_beast_transport(std::shared_ptr<shared_state> s) : state_(std::move(s)) {}

    /// Runs the send on the transport's executor, completing `handler`.
    MTURK_CROWD_DECL static void start_send(std::shared_ptr<shared_state> s, http_request const* request,
                                            send_handler handler);

    std::shared_ptr<shared_state> state_;  // shared with the running sends
};

/** HTTPS (and, for local endpoints, plain HTTP) over Boost.Beast, synchronous: the
    asynchronous transport above, with its pool and its connections, so the two share one
    connection logic (the pool, keep-alive, the idle-connection check, reconnection,
    timeouts, certificate checks) and cannot drift.

    A request on a kept connection that is idle is sent and answered on the calling
    thread in blocking calls, without a reactor: that is what most requests of a busy
    program are. The socket's own time-outs keep `request_timeout` (within 10 ms).
    Whatever needs the reactor (waiting for a connection, resolving, connecting, the TLS
    handshake) runs on a private io_context.

    Thread-safe: any number of threads may call `send` at once, each on a connection of
    its own from the pool. The io_context is run by one of the waiting threads at a time
    (the one whose request is not answered yet), which completes the others' too. */
class beast_transport {
public:
    /// Errors: `errc::invalid_configuration` for a CA file that cannot be loaded or a bad
    /// proxy; the system's error when its io_context cannot be made (no file descriptor left).
    MTURK_CROWD_DECL static result<beast_transport> make(endpoint where, beast_options options = {},
                                                         environment env = process_environment());

    /** Sends `request` and returns when it is answered or has failed. A failure says how
        far the request got (`error::progress()`): `not_sent` for resolve, connect and TLS
        failures, `sent_no_answer` once any of it was written. */
    MTURK_CROWD_DECL result<http_response> send(http_request const& request);

    /// Where it connects (scheme, host, port).
    endpoint const& service_endpoint() const noexcept { return inner_.service_endpoint(); }
    /// How many connections were opened so far (keep-alive shows as reuse).
    std::size_t connections_opened() const noexcept { return inner_.connections_opened(); }
    /// The pool now (see `async_beast_transport::pool`).
    pool_counters pool() const { return inner_.pool(); }

    MTURK_CROWD_DECL beast_transport(beast_transport&&) noexcept;
    MTURK_CROWD_DECL beast_transport& operator=(beast_transport&&) noexcept;
    MTURK_CROWD_DECL ~beast_transport();

private:
    struct runner;  // who runs the io_context now: defined in impl/beast.ipp

    beast_transport(std::unique_ptr<boost::asio::io_context> io, async_beast_transport inner,
                    std::unique_ptr<runner> turn);

    std::unique_ptr<boost::asio::io_context> io_;  // first: outlives the transport that runs on it
    async_beast_transport inner_;
    std::unique_ptr<runner> turn_;
};

static_assert(crowd::sends_requests<beast_transport>);

/** The HTTP client of the credential providers (instance metadata, containers, STS,
    SSO): one `beast_transport` per request, with `options`' TLS and proxy settings and the
    request's time-out for connecting, the handshake and the exchange. The link-local
    metadata and container endpoints (169.254.0.0/16, fd00:ec2::) never go through a proxy. */
MTURK_CROWD_DECL http_fetch make_beast_fetch(beast_options options = {},
                                                    environment env = process_environment());

}  // namespace mturk::crowd::transport

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/transport/impl/beast.ipp>
#endif

#endif
