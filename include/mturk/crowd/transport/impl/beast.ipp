// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TRANSPORT_IMPL_BEAST_IPP
#define MTURK_CROWD_TRANSPORT_IMPL_BEAST_IPP

#include <mturk/crowd/transport/beast.hpp>
#include <mturk/crowd/transport/async_runner.hpp>
#include <mturk/crowd/transport/detail/http_stream.hpp>

#include <boost/asio/buffer.hpp>

#include <array>

namespace mturk::crowd::transport {
namespace detail {

MTURK_CROWD_DECL result<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(endpoint const& where,
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

MTURK_CROWD_DECL error connection_failure(std::string_view what, endpoint const& where, boost::system::error_code ec,
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

MTURK_CROWD_DECL error connection_failure(std::string_view what, endpoint const& where, boost::system::error_code ec,
                                std::chrono::milliseconds limit, request_progress progress)
{
    error e = connection_failure(what, where, ec, limit);
    e.set_progress(progress);
    return e;
}

MTURK_CROWD_DECL bool idle_connection_is_open(boost::asio::ip::tcp::socket& socket)
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

MTURK_CROWD_DECL bool is_stale(boost::system::error_code ec)
{
    namespace sys = boost::system;
    return ec == boost::beast::http::error::end_of_stream || ec == boost::asio::error::eof ||
           ec == boost::asio::ssl::error::stream_truncated || ec == sys::errc::connection_reset ||
           ec == sys::errc::broken_pipe || ec == sys::errc::connection_aborted;
}

MTURK_CROWD_DECL boost::beast::http::request<boost::beast::http::string_body> to_beast(http_request const& request)
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

MTURK_CROWD_DECL http_response from_beast(boost::beast::http::response<boost::beast::http::string_body>& got)
{
    http_response out;
    out.status = got.result_int();
    for (auto const& f : got)
        out.fields.add(std::string(f.name_string()), std::string(f.value()));
    out.body = std::move(got.body());
    return out;
}

}  // namespace detail

MTURK_CROWD_DECL result<async_beast_transport> async_beast_transport::make(executor_type executor, endpoint where,
                                                                        beast_options options, sigv4::environment env)
{
    auto tls = detail::make_tls_context(where, options, env);
    if (!tls)
        return tls.error();
    auto proxy = proxy_for(where, options.proxy, env);
    if (!proxy)
        return proxy.error();
    return async_beast_transport(std::move(executor), std::move(where), std::move(options), std::move(*tls),
                                 std::move(*proxy));
}

MTURK_CROWD_DECL boost::asio::awaitable<result<boost::asio::ip::tcp::resolver::results_type>> async_beast_transport::resolve(
    std::shared_ptr<state> s, endpoint const& host, std::chrono::steady_clock::time_point deadline)
{
    namespace asio = boost::asio;
    auto state = std::make_shared<dns_lookup>(s->executor);
    state->wake.expires_at(deadline);
    tcp::resolver resolver(s->executor);
    resolver.async_resolve(host.host, std::to_string(host.port),
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
        co_return detail::connection_failure("resolving", host,
                                             waited ? waited : boost::beast::error::timeout, limit,
                                             request_progress::not_sent);
    if (state->ec)
        co_return detail::connection_failure("resolving", host, state->ec, limit, request_progress::not_sent);
    co_return std::move(state->results);
}


MTURK_CROWD_DECL boost::asio::awaitable<result<void>> async_beast_transport::open(std::shared_ptr<state> s)
{
    namespace asio = boost::asio;
    boost::system::error_code ec;
    // The connect timeout covers the DNS lookup and the TCP connect together.
    auto const deadline = std::chrono::steady_clock::now() + s->options.connect_timeout;
    // Through a proxy, the TCP connection goes to the proxy; the service's name is only
    // resolved by the proxy.
    endpoint const& first_hop = s->proxy ? s->proxy->where : s->where;
    auto endpoints = co_await resolve(s, first_hop, deadline);
    if (!endpoints)
        co_return endpoints.error();
    auto stream = std::make_unique<boost::beast::tcp_stream>(s->executor);
    stream->expires_at(deadline);
    co_await stream->async_connect(*endpoints, asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return detail::connection_failure(s->proxy ? "connecting to the proxy" : "connecting to", first_hop, ec,
                                             s->options.connect_timeout, request_progress::not_sent);
    // A request goes out in one write and its answer comes back before the next:
    // Nagle's algorithm could only delay it.
    stream->socket().set_option(tcp::no_delay(true), ec);
    ++s->opened;
    if (s->proxy && s->where.secure) {
        if (auto tunnel = co_await open_tunnel(s, *stream); !tunnel)
            co_return tunnel;
    }
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


MTURK_CROWD_DECL boost::asio::awaitable<result<void>> async_beast_transport::open_tunnel(std::shared_ptr<state> s,
                                                                                       boost::beast::tcp_stream& stream)
{
    namespace asio = boost::asio;
    namespace http = boost::beast::http;
    boost::system::error_code ec;
    std::string const authority = s->where.host_header().find(':') != std::string::npos &&
                                          s->where.host_header().back() != ']'
                                      ? s->where.host_header()
                                      : s->where.host_header() + ":" + std::to_string(s->where.port);
    http::request<http::empty_body> connect{http::verb::connect, authority, 11};
    connect.set(http::field::host, authority);
    if (!s->proxy->authorization.empty())
        connect.set(http::field::proxy_authorization, s->proxy->authorization);
    stream.expires_after(s->options.connect_timeout);
    detail::http_stream http_layer(stream);
    co_await http::async_write(http_layer, connect, asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return detail::connection_failure("opening a tunnel through the proxy", s->proxy->where, ec,
                                             s->options.connect_timeout, request_progress::not_sent);
    // The answer to CONNECT has no body; what follows it is the tunnel.
    http::response_parser<http::empty_body> answer;
    answer.skip(true);
    boost::beast::flat_buffer buffer;
    co_await http::async_read_header(http_layer, buffer, answer, asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return detail::connection_failure("opening a tunnel through the proxy", s->proxy->where, ec,
                                             s->options.connect_timeout, request_progress::not_sent);
    auto const status = answer.get().result_int();
    if (status < 200 || status > 299) {
        std::string why = "the proxy " + s->proxy->url_for_logs + " refused a tunnel to " + authority + ": " +
                          std::to_string(status) + " " + std::string(answer.get().reason());
        // 407 is the standard answer; some proxies (tinyproxy) answer a wrong password 401.
        if (status == 407 || (status == 401 && !s->proxy->authorization.empty()))
            why += s->proxy->authorization.empty()
                       ? " (it wants credentials: put user:password in the proxy URL)"
                       : " (it refused the user and password of the proxy URL)";
        co_return error(make_error_code(errc::proxy_refused), std::move(why)).set_progress(request_progress::not_sent);
    }
    if (buffer.size() != 0)
        co_return error(make_error_code(errc::proxy_refused),
                        "the proxy " + s->proxy->url_for_logs + " sent bytes after its answer to CONNECT")
            .set_progress(request_progress::not_sent);
    co_return result<void>{};
}

MTURK_CROWD_DECL boost::asio::awaitable<result<http_response>> async_beast_transport::exchange(
    std::shared_ptr<state> s, http_request const& request, bool& started, bool& keep_alive)
{
    auto stream = s->secure ? detail::http_stream(*s->secure) : detail::http_stream(*s->plain);
    namespace asio = boost::asio;
    namespace http = boost::beast::http;
    boost::system::error_code ec;
    auto message = detail::to_beast(request);
    if (s->proxy && !s->where.secure) {
        // Plain HTTP through a proxy: the request names the whole URL (RFC 9112, 3.2.2).
        message.target("http://" + s->where.host_header() + std::string(message.target()));
        if (!s->proxy->authorization.empty())
            message.set(http::field::proxy_authorization, s->proxy->authorization);
    }
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


MTURK_CROWD_DECL boost::asio::awaitable<result<http_response>> async_beast_transport::send_coroutine(std::shared_ptr<state> s, http_request const* request)
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
        result<http_response> response = co_await exchange(s, *request, started, keep_alive);
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


MTURK_CROWD_DECL void async_beast_transport::start_send(std::shared_ptr<state> s, http_request const* request,
                                                        send_handler handler)
{
    auto executor = s->executor;
    crowd::detail::run_as_operation<result<http_response>>(std::move(executor), send_coroutine(std::move(s), request),
                                                          std::move(handler));
}

MTURK_CROWD_DECL result<beast_transport> beast_transport::make(endpoint where, beast_options options,
                                                               sigv4::environment env)
{
    auto io = std::make_unique<boost::asio::io_context>();
    auto inner = async_beast_transport::make(io->get_executor(), std::move(where), std::move(options), std::move(env));
    if (!inner)
        return inner.error();
    return beast_transport(std::move(io), std::move(*inner));
}

MTURK_CROWD_DECL result<http_response> beast_transport::send(http_request const& request)
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

}  // namespace mturk::crowd::transport

namespace mturk::crowd {

namespace transport {

MTURK_CROWD_DECL sigv4::http_fetch make_beast_fetch(beast_options options, sigv4::environment env)
{
    return [options = std::move(options), env = std::move(env)](sigv4::fetch_request const& request)
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

}  // namespace transport

MTURK_CROWD_DECL result<client> make_client(client_config config, transport::beast_options options)
{
    auto settings = resolve_settings(config, options.ca_file);
    if (!settings)
        return settings.error();
    options.ca_file = settings->ca_bundle.value;  // the code's, AWS_CA_BUNDLE, or the profile's ca_bundle
    if (!config.credentials && !config.credentials_fetch)
        config.credentials_fetch = transport::make_beast_fetch(options, config.env);
    auto transport = transport::beast_transport::make(settings->service_endpoint, std::move(options), config.env);
    if (!transport)
        return transport.error();
    auto retry = aws_retry::from_environment(config.env);
    if (!retry)
        return retry.error();
    return client::make(std::move(config), std::move(*transport), system_clock{}, std::move(*retry));
}

}  // namespace

#endif
