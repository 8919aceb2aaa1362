// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TRANSPORT_BEAST_HPP
#define MTURK_CROWD_TRANSPORT_BEAST_HPP

// The one header that pulls in Asio, Beast and <openssl/ssl.h> (docs/architecture.md: the core stays cheap).
#include <mturk/crowd/client.hpp>
#include <mturk/crowd/endpoint.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/http_message.hpp>
#include <mturk/crowd/sigv4/profile_file.hpp>
#include <mturk/crowd/transport/async_runner.hpp>

#include <boost/asio/any_io_executor.hpp>
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

/** HTTPS (or plain HTTP) over Boost.Beast on the caller's executor: `async_send` only.
    One kept-alive connection, re-opened when stale; the options and certificate checks of
    `beast_transport`. Operations on one transport must not overlap. */
class async_beast_transport {
public:
    using is_async_transport = std::true_type;
    using executor_type = boost::asio::any_io_executor;

    static result<async_beast_transport> make(executor_type executor, endpoint where, beast_options options = {},
                                              sigv4::environment env = sigv4::process_environment())
    {
        auto tls = detail::make_tls_context(where, options, env);
        if (!tls)
            return tls.error();
        return async_beast_transport(std::move(executor), std::move(where), std::move(options), std::move(*tls));
    }

    executor_type get_executor() const noexcept { return state_->executor; }
    /// Where it connects (scheme, host, port).
    endpoint const& service_endpoint() const noexcept { return state_->where; }
    std::size_t connections_opened() const noexcept { return state_->opened; }

    /// Sends one request; completes with `void(result<http_response>)`.
    template <class Token>
    auto async_send(http_request request, Token&& token)
    {
        return crowd::detail::run_as_operation<result<http_response>>(
            state_->executor, send_coroutine(state_, std::move(request)), std::forward<Token>(token));
    }

private:
    using tcp = boost::asio::ip::tcp;
    using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

    struct state {
        executor_type executor;
        endpoint where;
        beast_options options;
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
                          std::shared_ptr<boost::asio::ssl::context> tls)
        : state_(std::make_shared<state>())
    {
        state_->executor = std::move(executor);
        state_->where = std::move(where);
        state_->options = std::move(options);
        state_->tls = std::move(tls);
    }

    /** Resolves the host before `deadline`. getaddrinfo cannot be interrupted, so the
        coroutine waits on a timer that the lookup's handler (holding only shared state)
        fires early; on time-out the lookup is left to finish on its own. */
    static boost::asio::awaitable<result<tcp::resolver::results_type>> resolve(
        std::shared_ptr<state> s, std::chrono::steady_clock::time_point deadline)
    {
        namespace asio = boost::asio;
        struct lookup {
            explicit lookup(executor_type e) : wake(std::move(e)) {}
            asio::steady_timer wake;
            boost::system::error_code ec;
            tcp::resolver::results_type results;
            bool done = false;
        };
        auto state = std::make_shared<lookup>(s->executor);
        state->wake.expires_at(deadline);
        tcp::resolver resolver(s->executor);
        resolver.async_resolve(s->where.host, std::to_string(s->where.port),
                               [state](boost::system::error_code ec, tcp::resolver::results_type results) {
                                   state->ec = ec;
                                   state->results = std::move(results);
                                   state->done = true;
                                   // Ends the wait below, even one not yet started.
                                   state->wake.expires_at(asio::steady_timer::time_point::min());
                               });
        boost::system::error_code waited;
        co_await state->wake.async_wait(asio::redirect_error(asio::use_awaitable, waited));
        auto const limit = s->options.connect_timeout;
        if (!state->done)
            co_return detail::connection_failure("resolving", s->where,
                                                 waited ? waited : boost::beast::error::timeout, limit,
                                                 request_progress::not_sent);
        if (state->ec)
            co_return detail::connection_failure("resolving", s->where, state->ec, limit, request_progress::not_sent);
        co_return std::move(state->results);
    }

