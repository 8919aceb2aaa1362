// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TRANSPORT_IMPL_BEAST_IPP
#define MTURK_CROWD_TRANSPORT_IMPL_BEAST_IPP

#include <mturk/crowd/transport/beast.hpp>
#include <mturk/crowd/transport/detail/http_stream.hpp>
#include <mturk/crowd/transport/detail/response_reader.hpp>
#include <mturk/crowd/transport/detail/timed_tcp_stream.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <sys/socket.h>
#if __has_include(<netinet/tcp.h>)
#include <netinet/in.h>
#include <netinet/tcp.h>
#endif

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <new>
#include <unordered_map>

namespace mturk::crowd::transport {
namespace detail {

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

/** Writes the head of `request` as HTTP/1.1 into `out` (cleared first, its storage
    reused): the request line (`target_prefix` before the target: the scheme and host
    that a plain request through a proxy names), the fields, `Proxy-Authorization` when
    given, and `Content-Length` from the body (the body follows the head as it is).
    Errors: `errc::invalid_request` for a field whose name or value would break the
    message (CR, LF or NUL; a name that is not an HTTP token). */
MTURK_CROWD_DECL result<void> write_request_head(http_request const& request, std::string_view target_prefix,
                                                 std::string_view proxy_authorization, std::string& out);



MTURK_CROWD_DECL result<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(endpoint const& where,
                                                                          beast_options const& options,
                                                                          environment const& env)
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

MTURK_CROWD_DECL error connection_failure(std::string_view what, endpoint const& where, boost::system::error_code ec,
                                std::chrono::milliseconds limit)
{
    error e = [&]() -> error {
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
    }();
    // The scheme that is not the server's shows as these: say so (the engine adds where
    // the endpoint came from).
    if (where.secure && ec.category() == boost::asio::error::get_ssl_category() &&
        ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_WRONG_VERSION_NUMBER)
        e.set_hint("the server did not answer in TLS: if it serves plain HTTP, the endpoint should start with http://");
    else if (!where.secure && ec.category() == boost::beast::http::make_error_code(boost::beast::http::error::bad_version).category() &&
             ec != boost::beast::http::error::end_of_stream)
        e.set_hint("the answer is not HTTP: if the server speaks HTTPS, the endpoint should start with https://");
    return e;
}

MTURK_CROWD_DECL error connection_failure(std::string_view what, endpoint const& where, boost::system::error_code ec,
                                std::chrono::milliseconds limit, request_progress progress)
{
    error e = connection_failure(what, where, ec, limit);
    e.set_progress(progress);
    return e;
}

MTURK_CROWD_DECL bool idle_connection_is_open(boost::asio::ip::tcp::socket& socket)
{
    // One non-blocking peek (MSG_DONTWAIT): no switching the socket's mode back and forth,
    // which cost two more system calls per request.
    char byte = 0;
    for (;;) {
        auto const got = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        if (got < 0 && errno == EINTR)
            continue;
        return got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
}

MTURK_CROWD_DECL bool is_stale(boost::system::error_code ec)
{
    namespace sys = boost::system;
    return ec == boost::beast::http::error::end_of_stream || ec == boost::asio::error::eof ||
           ec == boost::asio::ssl::error::stream_truncated || ec == sys::errc::connection_reset ||
           ec == sys::errc::broken_pipe || ec == sys::errc::connection_aborted;
}

MTURK_CROWD_DECL result<void> write_request_head(http_request const& request, std::string_view target_prefix,
                                                 std::string_view proxy_authorization, std::string& out)
{
    // Both checks look at each character once, in a loop the compiler sees through: every
    // request's target and fields pass here. (`find_first_of` asked memchr about the set
    // once per character: 1.1 µs of processor time a request, crowd-bench-client.)
    auto is_tchar = [](char c) {
        switch (c) {
        case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
        case '-': case '.': case '^': case '_': case '`': case '|': case '~':
            return true;
        default:
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        }
    };
    auto is_token = [&](std::string_view name) { return !name.empty() && std::all_of(name.begin(), name.end(), is_tchar); };
    auto breaks_line = [](std::string_view text) {
        return std::any_of(text.begin(), text.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
    };
    if (breaks_line(request.target) || request.target.find(' ') != std::string::npos)
        return error(errc::invalid_request, "the request target has a space, CR, LF or NUL");
    out.clear();
    out += to_string(request.method);
    out += ' ';
    out += target_prefix;
    out += request.target;
    out += " HTTP/1.1\r\n";
    for (auto const& f : request.fields) {
        if (!is_token(f.name))
            return error(errc::invalid_request, "a header field name is not an HTTP token: \"" + std::string(f.name) + "\"");
        if (breaks_line(f.value))
            return error(errc::invalid_request, "header field " + std::string(f.name) + ": its value has CR, LF or NUL");
        // The transport frames the body itself.
        if (crowd::detail::iequals(f.name, "Content-Length") || crowd::detail::iequals(f.name, "Transfer-Encoding"))
            continue;
        out += f.name;
        out += ": ";
        out += f.value;
        out += "\r\n";
    }
    if (!proxy_authorization.empty()) {
        out += "Proxy-Authorization: ";
        out += proxy_authorization;
        out += "\r\n";
    }
    // As Beast's prepare_payload: a length for any body, and for the methods that carry one.
    if (!request.body.empty() || request.method == http_method::put || request.method == http_method::post) {
        char digits[24];
        auto const end = std::to_chars(digits, digits + sizeof digits, request.body.size()).ptr;
        out += "Content-Length: ";
        out.append(digits, end);
        out += "\r\n";
    }
    out += "\r\n";
    return {};
}

}  // namespace detail

namespace detail {

/// One connection of the pool: its stream (TLS or plain) and its read buffer.
struct pooled_connection {
    using tls_stream = http_stream::tls_stream;

    std::unique_ptr<timed_tcp_stream> plain;
    std::unique_ptr<tls_stream> secure;
    boost::beast::flat_buffer buffer;
    std::string request_head;  // the head of the request being sent; its storage serves the next

    // The TCP layer under TLS, or the plain stream: where timeouts and the socket are.
    timed_tcp_stream& tcp_layer() { return secure ? boost::beast::get_lowest_layer(*secure) : *plain; }
    http_stream stream() { return secure ? http_stream(*secure) : http_stream(*plain); }
};

/// A send waiting for a connection: woken by the send that hands it one.
struct pool_waiter {
    explicit pool_waiter(boost::asio::any_io_executor e) : wake(std::move(e))
    {
        wake.expires_at(boost::asio::steady_timer::time_point::max());
    }
    boost::asio::steady_timer wake;
    std::optional<pool_state::grant> given;
};

/// What a send holds while it runs: its slot in the pool and, once open, the connection.
struct connection_lease {
    std::size_t slot = 0;
    std::unique_ptr<pooled_connection> connection;  // null: to be opened in `slot`
};

}  // namespace detail

/** The pool and what every send shares. The lock guards the pool's state, the idle
    connections and the waiters; a connection in use belongs to its send alone. */
struct async_beast_transport::shared_state {
    using tcp = boost::asio::ip::tcp;

    executor_type executor;
    endpoint where;
    beast_options options;
    std::optional<resolved_proxy> proxy;  // the proxy every connection goes through, if any
    std::shared_ptr<boost::asio::ssl::context> tls;

    std::mutex mutex;
    pool_state pool;
    std::vector<std::unique_ptr<detail::pooled_connection>> idle;  // by slot: the idle ones
    std::unordered_map<std::uint64_t, std::shared_ptr<detail::pool_waiter>> waiters;

    shared_state(executor_type e, endpoint w, beast_options o, std::optional<resolved_proxy> p,
                 std::shared_ptr<boost::asio::ssl::context> t)
        : executor(std::move(e)), where(std::move(w)), options(std::move(o)), proxy(std::move(p)), tls(std::move(t)),
          pool(options.pool), idle(pool.options().max_connections)
    {
    }

    /// Closes the idle connections kept for too long. Needs the lock.
    void close_expired(std::chrono::steady_clock::time_point now)
    {
        for (auto slot : pool.expire_idle(now)) {
            idle[slot].reset();  // the socket closes with it
            if (options.logger.enabled(log_level::debug, log_mode::pool))
                log(nullptr, log_level::debug, "closed connection " + std::to_string(slot) + " to " + where.host_header() +
                                                   ": idle for longer than " +
                                                   std::to_string(options.pool.idle_timeout.count()) + " ms");
        }
    }

    /// The TCP keep-alive in force, in seconds: 0 when off.
    std::chrono::seconds::rep keepalive_seconds() const noexcept
    {
        return options.tcp_keepalive ? std::max<std::chrono::seconds::rep>(options.tcp_keepalive->count(), 0) : 0;
    }

    /// One "pool" record, for `request` (null: none).
    void log(http_request const* request, log_level level, std::string const& message) const
    {
        log_record r{.time = std::chrono::system_clock::now(), .level = level, .component = "pool", .message = message};
        if (request)
            r.invocation_id = request->fields.find("amz-sdk-invocation-id").value_or("");
        options.logger.sink(r);
    }

    /// Gives a waiter what the pool handed it. Needs the lock.
    void hand_over(pool_state::handoff const& h)
    {
        auto found = waiters.find(h.ticket);
        if (found == waiters.end())
            return;
        found->second->given = h.given;
        // Expired, not cancelled: a wait not yet started completes at once too. On the
        // executor, where the waiter's wait runs: a synchronous send gives its connection
        // back from its own thread (dispatch runs it at once when already there).
        boost::asio::dispatch(executor, [waiter = found->second] {
            waiter->wake.expires_at(boost::asio::steady_timer::time_point::min());
        });
        waiters.erase(found);
    }

    /// A send is over with its lease: a connection kept alive goes back (to a waiter, or
    /// idle); anything else is closed, and its slot freed.
    void give_back(detail::connection_lease lease, bool reusable)
    {
        auto const now = std::chrono::steady_clock::now();
        reusable = reusable && lease.connection;
        if (!reusable)
            lease.connection.reset();
        std::lock_guard<std::mutex> lock(mutex);
        auto handed = pool.release(lease.slot, reusable, now);
        if (reusable)
            idle[lease.slot] = std::move(lease.connection);  // a waiter given it takes it from here
        if (handed)
            hand_over(*handed);
        close_expired(now);
    }

    /** A lease for one send: an idle connection, a slot to open one in, or, with every
        slot busy, its turn in the queue. Cancelled while waiting: `operation_aborted`. */
    boost::asio::awaitable<result<detail::connection_lease>> lease()
    {
        namespace asio = boost::asio;
        std::shared_ptr<detail::pool_waiter> waiter;
        pool_state::grant granted;
        {
            std::lock_guard<std::mutex> lock(mutex);
            close_expired(std::chrono::steady_clock::now());
            granted = pool.acquire();
            if (granted.what == pool_state::grant::wait) {
                waiter = std::make_shared<detail::pool_waiter>(executor);
                waiters.emplace(granted.ticket, waiter);
                if (options.logger.enabled(log_level::debug, log_mode::pool))
                    log(nullptr, log_level::debug,
                        "every connection to " + where.host_header() + " is in use (" +
                            std::to_string(pool.options().max_connections) + "): waiting for one, " +
                            std::to_string(pool.counters().waiting) + " waiting");
            }
        }
        if (waiter) {
            boost::system::error_code ignored;
            co_await waiter->wake.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
            bool const cancelled = (co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none;
            std::unique_lock<std::mutex> lock(mutex);
            if (!waiter->given) {
                pool.cancel_wait(granted.ticket);
                waiters.erase(granted.ticket);
                co_return error(asio::error::operation_aborted, "cancelled while waiting for a connection to " +
                                                                    where.host_header())
                    .set_progress(request_progress::not_sent);
            }
            granted = *waiter->given;
            if (cancelled) {  // served and cancelled at once: the grant goes on to the next
                detail::connection_lease unused{granted.slot, std::move(idle[granted.slot])};
                lock.unlock();
                give_back(std::move(unused), granted.what == pool_state::grant::reuse);
                co_return error(asio::error::operation_aborted, "cancelled while waiting for a connection to " +
                                                                    where.host_header())
                    .set_progress(request_progress::not_sent);
            }
        }
        detail::connection_lease out{granted.slot, nullptr};
        if (granted.what == pool_state::grant::reuse) {
            std::lock_guard<std::mutex> lock(mutex);
            out.connection = std::move(idle[granted.slot]);
        }
        co_return out;
    }

    /// Resolves the host before `deadline` (see `resolve` in the .ipp's comment).
    boost::asio::awaitable<result<tcp::resolver::results_type>> resolve(endpoint const& host,
                                                                          std::chrono::steady_clock::time_point deadline);
    /// Resolve, connect and (for HTTPS) the TLS handshake; failures are not sent.
    boost::asio::awaitable<result<std::unique_ptr<detail::pooled_connection>>> open();
    /// Through the proxy to the service: CONNECT, and its answer read (2xx: the tunnel is open).
    boost::asio::awaitable<result<void>> open_tunnel(detail::timed_tcp_stream& stream);
    /// The head of `request` into `c.request_head`, as this connection sends it (through a
    /// proxy, plain HTTP names the whole URL).
    result<void> write_head(detail::pooled_connection& c, http_request const& request) const;
    /// Writes the request and reads its response on an open connection.
    boost::asio::awaitable<result<http_response>> exchange(detail::pooled_connection& c, http_request const& request,
                                                           bool& started, bool& keep_alive);
    /// The same exchange in blocking calls on this thread, under the same time-out.
    result<http_response> exchange_blocking(detail::pooled_connection& c, http_request const& request, bool& started,
                                            bool& keep_alive);
    /** The whole send: a lease, the idle-connection check, (re)connecting, the exchange,
        one re-send on a kept connection the server closed as the request went out.
        `held`: a lease the synchronous path took already (its connection is to be
        opened), and whether a copy of the request went out on the connection it had. */
    boost::asio::awaitable<result<http_response>> send(http_request const& request,
                                                       std::optional<detail::connection_lease> held = std::nullopt,
                                                       bool earlier_copy_sent = false);

    /// What the synchronous path did: the answer, or the lease to go on with (none: wait
    /// for one, as `send` does).
    struct blocking_outcome {
        std::optional<result<http_response>> answer;
        std::optional<detail::connection_lease> lease;
        bool earlier_copy_sent = false;
    };
    /** The synchronous transport's send on the calling thread, while a kept connection is
        idle: no io_context, no coroutine, the exchange in blocking calls bounded by the
        socket's time-outs. What needs the reactor (waiting for a connection, resolving,
        connecting, the handshake) it leaves to `send`, with the lease it took. */
    blocking_outcome send_blocking(http_request const& request);

    /** Whether the lease's kept connection is still open and may carry the request: a
        connection the server closed (or wrote to) while idle is dropped, nothing having
        been sent on it. False too when there was none. */
    bool keep_if_open(detail::connection_lease& lease, http_request const& request, bool logging) const
    {
        if (!lease.connection)
            return false;
        bool const open = detail::idle_connection_is_open(lease.connection->tcp_layer().socket());
        if (!open)
            lease.connection.reset();
        if (logging)
            log(&request, log_level::debug,
                open ? "reusing connection " + std::to_string(lease.slot) + " to " + where.host_header()
                     : "connection " + std::to_string(lease.slot) + " to " + where.host_header() +
                           " was closed by the server while idle: opening another");
        return open;
    }
};

namespace detail {

/** Whether a failed exchange is sent again on a new connection: once, when the
    connection was a kept one that the server had closed (a reset or an end of stream
    before any answer), the way every HTTP client treats a stale kept connection. Safe,
    as every call of this API is idempotent. */
inline bool resend_on_new_connection(bool reused, bool started, int round, error const& failure, bool stopped)
{
    return reused && !started && round == 0 && is_stale(failure.code()) && !stopped;
}

/// A DNS lookup under way, shared by the coroutine and the resolver's handler.
struct dns_lookup {
    explicit dns_lookup(boost::asio::any_io_executor e) : wake(std::move(e)) {}
    boost::asio::steady_timer wake;  // fired early by the handler
    boost::system::error_code ec;
    boost::asio::ip::tcp::resolver::results_type results;
    bool done = false;
};

/// Whether the coroutine was cancelled (terminal, through the send's slot).
inline boost::asio::awaitable<bool> cancelled()
{
    co_return (co_await boost::asio::this_coro::cancellation_state).cancelled() != boost::asio::cancellation_type::none;
}

}  // namespace detail

/** getaddrinfo cannot be interrupted, so the coroutine waits on a timer that the lookup's
    handler (holding only shared state) fires early; on time-out or cancellation the lookup
    is left to finish on its own. */
inline boost::asio::awaitable<result<boost::asio::ip::tcp::resolver::results_type>>
async_beast_transport::shared_state::resolve(endpoint const& host, std::chrono::steady_clock::time_point deadline)
{
    namespace asio = boost::asio;
    auto lookup = std::make_shared<detail::dns_lookup>(executor);
    lookup->wake.expires_at(deadline);
    boost::system::error_code not_started;
    std::optional<tcp::resolver> resolver;  // lives until the wait is over: its destruction cancels the lookup
    try {
        // Asio starts its resolver's thread on first use, and throws when it cannot (no
        // file descriptor or thread left): reported as the failure to resolve it is.
        resolver.emplace(executor);
        resolver->async_resolve(host.host, std::to_string(host.port),
                               [lookup](boost::system::error_code ec, tcp::resolver::results_type results) {
                                   lookup->ec = ec;
                                   lookup->results = std::move(results);
                                   lookup->done = true;
                                   // Ends the wait below, even one not yet started.
                                   lookup->wake.expires_at(asio::steady_timer::time_point::min());
                               });
    } catch (boost::system::system_error const& e) {
        not_started = e.code();
    }
    if (not_started)
        co_return detail::connection_failure("resolving", host, not_started, options.connect_timeout,
                                             request_progress::not_sent);
    boost::system::error_code waited;
    co_await lookup->wake.async_wait(asio::redirect_error(asio::use_awaitable, waited));
    auto const limit = options.connect_timeout;
    // (g++ 12 fails on a co_await inside a condition: each is a statement of its own here.)
    bool const stopped = co_await detail::cancelled();
    if (!lookup->done || stopped)
        co_return detail::connection_failure("resolving", host, waited ? waited : boost::beast::error::timeout, limit,
                                             request_progress::not_sent);
    if (lookup->ec)
        co_return detail::connection_failure("resolving", host, lookup->ec, limit, request_progress::not_sent);
    co_return std::move(lookup->results);
}

inline boost::asio::awaitable<result<std::unique_ptr<detail::pooled_connection>>>
async_beast_transport::shared_state::open()
{
    namespace asio = boost::asio;
    boost::system::error_code ec;
    // The connect timeout covers the DNS lookup and the TCP connect together.
    auto const deadline = std::chrono::steady_clock::now() + options.connect_timeout;
    // Through a proxy, the TCP connection goes to the proxy; the service's name is only
    // resolved by the proxy.
    endpoint const& first_hop = proxy ? proxy->where : where;
    auto endpoints = co_await resolve(first_hop, deadline);
    if (!endpoints)
        co_return endpoints.error();
    auto stream = std::make_unique<detail::timed_tcp_stream>(executor);
    stream->expires_at(deadline);
    // Each address in turn, the socket opened here: Asio's range connect reports a socket
    // it could not open (no file descriptor left) as operation_aborted, a cancellation.
    ec = asio::error::host_not_found;
    char const* what = proxy ? "connecting to the proxy" : "connecting to";
    for (auto const& entry : *endpoints) {
        boost::system::error_code ignored;
        stream->socket().close(ignored);
        stream->socket().open(entry.endpoint().protocol(), ec);
        if (ec) {
            what = "opening a socket to";
            break;
        }
        co_await stream->async_connect(entry.endpoint(), asio::redirect_error(asio::use_awaitable, ec));
        bool const stopped_connecting = co_await detail::cancelled();
        if (!ec && stopped_connecting)
            ec = asio::error::operation_aborted;
        if (!ec || stopped_connecting || ec == boost::beast::error::timeout)
            break;
    }
    if (ec)
        co_return detail::connection_failure(what, first_hop, ec, options.connect_timeout, request_progress::not_sent);
    // A request goes out in one write and its answer comes back before the next:
    // Nagle's algorithm could only delay it.
    stream->socket().set_option(tcp::no_delay(true), ec);
    if (keepalive_seconds() > 0) {
        stream->socket().set_option(asio::socket_base::keep_alive(true), ec);
#if defined(TCP_KEEPIDLE) && defined(TCP_KEEPINTVL)
        // Asio has no option for the probes' timing: the platform's, where it has them.
        int const seconds = static_cast<int>(std::min<std::chrono::seconds::rep>(keepalive_seconds(), 32767));
        ::setsockopt(stream->socket().native_handle(), IPPROTO_TCP, TCP_KEEPIDLE, &seconds, sizeof seconds);
        ::setsockopt(stream->socket().native_handle(), IPPROTO_TCP, TCP_KEEPINTVL, &seconds, sizeof seconds);
#endif
    }
    {
        std::lock_guard<std::mutex> lock(mutex);
        pool.opened();
    }
    if (proxy && where.secure) {
        if (auto tunnel = co_await open_tunnel(*stream); !tunnel)
            co_return tunnel.error();
    }
    auto c = std::make_unique<detail::pooled_connection>();
    if (!where.secure) {
        c->plain = std::move(stream);
        co_return c;
    }
    auto secure = std::make_unique<detail::pooled_connection::tls_stream>(std::move(*stream), *tls);
    if (auto prepared = detail::prepare_tls(*secure, where, options); !prepared)
        co_return prepared.error();
    boost::beast::get_lowest_layer(*secure).expires_after(options.handshake_timeout);
    co_await secure->async_handshake(asio::ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
    bool const stopped_handshaking = co_await detail::cancelled();
    if (!ec && stopped_handshaking)
        ec = asio::error::operation_aborted;
    if (ec)
        co_return detail::handshake_failure(*secure, where, ec, options.handshake_timeout);
    c->secure = std::move(secure);
    co_return c;
}

inline boost::asio::awaitable<result<void>> async_beast_transport::shared_state::open_tunnel(
    detail::timed_tcp_stream& stream)
{
    namespace asio = boost::asio;
    namespace http = boost::beast::http;
    boost::system::error_code ec;
    std::string const authority = where.host_header().find(':') != std::string::npos && where.host_header().back() != ']'
                                      ? where.host_header()
                                      : where.host_header() + ":" + std::to_string(where.port);
    http::request<http::empty_body> connect{http::verb::connect, authority, 11};
    connect.set(http::field::host, authority);
    if (!proxy->authorization.empty())
        connect.set(http::field::proxy_authorization, proxy->authorization);
    stream.expires_after(options.connect_timeout);
    detail::http_stream http_layer(stream);
    co_await http::async_write(http_layer, connect, asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return detail::connection_failure("opening a tunnel through the proxy", proxy->where, ec,
                                             options.connect_timeout, request_progress::not_sent);
    // The answer to CONNECT has no body; what follows it is the tunnel.
    http::response_parser<http::empty_body> answer;
    answer.skip(true);
    boost::beast::flat_buffer buffer;
    co_await http::async_read_header(http_layer, buffer, answer, asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return detail::connection_failure("opening a tunnel through the proxy", proxy->where, ec,
                                             options.connect_timeout, request_progress::not_sent);
    auto const status = answer.get().result_int();
    if (status < 200 || status > 299) {
        std::string why = "the proxy " + proxy->url_for_logs + " refused a tunnel to " + authority + ": " +
                          std::to_string(status) + " " + std::string(answer.get().reason());
        // 407 is the standard answer; some proxies (tinyproxy) answer a wrong password 401.
        if (status == 407 || (status == 401 && !proxy->authorization.empty()))
            why += proxy->authorization.empty() ? " (it wants credentials: put user:password in the proxy URL)"
                                                : " (it refused the user and password of the proxy URL)";
        co_return error(make_error_code(errc::proxy_refused), std::move(why)).set_progress(request_progress::not_sent);
    }
    if (buffer.size() != 0)
        co_return error(make_error_code(errc::proxy_refused),
                        "the proxy " + proxy->url_for_logs + " sent bytes after its answer to CONNECT")
            .set_progress(request_progress::not_sent);
    co_return result<void>{};
}

inline result<void> async_beast_transport::shared_state::write_head(detail::pooled_connection& c,
                                                                   http_request const& request) const
{
    std::string absolute_prefix;
    std::string_view proxy_authorization;
    if (proxy && !where.secure) {
        // Plain HTTP through a proxy: the request names the whole URL (RFC 9112, 3.2.2).
        absolute_prefix = "http://" + where.host_header();
        proxy_authorization = proxy->authorization;
    }
    if (auto head = detail::write_request_head(request, absolute_prefix, proxy_authorization, c.request_head); !head)
        return error(head.error()).set_progress(request_progress::not_sent);
    return {};
}

inline boost::asio::awaitable<result<http_response>> async_beast_transport::shared_state::exchange(
    detail::pooled_connection& c, http_request const& request, bool& started, bool& keep_alive)
{
    namespace asio = boost::asio;
    namespace http = boost::beast::http;
    auto stream = c.stream();
    boost::system::error_code ec;
    if (auto head = write_head(c, request); !head)
        co_return head.error();
    auto const limit = options.request_timeout;
    c.tcp_layer().resume_async();  // it may have been used in blocking calls last time
    c.tcp_layer().expires_after(limit);
    std::array<asio::const_buffer, 2> const message{asio::buffer(c.request_head), asio::buffer(request.body)};
    std::size_t const written = co_await asio::async_write(stream, message, asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return detail::connection_failure("sending to", where, ec, limit,
                                             written == 0 ? request_progress::not_sent : request_progress::sent_no_answer);
    http_response response;
    response.fields.reserve(16, 512);
    detail::response_reader reader(response);
    reader.body_limit(options.max_response_bytes);
    co_await http::async_read_header(stream, c.buffer, reader, asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return detail::connection_failure("reading the response of", where, ec, limit, request_progress::sent_no_answer);
    started = true;
    co_await http::async_read(stream, c.buffer, reader, asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return detail::connection_failure("reading the response of", where, ec, limit, request_progress::sent_no_answer);
    keep_alive = reader.keep_alive();
    co_return response;
}

inline result<http_response> async_beast_transport::shared_state::exchange_blocking(detail::pooled_connection& c,
                                                                                    http_request const& request,
                                                                                    bool& started, bool& keep_alive)
{
    // The asynchronous exchange above, step for step, in blocking calls: the same head,
    // reader, limits and errors; the time-out is the whole exchange's, as there.
    namespace asio = boost::asio;
    namespace http = boost::beast::http;
    auto stream = c.stream();
    boost::system::error_code ec;
    if (auto head = write_head(c, request); !head)
        return head.error();
    auto const limit = options.request_timeout;
    if (!c.tcp_layer().block_until(std::chrono::steady_clock::now() + limit, ec))
        return detail::connection_failure("sending to", where, ec, limit, request_progress::not_sent);
    std::array<asio::const_buffer, 2> const message{asio::buffer(c.request_head), asio::buffer(request.body)};
    std::size_t const written = asio::write(stream, message, ec);
    if (ec)
        return detail::connection_failure("sending to", where, ec, limit,
                                          written == 0 ? request_progress::not_sent : request_progress::sent_no_answer);
    http_response response;
    response.fields.reserve(16, 512);
    detail::response_reader reader(response);
    reader.body_limit(options.max_response_bytes);
    http::read_header(stream, c.buffer, reader, ec);
    if (ec)
        return detail::connection_failure("reading the response of", where, ec, limit, request_progress::sent_no_answer);
    started = true;
    http::read(stream, c.buffer, reader, ec);
    if (ec)
        return detail::connection_failure("reading the response of", where, ec, limit, request_progress::sent_no_answer);
    keep_alive = reader.keep_alive();
    return response;
}

inline boost::asio::awaitable<result<http_response>> async_beast_transport::shared_state::send(
    http_request const& request, std::optional<detail::connection_lease> held, bool earlier_copy_sent)
{
    // A cancelled step ends with its error code (operation_aborted), which is reported as
    // such: never an exception (Asio's default for a cancelled coroutine's next co_await).
    co_await boost::asio::this_coro::throw_if_cancelled(false);
    if (!held) {
        auto leased = co_await lease();
        if (!leased)
            co_return leased.error();
        held.emplace(std::move(*leased));
    }
    detail::connection_lease lease = std::move(*held);
    bool const logging = options.logger.enabled(log_level::debug, log_mode::pool);
    bool reused = keep_if_open(lease, request, logging);
    for (int round = 0;; ++round) {
        if (!lease.connection) {
            auto const began = std::chrono::steady_clock::now();
            auto opened = co_await open();
            if (!opened) {
                give_back(std::move(lease), false);
                co_return opened.error();
            }
            lease.connection = std::move(*opened);
            reused = false;
            if (logging)
                log(&request, log_level::debug,
                    "opened connection " + std::to_string(lease.slot) + " to " + where.host_header() +
                        (proxy ? " through the proxy " + proxy->where.host_header() : std::string()) + " in " +
                        std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::steady_clock::now() - began)
                                           .count()) +
                        " ms" +
                        (keepalive_seconds() > 0 ? " (TCP keep-alive " + std::to_string(keepalive_seconds()) + " s)"
                                                 : std::string()));
        }
        bool started = false;
        bool keep_alive = false;
        result<http_response> response = co_await exchange(*lease.connection, request, started, keep_alive);
        if (response) {
            give_back(std::move(lease), keep_alive);
            response->resent = earlier_copy_sent;
            co_return response;
        }
        lease.connection.reset();  // a connection that failed is never used again
        bool const stopped = co_await detail::cancelled();
        if (detail::resend_on_new_connection(reused, started, round, response.error(), stopped)) {
            earlier_copy_sent = response.error().progress() != request_progress::not_sent;
            continue;
        }
        give_back(std::move(lease), false);
        // A plain-HTTP server never closes a new connection without a word; a TLS server
        // given plain text does: say what it likely is.
        if (!where.secure && !reused && !started && response.error() == boost::system::errc::connection_reset &&
            response.error().hint().empty() && !stopped) {
            error closed = response.error();
            closed.set_hint("the server closed a new connection without answering: if it speaks HTTPS, the endpoint "
                            "should start with https://");
            co_return closed;
        }
        co_return response;
    }
}

inline async_beast_transport::shared_state::blocking_outcome async_beast_transport::shared_state::send_blocking(
    http_request const& request)
{
    blocking_outcome out;
    detail::connection_lease lease;
    {
        std::lock_guard<std::mutex> lock(mutex);
        close_expired(std::chrono::steady_clock::now());
        auto granted = pool.acquire_if_free();
        if (!granted)
            return out;  // every slot in use: `send` queues for one
        lease.slot = granted->slot;
        if (granted->what == pool_state::grant::reuse)
            lease.connection = std::move(idle[granted->slot]);
    }
    if (!keep_if_open(lease, request, options.logger.enabled(log_level::debug, log_mode::pool))) {
        out.lease.emplace(std::move(lease));  // to be opened: that needs the reactor
        return out;
    }
    bool started = false;
    bool keep_alive = false;
    result<http_response> response = exchange_blocking(*lease.connection, request, started, keep_alive);
    if (response) {
        give_back(std::move(lease), keep_alive);
        out.answer.emplace(std::move(response));
        return out;
    }
    lease.connection.reset();  // a connection that failed is never used again
    if (detail::resend_on_new_connection(true, started, 0, response.error(), false)) {
        out.earlier_copy_sent = response.error().progress() != request_progress::not_sent;
        out.lease.emplace(std::move(lease));
        return out;
    }
    give_back(std::move(lease), false);
    out.answer.emplace(std::move(response));
    return out;
}

MTURK_CROWD_DECL result<async_beast_transport> async_beast_transport::make(executor_type executor, endpoint where,
                                                                        beast_options options, environment env)
{
    if (options.pool.max_connections == 0)
        return error(errc::invalid_configuration, "beast_options::pool.max_connections is 0: a pool needs a connection");
    auto tls = detail::make_tls_context(where, options, env);
    if (!tls)
        return tls.error();
    auto proxy = proxy_for(where, options.proxy, env);
    if (!proxy)
        return proxy.error();
    return async_beast_transport(std::make_shared<shared_state>(std::move(executor), std::move(where),
                                                                std::move(options), std::move(*proxy), std::move(*tls)));
}

MTURK_CROWD_DECL async_beast_transport::executor_type async_beast_transport::get_executor() const noexcept
{
    return state_->executor;
}

MTURK_CROWD_DECL endpoint const& async_beast_transport::service_endpoint() const noexcept
{
    return state_->where;
}

MTURK_CROWD_DECL pool_counters async_beast_transport::pool() const
{
    std::lock_guard<std::mutex> lock(state_->mutex);
    return state_->pool.counters();
}

namespace detail {

/** The cancellation of one send: the caller's slot forwards to `signal` on the
    transport's executor, and only while the send runs. co_spawn's own forwarding
    (Boost 1.81) posts a pointer to its signal when emitted from outside the executor,
    which dangles once the coroutine has completed; here the coroutine's signal is only
    ever emitted on the executor, where co_spawn forwards at once. */
struct send_cancellation {
    boost::asio::cancellation_signal signal;

    struct forwarder {
        std::weak_ptr<send_cancellation> running;
        boost::asio::any_io_executor executor;
        void operator()(boost::asio::cancellation_type type) const
        {
            boost::asio::dispatch(executor, [running = running, type] {
                if (auto c = running.lock())
                    c->signal.emit(type);
            });
        }
    };
};

}  // namespace detail

namespace detail {

/// What an exception out of a send says, as an error; how far the request got is unknown.
inline error error_of(std::exception_ptr failure)
{
    boost::system::error_code code = make_error_code(std::errc::not_enough_memory);
    std::string what = "sending a request";
    try {
        if (failure)
            std::rethrow_exception(failure);
    } catch (boost::system::system_error const& e) {
        code = e.code();
        what += std::string(": ") + e.what();
    } catch (std::bad_alloc const&) {
    }
    return error(code, std::move(what)).set_progress(request_progress::unknown);
}

}  // namespace detail

MTURK_CROWD_DECL void async_beast_transport::start_send(std::shared_ptr<shared_state> s, http_request const* request,
                                                        send_handler handler)
{
    namespace asio = boost::asio;
    auto executor = s->executor;
    auto handler_executor = asio::get_associated_executor(handler, executor);
    auto caller_slot = asio::get_associated_cancellation_slot(handler);
    std::shared_ptr<detail::send_cancellation> cancellation;
    if (caller_slot.is_connected()) {
        cancellation = std::make_shared<detail::send_cancellation>();
        caller_slot.template emplace<detail::send_cancellation::forwarder>(
            detail::send_cancellation::forwarder{cancellation, executor});
    }
    auto sending = [](std::shared_ptr<shared_state> st,
                      http_request const* r) -> asio::awaitable<std::optional<result<http_response>>> {
        // (co_spawn of Boost 1.81 default-constructs its value on its exception path: an optional has a default.)
        co_return co_await st->send(*r);
    };
    auto slot = cancellation ? cancellation->signal.slot() : asio::cancellation_slot();
    asio::co_spawn(
        executor, sending(std::move(s), request),
        asio::bind_cancellation_slot(
            slot, [h = std::move(handler), handler_executor, caller_slot, cancellation](
                      std::exception_ptr failure, std::optional<result<http_response>> r) mutable {
                if (caller_slot.is_connected())
                    caller_slot.clear();
                cancellation.reset();
                // A cancelled step is an error code, not an exception; what can still throw
                // (allocation, Asio running out of descriptors or threads) is reported as
                // what it is rather than thrown out of run().
                if (failure || !r)
                    r.emplace(detail::error_of(failure));
                asio::dispatch(handler_executor,
                               [h = std::move(h), r = std::move(*r)]() mutable { std::move(h)(std::move(r)); });
            }));
}

/// Who runs the sync transport's io_context: one waiting thread at a time (the leader),
/// which completes every send's handler; the others wait to be answered or to lead.
struct beast_transport::runner {
    std::mutex mutex;
    std::condition_variable changed;  // an answer came, or the leader stepped down
    bool leading = false;
};

MTURK_CROWD_DECL beast_transport::beast_transport(std::unique_ptr<boost::asio::io_context> io,
                                                  async_beast_transport inner, std::unique_ptr<runner> turn)
    : io_(std::move(io)), inner_(std::move(inner)), turn_(std::move(turn))
{
}

MTURK_CROWD_DECL beast_transport::beast_transport(beast_transport&&) noexcept = default;
MTURK_CROWD_DECL beast_transport& beast_transport::operator=(beast_transport&& other) noexcept
{
    // Through a temporary: the old connections are closed before the io_context they run on.
    beast_transport old(std::move(other));
    std::swap(io_, old.io_);
    std::swap(inner_, old.inner_);
    std::swap(turn_, old.turn_);
    return *this;
}
MTURK_CROWD_DECL beast_transport::~beast_transport() = default;

MTURK_CROWD_DECL result<beast_transport> beast_transport::make(endpoint where, beast_options options,
                                                               environment env)
{
    std::unique_ptr<boost::asio::io_context> io;
    try {
        io = std::make_unique<boost::asio::io_context>(1);
        // Asio makes the io_context's reactor (an epoll and an event descriptor) on first
        // use: a timer makes it now, so that a failure is this call's error, not a throw
        // from the first send.
        boost::asio::steady_timer reactor_made_now(*io);
    } catch (boost::system::system_error const& e) {  // no descriptor left for its reactor, say
        return error(e.code(), "an io_context for the transport cannot be made");
    }
    auto inner = async_beast_transport::make(io->get_executor(), std::move(where), std::move(options), std::move(env));
    if (!inner)
        return inner.error();
    return beast_transport(std::move(io), std::move(*inner), std::make_unique<runner>());
}

MTURK_CROWD_DECL result<http_response> beast_transport::send(http_request const& request)
{
    std::optional<result<http_response>> out;
    runner& turn = *turn_;
    auto answered = [&out, &turn](result<http_response> r) {
        std::lock_guard<std::mutex> lock(turn.mutex);
        out.emplace(std::move(r));
        turn.changed.notify_all();
    };
    auto& shared = *inner_.state_;
    auto blocking = shared.send_blocking(request);
    if (blocking.answer)
        return std::move(*blocking.answer);
    // The rest needs the reactor (a wait for a connection, opening one): the coroutine
    // the asynchronous transport runs, with the lease taken above, is started by whoever
    // runs the io_context.
    boost::asio::post(*io_, [state = inner_.state_, &request, held = std::move(blocking.lease),
                             earlier_copy_sent = blocking.earlier_copy_sent, answered]() mutable {
        auto sending = [](std::shared_ptr<async_beast_transport::shared_state> st, http_request const* r,
                          std::optional<detail::connection_lease> lease,
                          bool earlier) -> boost::asio::awaitable<std::optional<result<http_response>>> {
            co_return co_await st->send(*r, std::move(lease), earlier);
        };
        auto executor = state->executor;
        boost::asio::co_spawn(executor, sending(std::move(state), &request, std::move(held), earlier_copy_sent),
                              [answered](std::exception_ptr failure, std::optional<result<http_response>> r) {
                                  // As in start_send: what can still throw is reported, not thrown.
                                  if (failure || !r)
                                      r.emplace(detail::error_of(failure));
                                  answered(std::move(*r));
                              });
    });
    std::unique_lock<std::mutex> lock(turn.mutex);
    for (;;) {
        if (out)
            return std::move(*out);
        if (!turn.leading)
            break;
        turn.changed.wait(lock);
    }
    turn.leading = true;
    if (io_->stopped())
        io_->restart();
    while (!out) {
        lock.unlock();
        // Our send is pending, so there is work until it completes: run_one blocks until
        // some handler has run (ours, another thread's, an abandoned DNS lookup's).
        io_->run_one();
        lock.lock();
    }
    turn.leading = false;
    turn.changed.notify_all();  // a thread still waiting takes over
    return std::move(*out);
}

MTURK_CROWD_DECL http_fetch make_beast_fetch(beast_options options, environment env)
{
    return [options = std::move(options), env = std::move(env)](fetch_request const& request)
               -> result<http_response> {
        beast_options per_request = options;
        // The metadata and container endpoints are link-local: only this host reaches
        // them, never a proxy.
        std::string const& host = request.where.host;
        if (host.starts_with("169.254.") || host.starts_with("fd00:ec2::"))
            per_request.proxy = proxy_settings{};
        per_request.connect_timeout = request.timeout;
        per_request.handshake_timeout = request.timeout;
        per_request.request_timeout = request.timeout;
        auto transport = beast_transport::make(request.where, std::move(per_request), env);
        if (!transport)
            return transport.error();
        return transport->send(request.message);
    };
}

}  // namespace mturk::crowd::transport

#endif
