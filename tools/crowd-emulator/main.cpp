// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// crowd-emulator: the crowd API on a local port, HTTP or HTTPS, around testing::emulator.
//
//   crowd-emulator [--host 127.0.0.1] [--port 0] [--tls-cert FILE --tls-key FILE]
//                  [--access-key-id ID] [--secret-access-key KEY] [--account 123456789012]
//                  [--region us-east-1] [--complete-after MS] [--fail-share P]
//                  [--throttle-rps N] [--throttle-burst N] [--fault-share P] [--drop-share P]
//                  [--gateway-timeout-share P]
//                  [--slow-share P] [--slow-ms MS] [--seed N] [--state FILE]
//
// The first line on stdout is "listening on <url>". SIGINT or SIGTERM stop it cleanly.
// GET /_emulator/stats (unsigned, loopback only) gives the task and request counts.
#include <mturk/crowd/testing/emulator.hpp>
#include <mturk/crowd/transport/beast.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace crowd = mturk::crowd;
using tcp = asio::ip::tcp;

namespace {

constexpr int exit_usage = 2;

int usage_error(std::string const& message)
{
    std::fprintf(stderr, "crowd-emulator: %s (see crowd-emulator --help)\n", message.c_str());
    return exit_usage;
}

constexpr char const* help = R"(usage: crowd-emulator [options]

The MTurk crowd API on a local port: PUT, GET and DELETE of tasks of the 13 functions and
their -test twins, with SigV4 verification of every request.

  --host ADDRESS          address to listen on (default 127.0.0.1)
  --port N                port (default 0: a free one; the first line says which)
  --tls-cert FILE         PEM certificate (chain) for HTTPS; with --tls-key
  --tls-key FILE          PEM private key for HTTPS
  --access-key-id ID      the key id requests must be signed with (default AKIDCROWDEMULATOR)
  --secret-access-key K   its secret (default crowd-emulator-secret)
  --account ID            the only account accepted (default: any 12 digits)
  --region R              the signing region (default us-east-1)
  --complete-after MS     how long tasks process (default 2000; -test functions at once)
  --fail-share P          share of tasks that fail, 0..1 (default 0)
  --throttle-rps N        requests per second before 429 (default 0: no throttling)
  --throttle-burst N      burst of the throttle's token bucket (default 10)
  --fault-share P         share of requests answered 500 or 503, 0..1 (default 0)
  --drop-share P          share of requests whose connection is closed without an answer,
                          half before the emulator acts on them, half after (default 0)
  --gateway-timeout-share P
                          share of requests acted on, then answered 504 Gateway Timeout,
                          as a gateway does when the service answers too late (default 0)
  --slow-share P          share of requests answered late, after --slow-ms (default 0)
  --slow-ms MS            how late a slow answer comes (default 3000)
  --seed N                makes mocks, failures and faults repeatable (default 1)
  --state FILE            keeps tasks across restarts: read at start if it exists, written
                          (whole, then renamed into place) after every change

GET /_emulator/stats (unsigned, answered on loopback only) gives task and request counts.
SIGINT or SIGTERM stop it.
)";

struct settings {
    std::string state_file;
    std::string host = "127.0.0.1";
    unsigned short port = 0;
    std::string tls_cert;
    std::string tls_key;
    crowd::testing::emulator_options emulator;
};

