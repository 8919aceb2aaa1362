// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TRANSPORT_BEAST_HPP
#define MTURK_CROWD_TRANSPORT_BEAST_HPP

// The one header that pulls in Asio, Beast and <openssl/ssl.h> (docs/architecture.md: the core stays cheap).
#include <mturk/crowd/client.hpp>
#include <mturk/crowd/endpoint.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/http_message.hpp>
#include <mturk/crowd/sigv4/profile_file.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
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
};

namespace detail {

/// The TLS context of a transport: the user's, or one that trusts the system store (or
/// `ca_file` / AWS_CA_BUNDLE), TLS 1.2 at least. Null for plain HTTP.
inline result<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(endpoint const& where,
                                                                          beast_options const& options,
                                                                          sigv4::environment const& env)
{
    if (!where.secure || options.ssl_context)
        return options.ssl_context;
    auto tls = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(tls->native_handle(), TLS1_2_VERSION);
    std::string ca = options.ca_file;
    if (ca.empty())
        ca = env("AWS_CA_BUNDLE").value_or("");
    boost::system::error_code ec;
    if (!ca.empty())
        tls->load_verify_file(ca, ec);
    else
        tls->set_default_verify_paths(ec);
    if (ec)
        return error(errc::invalid_configuration,
                     (ca.empty() ? std::string("the system trust store") : "CA file " + ca) +
                         " cannot be loaded: " + ec.message());
    return tls;
}

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

inline error connection_failure(std::string_view what, endpoint const& where, boost::system::error_code ec,
                                std::chrono::milliseconds limit)
{
    std::string detail = std::string(what) + " " + where.host_header();
    if (ec == boost::asio::error::host_not_found_try_again) {
        // A generic code, so that retry policies see a temporary failure without knowing Asio.
        return {boost::system::errc::make_error_code(boost::system::errc::resource_unavailable_try_again),
                detail + ": a temporary failure in name resolution (" + ec.message() + ")"};
    }
    if (ec == boost::beast::http::error::end_of_stream || ec == boost::asio::error::eof ||
        ec == boost::asio::ssl::error::stream_truncated) {
        // The server closed the connection without an answer: a reset, as far as
        // retrying goes (and retries are safe: every call of this API is idempotent).
        return {boost::system::errc::make_error_code(boost::system::errc::connection_reset),
                detail + ": the server closed the connection without an answer"};
    }
    if (ec == boost::beast::error::timeout) {
        // A generic code, so that retry policies see a timeout without knowing Beast.
        return {boost::system::errc::make_error_code(boost::system::errc::timed_out),
                detail + ": no progress within " + std::to_string(limit.count()) + " ms"};
    }
    return {ec, detail};
}

/// The error of a failed step: the code's message says what failed, the detail where.
/// The progress says how far the request got (see `request_progress`).
inline error connection_failure(std::string_view what, endpoint const& where, boost::system::error_code ec,
                                std::chrono::milliseconds limit, request_progress progress)
{
    error e = connection_failure(what, where, ec, limit);
    e.set_progress(progress);
    return e;
}

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
inline bool idle_connection_is_open(boost::asio::ip::tcp::socket& socket)
{
    boost::system::error_code ec;
    socket.non_blocking(true, ec);
    if (ec)
        return false;
    char byte = 0;
    socket.receive(boost::asio::buffer(&byte, 1), boost::asio::ip::tcp::socket::message_peek, ec);
    boost::system::error_code ignored;
    socket.non_blocking(false, ignored);
    return ec == boost::asio::error::would_block;
}

/// A kept-alive connection the server closed meanwhile.
inline bool is_stale(boost::system::error_code ec)
{
    namespace sys = boost::system;
    return ec == boost::beast::http::error::end_of_stream || ec == boost::asio::error::eof ||
           ec == boost::asio::ssl::error::stream_truncated || ec == sys::errc::connection_reset ||
           ec == sys::errc::broken_pipe || ec == sys::errc::connection_aborted;
}

inline boost::beast::http::request<boost::beast::http::string_body> to_beast(http_request const& request)
{
    namespace http = boost::beast::http;
    http::verb const verb = request.method == http_method::put      ? http::verb::put
                            : request.method == http_method::delete_ ? http::verb::delete_
                            : request.method == http_method::post    ? http::verb::post
                                                                     : http::verb::get;
    http::request<http::string_body> message{verb, request.target, 11};
    for (auto const& f : request.fields)
        message.insert(f.name, f.value);
    message.body() = request.body;
    message.keep_alive(true);
    message.prepare_payload();
    return message;
}

inline http_response from_beast(boost::beast::http::response<boost::beast::http::string_body>& got)
{
    http_response out;
    out.status = got.result_int();
    for (auto const& f : got)
        out.fields.add(std::string(f.name_string()), std::string(f.value()));
    out.body = std::move(got.body());
    return out;
}

}  // namespace detail

