// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TRANSPORT_BEAST_HPP
#define MTURK_CROWD_TRANSPORT_BEAST_HPP

// The one header that pulls in Asio, Beast and <openssl/ssl.h> (docs/architecture.md: the core stays cheap).
#include <mturk/crowd/client.hpp>
#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/endpoint.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/http_message.hpp>
#include <mturk/crowd/proxy.hpp>
#include <mturk/crowd/sigv4/http_fetch.hpp>
#include <mturk/crowd/sigv4/profile_file.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

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
    std::chrono::milliseconds request_timeout{std::chrono::seconds(60)};  ///< writing the request and reading the response
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
};

namespace detail {

/// The TLS context of a transport: the user's, or one that trusts the system store (or
/// `ca_file` / AWS_CA_BUNDLE), TLS 1.2 at least. Null for plain HTTP.
MTURK_CROWD_DECL result<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(endpoint const& where,
                                                                          beast_options const& options,
                                                                          sigv4::environment const& env);

/// SNI and the certificate checks for one connection.
template <class TlsStream>
result<void> prepare_tls(TlsStream& stream, endpoint const& where, beast_options const& options)
{
    boost::system::error_code address_error;
    boost::asio::ip::make_address(where.host, address_error);
    bool const is_ip = !address_error;
    SSL* ssl = stream.native_handle();
    if (!is_ip && !SSL_set_tlsext_host_name(ssl, where.host.c_str()))
        return error(errc::invalid_configuration, "setting SNI for " + where.host + " failed");
    if (options.dangerously_accept_any_certificate) {
        stream.set_verify_mode(boost::asio::ssl::verify_none);
        return {};
    }
    // OpenSSL's own host check (not a verify callback), so that a mismatch is reported
    // as such in the verify result.
    bool const set = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), where.host.c_str()) == 1
                           : SSL_set1_host(ssl, where.host.c_str()) == 1;
    if (!set)
        return error(errc::invalid_configuration, "the host name " + where.host + " cannot be checked against certificates");
    stream.set_verify_mode(boost::asio::ssl::verify_peer);
    return {};
}

/// A failed handshake: the certificate's rejection when that was the cause.
template <class TlsStream>
error handshake_failure(TlsStream& stream, endpoint const& where, boost::system::error_code ec,
                        std::chrono::milliseconds limit);

MTURK_CROWD_DECL error connection_failure(std::string_view what, endpoint const& where, boost::system::error_code ec,
                                std::chrono::milliseconds limit);

/// The error of a failed step: the code's message says what failed, the detail where.
/// The progress says how far the request got (see `request_progress`).
MTURK_CROWD_DECL error connection_failure(std::string_view what, endpoint const& where, boost::system::error_code ec,
                                std::chrono::milliseconds limit, request_progress progress);

template <class TlsStream>
error handshake_failure(TlsStream& stream, endpoint const& where, boost::system::error_code ec,
                        std::chrono::milliseconds limit)
{
    long const verify = SSL_get_verify_result(stream.native_handle());
    if (verify != X509_V_OK)
        return error(make_error_code(errc::certificate_rejected), "TLS with " + where.host_header() +
                                                                      ": the certificate was rejected: " +
                                                                      X509_verify_cert_error_string(verify))
            .set_progress(request_progress::not_sent);
    return connection_failure("TLS handshake with", where, ec, limit, request_progress::not_sent);
}

/** Whether an idle kept-alive connection is still open: nothing to read on it. A server
    that closed it (an EOF waits) or wrote anything unasked (a 408, a TLS alert) cannot be
    sent a request; checking first means the request is sent once, on a new connection,
    instead of being written into a closed one and sent again. */
MTURK_CROWD_DECL bool idle_connection_is_open(boost::asio::ip::tcp::socket& socket);

/// A kept-alive connection the server closed meanwhile.
MTURK_CROWD_DECL bool is_stale(boost::system::error_code ec);

MTURK_CROWD_DECL boost::beast::http::request<boost::beast::http::string_body> to_beast(http_request const& request);