template <class Number>
bool parse_number(std::string_view text, Number& out)
{
    auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

std::optional<int> parse_arguments(int argc, char** argv, settings& s)
{
    std::vector<std::string_view> args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view const arg = args[i];
        if (arg == "--help" || arg == "-h") {
            std::fputs(help, stdout);
            return 0;
        }
        if (i + 1 >= args.size())
            return usage_error("unknown argument or missing value: " + std::string(arg));
        std::string_view const value = args[++i];
        auto number_error = [&] { return usage_error(std::string(arg) + " takes a number, not \"" + std::string(value) + "\""); };
        auto share = [&](double& out) -> std::optional<int> {
            if (!parse_number(value, out) || out < 0 || out > 1)
                return usage_error(std::string(arg) + " takes a share from 0 to 1, not \"" + std::string(value) + "\"");
            return std::nullopt;
        };
        auto& e = s.emulator;
        if (arg == "--host") {
            s.host = value;
        } else if (arg == "--port") {
            if (!parse_number(value, s.port))
                return number_error();
        } else if (arg == "--tls-cert") {
            s.tls_cert = value;
        } else if (arg == "--tls-key") {
            s.tls_key = value;
        } else if (arg == "--access-key-id") {
            e.access_key_id = value;
        } else if (arg == "--secret-access-key") {
            e.secret_access_key = value;
        } else if (arg == "--account") {
            auto const parsed = crowd::account_id::parse(value);
            if (!parsed)
                return usage_error("--account: " + parsed.error().message());
            e.account = *parsed;
        } else if (arg == "--region") {
            e.region = value;
        } else if (arg == "--complete-after") {
            long long ms = 0;
            if (!parse_number(value, ms) || ms < 0)
                return number_error();
            e.complete_after = std::chrono::milliseconds(ms);
        } else if (arg == "--fail-share") {
            if (auto r = share(e.fail_share))
                return r;
        } else if (arg == "--fault-share") {
            if (auto r = share(e.fault_share))
                return r;
        } else if (arg == "--gateway-timeout-share") {
            if (auto r = share(e.gateway_timeout_share))
                return r;
        } else if (arg == "--drop-share") {
            if (auto r = share(e.drop_share))
                return r;
        } else if (arg == "--slow-share") {
            if (auto r = share(e.slow_share))
                return r;
        } else if (arg == "--slow-ms") {
            long long ms = 0;
            if (!parse_number(value, ms) || ms < 0)
                return number_error();
            e.slow_delay = std::chrono::milliseconds(ms);
        } else if (arg == "--state") {
            if (value.empty())
                return usage_error("--state takes a file name");
            s.state_file = value;
        } else if (arg == "--throttle-rps") {
            if (!parse_number(value, e.throttle_rps) || e.throttle_rps < 0)
                return number_error();
        } else if (arg == "--throttle-burst") {
            if (!parse_number(value, e.throttle_burst) || e.throttle_burst < 1)
                return number_error();
        } else if (arg == "--seed") {
            if (!parse_number(value, e.seed))
                return number_error();
        } else {
            return usage_error("unknown argument " + std::string(arg));
        }
    }
    if (s.tls_cert.empty() != s.tls_key.empty())
        return usage_error("--tls-cert and --tls-key go together");
    return std::nullopt;
}


class server {
public:
    server(asio::io_context& io, settings const& s)
        : io_(io), service_(s.emulator), acceptor_(io, {asio::ip::make_address(s.host), s.port}),
          state_file_(s.state_file)
    {
        if (!s.tls_cert.empty()) {
            tls_.emplace(asio::ssl::context::tls_server);
            tls_->use_certificate_chain_file(s.tls_cert);
            tls_->use_private_key_file(s.tls_key, asio::ssl::context::pem);
        }
    }

    std::string url() const
    {
        auto const at = acceptor_.local_endpoint();
        std::string host = at.address().to_string();
        if (at.address().is_v6())
            host = "[" + host + "]";
        return (tls_ ? "https://" : "http://") + host + ":" + std::to_string(at.port());
    }

    asio::awaitable<void> accept_loop()
    {
        for (;;) {
            boost::system::error_code ec;
            tcp::socket socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
            if (ec == asio::error::operation_aborted)
                co_return;
            if (!ec)
                asio::co_spawn(io_, session(std::move(socket)), asio::detached);
        }
    }

    void stop()
    {
        boost::system::error_code ignored;
        acceptor_.close(ignored);
        save_state();
    }