/** HTTPS (and, for local endpoints, plain HTTP) over Boost.Beast, synchronous: one
    kept-alive connection, reused across requests and re-opened when the server has
    closed it; connect, TLS handshake and request timeouts; certificate verification on
    by default (system trust store, `verify_peer`, host-name check, SNI, TLS 1.2 at least).

    Not thread-safe; one per client.
*/
class beast_transport {
public:
    /// Errors: `errc::invalid_configuration` for a CA file that cannot be loaded.
    static result<beast_transport> make(endpoint where, beast_options options = {},
                                        sigv4::environment env = sigv4::process_environment())
    {
        auto tls = detail::make_tls_context(where, options, env);
        if (!tls)
            return tls.error();
        return beast_transport(std::move(where), std::move(options), std::move(*tls));
    }

    beast_transport(beast_transport&&) noexcept = default;
    beast_transport& operator=(beast_transport&&) noexcept = default;

    /** Sends `request`, on the kept-alive connection when it is still open, else on a new
        one. A failure says how far the request got (`error::progress()`): `not_sent` for
        resolve, connect and TLS failures, `sent_no_answer` once any of it was written. */
    result<http_response> send(http_request const& request)
    {
        if (connected() && !detail::idle_connection_is_open(lowest().socket()))
            close();  // closed by the server while idle: nothing was sent on it
        bool reused = connected();
        bool earlier_copy_sent = false;
        for (int round = 0;; ++round) {
            if (!connected()) {
                if (auto opened = open(); !opened)
                    return opened.error();
                reused = false;
            }
            bool response_started = false;
            auto response = exchange(request, response_started);
            if (response) {
                if (!response->keep_alive)
                    close();
                response->message.resent = earlier_copy_sent;
                return std::move(response->message);
            }
            close();
            // The server closed the kept-alive connection as the request went out: send it
            // again, once, on a new one, and say so if the first copy may have reached it.
            if (reused && !response_started && round == 0 && detail::is_stale(response.error().code())) {
                earlier_copy_sent = response.error().progress() != request_progress::not_sent;
                continue;
            }
            return response.error();
        }
    }

    endpoint const& where() const noexcept { return where_; }
    /// How many connections were opened so far (keep-alive shows as reuse).
    std::size_t connections_opened() const noexcept { return opened_; }

private:
    using tcp = boost::asio::ip::tcp;
    using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

    struct exchanged {
        http_response message;
        bool keep_alive;
    };

    beast_transport(endpoint where, beast_options options, std::shared_ptr<boost::asio::ssl::context> tls)
        : where_(std::move(where)), options_(std::move(options)), tls_context_(std::move(tls)),
          io_(std::make_unique<boost::asio::io_context>())
    {
    }

    bool connected() const noexcept { return plain_ || secure_; }

    boost::beast::tcp_stream& lowest() { return secure_ ? boost::beast::get_lowest_layer(*secure_) : *plain_; }

    /// Runs the asynchronous operation started by `start` to completion on the private
    /// io_context; the streams' expiry turns a stall into beast::error::timeout.
    template <class Start>
    boost::system::error_code run(Start&& start)
    {
        boost::system::error_code result;
        bool done = false;
        start([&](boost::system::error_code ec, auto&&...) {
            result = ec;
            done = true;
        });
        io_->restart();
        while (!done && io_->run_one() != 0) {
        }
        return result;
    }

    error failure(std::string_view what, boost::system::error_code ec, std::chrono::milliseconds limit,
                  request_progress progress) const
    {
        return detail::connection_failure(what, where_, ec, limit, progress);
    }

    /** Resolves the host before `deadline`. getaddrinfo cannot be interrupted, so on time-out
        the lookup is left to finish on its own: its handler holds only shared state. */
    result<tcp::resolver::results_type> resolve(std::chrono::steady_clock::time_point deadline)
    {
        struct lookup {
            boost::system::error_code ec;
            tcp::resolver::results_type results;
            bool done = false;
            bool expired = false;
        };
        auto state = std::make_shared<lookup>();
        tcp::resolver resolver(*io_);
        boost::asio::steady_timer timer(*io_, deadline);
        resolver.async_resolve(where_.host, std::to_string(where_.port),
                               [state](boost::system::error_code ec, tcp::resolver::results_type results) {
                                   state->ec = ec;
                                   state->results = std::move(results);
                                   state->done = true;
                               });
        timer.async_wait([state](boost::system::error_code ec) { state->expired = !ec; });
        io_->restart();
        while (!state->done && !state->expired && io_->run_one() != 0) {
        }
        if (!state->done)
            return failure("resolving", boost::beast::error::timeout, options_.connect_timeout, request_progress::not_sent);
        if (state->ec)
            return failure("resolving", state->ec, options_.connect_timeout, request_progress::not_sent);
        return std::move(state->results);
    }