    static boost::asio::awaitable<result<void>> open(std::shared_ptr<state> s)
    {
        namespace asio = boost::asio;
        boost::system::error_code ec;
        // The connect timeout covers the DNS lookup and the TCP connect together.
        auto const deadline = std::chrono::steady_clock::now() + s->options.connect_timeout;
        auto endpoints = co_await resolve(s, deadline);
        if (!endpoints)
            co_return endpoints.error();
        auto stream = std::make_unique<boost::beast::tcp_stream>(s->executor);
        stream->expires_at(deadline);
        co_await stream->async_connect(*endpoints, asio::redirect_error(asio::use_awaitable, ec));
        if (ec)
            co_return detail::connection_failure("connecting to", s->where, ec, s->options.connect_timeout,
                                                 request_progress::not_sent);
        // A request goes out in one write and its answer comes back before the next:
        // Nagle's algorithm could only delay it.
        stream->socket().set_option(tcp::no_delay(true), ec);
        ++s->opened;
        if (!s->where.secure) {
            s->plain = std::move(stream);
            co_return result<void>{};
        }
        auto secure = std::make_unique<tls_stream>(std::move(*stream), *s->tls);
        if (auto prepared = detail::prepare_tls(*secure, s->where, s->options); !prepared)
            co_return prepared;
        boost::beast::get_lowest_layer(*secure).expires_after(s->options.handshake_timeout);
        co_await secure->async_handshake(asio::ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
        if (ec)
            co_return detail::handshake_failure(*secure, s->where, ec, s->options.handshake_timeout);
        s->secure = std::move(secure);
        co_return result<void>{};
    }

    template <class Stream>
    static boost::asio::awaitable<result<http_response>> exchange(std::shared_ptr<state> s, Stream& stream,
                                                                  http_request const& request, bool& started,
                                                                  bool& keep_alive)
    {
        namespace asio = boost::asio;
        namespace http = boost::beast::http;
        boost::system::error_code ec;
        auto message = detail::to_beast(request);
        auto const limit = s->options.request_timeout;
        s->tcp_layer().expires_after(limit);
        std::size_t const written =
            co_await http::async_write(stream, message, asio::redirect_error(asio::use_awaitable, ec));
        if (ec)
            co_return detail::connection_failure("sending to", s->where, ec, limit,
                                                 written == 0 ? request_progress::not_sent
                                                              : request_progress::sent_no_answer);
        http::response_parser<http::string_body> parser;
        parser.body_limit(s->options.max_response_bytes);
        co_await http::async_read_header(stream, s->buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        if (ec)
            co_return detail::connection_failure("reading the response of", s->where, ec, limit,
                                                 request_progress::sent_no_answer);
        started = true;
        co_await http::async_read(stream, s->buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        if (ec)
            co_return detail::connection_failure("reading the response of", s->where, ec, limit,
                                                 request_progress::sent_no_answer);
        keep_alive = parser.get().keep_alive();
        co_return detail::from_beast(parser.get());
    }

    static boost::asio::awaitable<result<http_response>> send_coroutine(std::shared_ptr<state> s, http_request request)
    {
        if (s->connected() && !detail::idle_connection_is_open(s->tcp_layer().socket()))
            s->close();  // closed by the server while idle: nothing was sent on it
        bool reused = s->connected();
        bool earlier_copy_sent = false;
        for (int round = 0;; ++round) {
            if (!s->connected()) {
                if (auto opened = co_await open(s); !opened)
                    co_return opened.error();
                reused = false;
            }
            bool started = false;
            bool keep_alive = false;
            // Not a conditional expression: g++ 12 destroys temporaries of a co_await in
            // both arms of one twice.
            result<http_response> response = error(errc::invalid_request);
            if (s->secure)
                response = co_await exchange(s, *s->secure, request, started, keep_alive);
            else
                response = co_await exchange(s, *s->plain, request, started, keep_alive);
            if (response) {
                if (!keep_alive)
                    s->close();
                response->resent = earlier_copy_sent;
                co_return response;
            }
            s->close();
            if (reused && !started && round == 0 && detail::is_stale(response.error().code())) {
                earlier_copy_sent = response.error().progress() != request_progress::not_sent;
                continue;
            }
            co_return response;
        }
    }

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
    static result<beast_transport> make(endpoint where, beast_options options = {},
                                        sigv4::environment env = sigv4::process_environment())
    {
        auto io = std::make_unique<boost::asio::io_context>();
        auto inner = async_beast_transport::make(io->get_executor(), std::move(where), std::move(options), std::move(env));
        if (!inner)
            return inner.error();
        return beast_transport(std::move(io), std::move(*inner));
    }

    /** Sends `request` and returns when it is answered or has failed. A failure says how
        far the request got (`error::progress()`): `not_sent` for resolve, connect and TLS
        failures, `sent_no_answer` once any of it was written. */
    result<http_response> send(http_request const& request)
    {
        std::optional<result<http_response>> out;
        inner_.async_send(request, [&out](result<http_response> r) { out = std::move(r); });
        io_->restart();
        // Until this request is done: an abandoned DNS lookup may still be running.
        while (!out && io_->run_one() != 0) {
        }
        if (!out)
            return error(errc::invalid_request, "beast_transport: the exchange ended without a result");
        return std::move(*out);
    }

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