    /// Reads --state FILE when it exists; an error says why the file cannot be used.
    std::optional<std::string> restore_state()
    {
        if (state_file_.empty())
            return std::nullopt;
        std::ifstream in(state_file_, std::ios::binary);
        if (!in) {
            std::error_code ec;
            if (!std::filesystem::exists(state_file_, ec))
                return std::nullopt;  // the first start: nothing to restore
            return "cannot read " + state_file_;
        }
        std::string const text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        if (auto loaded = service_.load_state(text); !loaded)
            return state_file_ + ": " + std::string(loaded.error().detail());
        saved_changes_ = service_.changes();
        return std::nullopt;
    }

    std::size_t task_count()
    {
        std::size_t n = 0;
        for (auto const& [state, count] : service_.task_counts())
            n += static_cast<std::size_t>(count);
        return n;
    }

private:
    http::response<http::string_body> answer(http::request<http::string_body> const& request, bool loopback)
    {
        http::response<http::string_body> response;
        response.version(11);
        if (request.method() == http::verb::get && request.target() == "/_emulator/stats") {
            if (!loopback) {
                response.result(http::status::forbidden);
                response.body() = R"({"message":"stats are answered on loopback only"})";
            } else {
                boost::json::object tasks, requests;
                for (auto const& [k, v] : service_.task_counts())
                    tasks[k] = v;
                for (auto const& [k, v] : service_.request_counts())
                    requests[k] = v;
                boost::json::object faults{{"unreadable", requests_refused_}};
                for (auto const& [k, v] : service_.fault_counts())
                    faults[k] = v;
                response.result(http::status::ok);
                response.body() = boost::json::serialize(boost::json::object{
                    {"tasks", tasks}, {"created", service_.tasks_created()}, {"requests", requests}, {"faults", faults}});
            }
            response.set(http::field::content_type, "application/json");
            return response;
        }
        auto const reply = service_.handle(crowd::transport::detail::request_from_beast(request));
        response.result(reply.status);
        for (auto const& f : reply.fields)
            response.set(f.name, f.value);
        response.set("x-amzn-RequestId", std::to_string(++request_number_));
        response.body() = reply.body;
        if (service_.changes() != saved_changes_)
            save_state();
        return response;
    }

    /// The whole state into FILE.tmp, then renamed over FILE: a crash leaves the old
    /// state or the new one, never half of one.
    void save_state()
    {
        if (state_file_.empty())
            return;
        auto const changes = service_.changes();
        std::string const text = service_.save_state();
        std::string const temporary = state_file_ + ".tmp";
        {
            std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
            out << text;
            out.flush();
            if (!out) {
                std::fprintf(stderr, "crowd-emulator: cannot write the state to %s\n", temporary.c_str());
                return;
            }
        }
        std::error_code ec;
        std::filesystem::rename(temporary, state_file_, ec);
        if (ec) {
            std::fprintf(stderr, "crowd-emulator: cannot replace %s: %s\n", state_file_.c_str(), ec.message().c_str());
            return;
        }
        saved_changes_ = changes;
    }