MTURK_CROWD_DECL http_response from_beast(boost::beast::http::response<boost::beast::http::string_body>& got);

}  // namespace detail

/** HTTPS (or plain HTTP) over Boost.Beast on the caller's executor: `async_send` only.
    One kept-alive connection, re-opened when stale; the options and certificate checks of
    `beast_transport`. Operations on one transport must not overlap. */
class async_beast_transport {
public:
    using is_async_transport = std::true_type;
    using executor_type = boost::asio::any_io_executor;

    /// Errors: `errc::invalid_configuration` for a CA file that cannot be loaded.
    MTURK_CROWD_DECL static result<async_beast_transport> make(executor_type executor, endpoint where,
                                                               beast_options options = {},
                                                               sigv4::environment env = sigv4::process_environment());

    executor_type get_executor() const noexcept { return state_->executor; }
    /// Where it connects (scheme, host, port).
    endpoint const& service_endpoint() const noexcept { return state_->where; }
    std::size_t connections_opened() const noexcept { return state_->opened; }

    /** Sends one request; completes with `void(result<http_response>)`. The request is
        not copied: it must stay alive, unchanged, until the operation completes (as
        Beast's `async_write` asks of its message); the client's operations hold theirs. */
    template <class Token>
    auto async_send(http_request const& request, Token&& token)
    {
        // Only the initiation is compiled per token; the exchange behind the type-erased
        // handler is compiled once (in the compiled copy, with separate compilation).
        return boost::asio::async_initiate<Token, void(result<http_response>)>(
            [](auto handler, std::shared_ptr<state> s, http_request const* r) {
                start_send(std::move(s), r, send_handler(std::move(handler)));
            },
            token, state_, &request);
    }

private:
    using tcp = boost::asio::ip::tcp;
    using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

    struct state {
        executor_type executor;
        endpoint where;
        beast_options options;
        std::optional<resolved_proxy> proxy;  // the proxy every connection goes through, if any
        std::shared_ptr<boost::asio::ssl::context> tls;
        std::unique_ptr<boost::beast::tcp_stream> plain;
        std::unique_ptr<tls_stream> secure;
        boost::beast::flat_buffer buffer;
        std::size_t opened = 0;

        bool connected() const noexcept { return plain || secure; }
        // The TCP layer under TLS, or the plain stream: where timeouts and the socket are.
        boost::beast::tcp_stream& tcp_layer() { return secure ? boost::beast::get_lowest_layer(*secure) : *plain; }
        void close()
        {
            if (connected()) {
                boost::system::error_code ignored;
                tcp_layer().socket().close(ignored);
            }
            secure.reset();
            plain.reset();
            buffer.clear();
        }
    };

    async_beast_transport(executor_type executor, endpoint where, beast_options options,
                          std::shared_ptr<boost::asio::ssl::context> tls, std::optional<resolved_proxy> proxy)
        : state_(std::make_shared<state>())
    {
        state_->executor = std::move(executor);
        state_->where = std::move(where);
        state_->options = std::move(options);
        state_->tls = std::move(tls);
        state_->proxy = std::move(proxy);
    }

    /// Through the proxy to the service: CONNECT, and its answer read (2xx: the tunnel is open).
    MTURK_CROWD_DECL static boost::asio::awaitable<result<void>> open_tunnel(std::shared_ptr<state> s,
                                                                            boost::beast::tcp_stream& stream);

    /// A DNS lookup under way, shared by the coroutine and the resolver's handler.
    struct dns_lookup {
        explicit dns_lookup(executor_type e) : wake(std::move(e)) {}
        boost::asio::steady_timer wake;  // fired early by the handler
        boost::system::error_code ec;
        tcp::resolver::results_type results;
        bool done = false;
    };