    result<void> open()
    {
        auto& io = *io_;
        boost::system::error_code ec;
        // The connect timeout covers the DNS lookup and the TCP connect together.
        auto const deadline = std::chrono::steady_clock::now() + options_.connect_timeout;
        auto endpoints = resolve(deadline);
        if (!endpoints)
            return endpoints.error();
        auto stream = std::make_unique<boost::beast::tcp_stream>(io);
        stream->expires_at(deadline);
        ec = run([&](auto handler) { stream->async_connect(*endpoints, handler); });
        if (ec)
            return failure("connecting to", ec, options_.connect_timeout, request_progress::not_sent);
        ++opened_;
        // A request goes out in one write and its answer comes back before the next:
        // Nagle's algorithm could only delay it.
        stream->socket().set_option(tcp::no_delay(true), ec);
        if (!where_.secure) {
            plain_ = std::move(stream);
            return {};
        }

        auto secure = std::make_unique<tls_stream>(std::move(*stream), *tls_context_);
        if (auto prepared = detail::prepare_tls(*secure, where_, options_); !prepared)
            return prepared;
        boost::beast::get_lowest_layer(*secure).expires_after(options_.handshake_timeout);
        ec = run([&](auto handler) { secure->async_handshake(boost::asio::ssl::stream_base::client, handler); });
        if (ec)
            return detail::handshake_failure(*secure, where_, ec, options_.handshake_timeout);
        secure_ = std::move(secure);
        return {};
    }

    void close()
    {
        // Closing the socket is enough: a TLS close_notify to a server that is gone
        // would only add a wait.
        if (connected()) {
            boost::system::error_code ignored;
            lowest().socket().close(ignored);
        }
        secure_.reset();
        plain_.reset();
        buffer_.clear();
    }

    template <class Stream>
    result<exchanged> exchange_on(Stream& stream, http_request const& request, bool& response_started)
    {
        namespace http = boost::beast::http;
        auto message = detail::to_beast(request);

        lowest().expires_after(options_.request_timeout);
        std::size_t written = 0;
        auto ec = run([&](auto handler) {
            http::async_write(stream, message, [&written, handler](boost::system::error_code e, std::size_t n) mutable {
                written = n;
                handler(e);
            });
        });
        if (ec)
            return failure("sending to", ec, options_.request_timeout,
                           written == 0 ? request_progress::not_sent : request_progress::sent_no_answer);

        http::response_parser<http::string_body> parser;
        parser.body_limit(options_.max_response_bytes);
        ec = run([&](auto handler) { http::async_read_header(stream, buffer_, parser, handler); });
        if (ec)
            return failure("reading the response of", ec, options_.request_timeout, request_progress::sent_no_answer);
        response_started = true;
        ec = run([&](auto handler) { http::async_read(stream, buffer_, parser, handler); });
        if (ec)
            return failure("reading the response of", ec, options_.request_timeout, request_progress::sent_no_answer);
        bool const keep_alive = parser.get().keep_alive();
        return exchanged{detail::from_beast(parser.get()), keep_alive};
    }

    result<exchanged> exchange(http_request const& request, bool& response_started)
    {
        if (secure_)
            return exchange_on(*secure_, request, response_started);
        return exchange_on(*plain_, request, response_started);
    }

    endpoint where_;
    beast_options options_;
    std::shared_ptr<boost::asio::ssl::context> tls_context_;
    std::unique_ptr<boost::asio::io_context> io_;  // by pointer: the transport moves, its streams refer to it
    std::unique_ptr<boost::beast::tcp_stream> plain_;
    std::unique_ptr<tls_stream> secure_;
    boost::beast::flat_buffer buffer_;
    std::size_t opened_ = 0;
};

static_assert(crowd::sends_requests<beast_transport>);

}  // namespace mturk::crowd::transport

namespace mturk::crowd {

/// The client most programs use: HTTPS over Boost.Beast, the system clock, the standard retry mode.
using client = basic_client<transport::beast_transport, system_clock, aws_retry>;

/** Makes a `client`: resolves the endpoint, builds its transport, and reads
    the retry mode and attempts (AWS_RETRY_MODE / AWS_MAX_ATTEMPTS, or the profile's
    retry_mode / max_attempts). Errors: `errc::invalid_configuration`. */
inline result<client> make_client(client_config config, transport::beast_options options = {})
{
    auto where = resolve_endpoint(config.endpoint, config.region, config.env);
    if (!where)
        return where.error();
    auto transport = transport::beast_transport::make(*where, std::move(options), config.env);
    if (!transport)
        return transport.error();
    auto retry = aws_retry::from_environment(config.env);
    if (!retry)
        return retry.error();
    return client::make(std::move(config), std::move(*transport), system_clock{}, std::move(*retry));
}

}  // namespace mturk::crowd

#endif