    template <class Stream>
    asio::awaitable<void> serve(Stream& stream, bool loopback)
    {
        beast::flat_buffer buffer;
        for (;;) {
            boost::system::error_code ec;
            http::request_parser<http::string_body> parser;
            parser.body_limit(1024 * 1024);
            co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
                if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
                    ec != http::error::end_of_stream)
                    co_await refuse(stream, ec);
                co_return;
            }
            auto const& request = parser.get();
            // Every fault is drawn by the emulator (emulator_options); the connection's
            // part is acted out here: a drop before or after acting, or a late answer.
            auto const fault = service_.draw_connection_fault();
            using crowd::testing::connection_fault;
            if (fault == connection_fault::dropped_before_acting)
                co_return;
            auto response = answer(request, loopback);
            if (fault == connection_fault::dropped_after_acting)
                co_return;
            if (fault == connection_fault::slow) {
                asio::steady_timer late(stream.get_executor(), service_.options().slow_delay);
                co_await late.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            }
            response.keep_alive(request.keep_alive());
            response.prepare_payload();
            co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
            if (ec || !request.keep_alive())
                co_return;
        }
    }

    /** A request that cannot be read (a body over the limit, a malformed message) gets 413
        or 400 and the connection is closed. The client may still be sending: its unread
        bytes are drained for up to 2 s first, or closing would reset the connection and
        the client would never see the answer. */
    template <class Stream>
    asio::awaitable<void> refuse(Stream& stream, boost::system::error_code why)
    {
        bool const too_large = why == http::error::body_limit;
        http::response<http::string_body> response{too_large ? http::status::payload_too_large : http::status::bad_request, 11};
        response.set(http::field::content_type, "application/json");
        response.body() = boost::json::serialize(boost::json::object{
            {"message", too_large ? std::string("Request body is larger than 1 MiB")
                                  : "Bad Request: the message cannot be read: " + why.message()}});
        response.keep_alive(false);
        response.prepare_payload();
        ++requests_refused_;
        boost::system::error_code ec;
        co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
        auto& socket = beast::get_lowest_layer(stream);
        asio::steady_timer deadline(socket.get_executor(), std::chrono::seconds(2));
        deadline.async_wait([&socket](boost::system::error_code e) {
            if (!e)
                socket.close(e);
        });
        char discard[16384];
        while (!ec)
            co_await stream.async_read_some(asio::buffer(discard), asio::redirect_error(asio::use_awaitable, ec));
        deadline.cancel();
    }

    asio::awaitable<void> session(tcp::socket socket)
    {
        boost::system::error_code ec;
        auto const peer = socket.remote_endpoint(ec);
        bool const loopback = !ec && peer.address().is_loopback();
        if (!tls_) {
            co_await serve(socket, loopback);
            co_return;
        }
        asio::ssl::stream<tcp::socket&> stream(socket, *tls_);
        co_await stream.async_handshake(asio::ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
        if (!ec)
            co_await serve(stream, loopback);
    }

    asio::io_context& io_;
    crowd::testing::emulator service_;
    tcp::acceptor acceptor_;
    std::optional<asio::ssl::context> tls_;
    std::string state_file_;
    std::uint64_t saved_changes_ = 0;
    std::int64_t requests_refused_ = 0;
    std::uint64_t request_number_ = 0;
};

}  // namespace

int main(int argc, char** argv)
{
    settings s;
    if (auto done = parse_arguments(argc, argv, s))
        return *done;
    asio::io_context io;
    std::unique_ptr<server> service;
    try {
        service = std::make_unique<server>(io, s);
    } catch (boost::system::system_error const& e) {  // a port in use, an unreadable certificate
        std::fprintf(stderr, "crowd-emulator: cannot start: %s\n", e.what());
        return 1;
    }
    if (auto why = service->restore_state()) {
        std::fprintf(stderr, "crowd-emulator: cannot start: %s\n", why->c_str());
        return 1;
    }
    std::printf("listening on %s\n", service->url().c_str());
    std::printf("access key id: %s\nsecret access key: %s\naccount: %s\nregion: %s\n", s.emulator.access_key_id.c_str(),
                s.emulator.secret_access_key.c_str(),
                s.emulator.account ? std::string(s.emulator.account->view()).c_str() : "any 12 digits",
                s.emulator.region.c_str());
    if (!s.state_file.empty())
        std::printf("state: %s (%zu tasks)\n", s.state_file.c_str(), service->task_count());
    std::fflush(stdout);

    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code, int) {
        service->stop();
        io.stop();
    });
    asio::co_spawn(io, service->accept_loop(), asio::detached);
    io.run();
    std::printf("stopped\n");
    return 0;
}