    /** Resolves the host before `deadline`. getaddrinfo cannot be interrupted, so the
        coroutine waits on a timer that the lookup's handler (holding only shared state)
        fires early; on time-out the lookup is left to finish on its own. */
    MTURK_CROWD_DECL static boost::asio::awaitable<result<tcp::resolver::results_type>> resolve(
        std::shared_ptr<state> s, endpoint const& host, std::chrono::steady_clock::time_point deadline);
    /// Resolve, connect and (for HTTPS) the TLS handshake; failures are not sent.
    MTURK_CROWD_DECL static boost::asio::awaitable<result<void>> open(std::shared_ptr<state> s);
    /// Writes the request and reads its response on the open connection.
    MTURK_CROWD_DECL static boost::asio::awaitable<result<http_response>> exchange(std::shared_ptr<state> s,
                                                                                  http_request const& request,
                                                                                  bool& started, bool& keep_alive);
    using send_handler = boost::asio::any_completion_handler<void(result<http_response>)>;
    /// Runs `send_coroutine` on the transport's executor, completing `handler`.
    MTURK_CROWD_DECL static void start_send(std::shared_ptr<state> s, http_request const* request, send_handler handler);
    /// The whole send: the idle-connection check, (re)connecting, the exchange, one
    /// re-send on a connection the server closed as the request went out.
    MTURK_CROWD_DECL static boost::asio::awaitable<result<http_response>> send_coroutine(std::shared_ptr<state> s,
                                                                                        http_request const* request);

    std::shared_ptr<state> state_;  // shared with the running operation, so the transport may move meanwhile
};

/** HTTPS (and, for local endpoints, plain HTTP) over Boost.Beast, synchronous: the
    asynchronous transport above, run to completion on a private io_context, so the two
    share one connection logic (keep-alive, the idle-connection check, reconnection,
    timeouts, certificate checks) and cannot drift.

    Not thread-safe; one per client.
*/
class beast_transport {
public:
    /// Errors: `errc::invalid_configuration` for a CA file that cannot be loaded.
    MTURK_CROWD_DECL static result<beast_transport> make(endpoint where, beast_options options = {},
                                                         sigv4::environment env = sigv4::process_environment());

    /** Sends `request` and returns when it is answered or has failed. A failure says how
        far the request got (`error::progress()`): `not_sent` for resolve, connect and TLS
        failures, `sent_no_answer` once any of it was written. */
    MTURK_CROWD_DECL result<http_response> send(http_request const& request);

    /// Where it connects (scheme, host, port).
    endpoint const& service_endpoint() const noexcept { return inner_.service_endpoint(); }
    /// How many connections were opened so far (keep-alive shows as reuse).
    std::size_t connections_opened() const noexcept { return inner_.connections_opened(); }

private:
    beast_transport(std::unique_ptr<boost::asio::io_context> io, async_beast_transport inner)
        : io_(std::move(io)), inner_(std::move(inner))
    {
    }

    std::unique_ptr<boost::asio::io_context> io_;  // first: outlives the transport that runs on it
    async_beast_transport inner_;
};

static_assert(crowd::sends_requests<beast_transport>);

/** The HTTP client of the credential providers (instance metadata, containers, STS,
    SSO): one `beast_transport` per request, with `options`' TLS and proxy settings and the
    request's time-out for connecting, the handshake and the exchange. The link-local
    metadata and container endpoints (169.254.0.0/16, fd00:ec2::) never go through a proxy. */
MTURK_CROWD_DECL sigv4::http_fetch make_beast_fetch(beast_options options = {},
                                                    sigv4::environment env = sigv4::process_environment());

}  // namespace mturk::crowd::transport

namespace mturk::crowd {

/// The client most programs use: HTTPS over Boost.Beast, the system clock, the standard retry mode.
using client = basic_client<transport::beast_transport, system_clock, aws_retry>;

/** Makes a `client`: resolves the endpoint, builds its transport, and reads
    the retry mode and attempts (AWS_RETRY_MODE / AWS_MAX_ATTEMPTS, or the profile's
    retry_mode / max_attempts). The default credentials chain reaches STS, SSO, the
    container endpoint and instance metadata through `make_beast_fetch(options)` unless
    `config.credentials_fetch` is given. Errors: `errc::invalid_configuration`. */
MTURK_CROWD_DECL result<client> make_client(client_config config, transport::beast_options options = {});

}  // namespace mturk::crowd

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/transport/impl/beast.ipp>
#endif

#endif
