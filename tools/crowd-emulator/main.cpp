// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// crowd-emulator: the crowd API on a local port, HTTP or HTTPS, around testing::emulator.
//
//   crowd-emulator [--host 127.0.0.1] [--port 0] [--tls-cert FILE --tls-key FILE]
//                  [--access-key-id ID] [--secret-access-key KEY] [--account 123456789012]
//                  [--region us-east-1] [--complete-after MS] [--fail-share P]
//                  [--throttle-rps N] [--throttle-burst N] [--fault-share P] [--drop-share P]
//                  [--gateway-timeout-share P]
//                  [--slow-share P] [--slow-ms MS] [--seed N] [--state FILE]
//   crowd-emulator --help | --version
//
// The first line on stdout is "listening on <url>". SIGINT or SIGTERM stop it cleanly.
// GET /_emulator/stats (unsigned, loopback only) gives the task and request counts.
#include "../common/version_text.hpp"

#include <mturk/crowd/testing/emulator.hpp>
#include <mturk/crowd/transport/http_server.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstring>
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

#include <fcntl.h>
#include <unistd.h>

namespace asio = boost::asio;
namespace crowd = mturk::crowd;

namespace {

constexpr int exit_usage = 2;

int usage_error(std::string const& message)
{
    std::fprintf(stderr, "crowd-emulator: %s (see crowd-emulator --help)\n", message.c_str());
    return exit_usage;
}

constexpr char const* help = R"(Usage: crowd-emulator [options]

The MTurk crowd API on a local port: PUT, GET and DELETE of tasks of the 13 functions and
their -test twins, with SigV4 verification of every request.

  --host ADDRESS          address to listen on (default 127.0.0.1)
  --port N                port (default 0: a free one; the first line says which)
  --tls-cert FILE         PEM certificate (chain) for HTTPS; with --tls-key
  --tls-key FILE          PEM private key for HTTPS
  --access-key-id ID      the key id requests must be signed with (default AKIDCROWDEMULATOR)
  --secret-access-key K   its secret (default crowd-emulator-secret, which is printed at
                          start; a secret given here is not)
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
  --state FILE            keeps tasks across restarts: a journal, one line appended and
                          synced per change before the request is answered (a change
                          that cannot be stored is answered 500, and so is every request
                          after it); read and compacted at start; a damaged file is refused

  --help                  this text
  --version               the versions of crowd-emulator, the library, Boost and OpenSSL

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
        if (arg == "--version") {
            std::fputs(crowd_tools::version_text("crowd-emulator").c_str(), stdout);
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


/// Reads a whole file; nothing when it cannot be read.
std::optional<std::string> read_file(std::string const& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    return std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The emulator behind transport::http_server: its answers, its connection faults acted
/// out, the stats endpoint, and the state file kept up to date.
class service {
public:
    explicit service(settings const& s) : emulator_(s.emulator), state_file_(s.state_file) {}
    service(service const&) = delete;
    service& operator=(service const&) = delete;
    ~service()
    {
        if (journal_fd_ >= 0)
            ::close(journal_fd_);
    }

    /** Reads --state FILE when it exists (a journal, or a version 1 state), then writes
        it again compacted (one record a task, into FILE.tmp, synced, renamed over FILE)
        and keeps it open to append to. An error says why the file cannot be used. */
    std::optional<std::string> restore_state()
    {
        if (state_file_.empty())
            return std::nullopt;
        std::error_code ec;
        if (std::filesystem::exists(state_file_, ec)) {
            auto const text = read_file(state_file_);
            if (!text)
                return "cannot read " + state_file_;
            if (auto loaded = emulator_.load_state(*text); !loaded)
                return state_file_ + ": " + std::string(loaded.error().detail());
        }
        if (auto compacted = compact(); compacted)
            return compacted;
        journal_fd_ = ::open(state_file_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
        if (journal_fd_ < 0)
            return "cannot open " + state_file_ + ": " + std::strerror(errno);
        emulator_.keep_journal(true);
        return std::nullopt;
    }

    std::size_t task_count()
    {
        std::size_t n = 0;
        for (auto const& [state, count] : emulator_.task_counts())
            n += static_cast<std::size_t>(count);
        return n;
    }

    /// Every fault is drawn by the emulator (emulator_options); the connection's part is
    /// acted out by the server: a drop before or after acting, or a late answer.
    crowd::transport::server_reply answer(crowd::http_request const& request,
                                          crowd::transport::server_request_context const& context, int refused)
    {
        using crowd::testing::connection_fault;
        using action = crowd::transport::server_reply::action;
        crowd::transport::server_reply reply;
        if (request.method == crowd::http_method::get && request.target == "/_emulator/stats") {
            reply.response = stats(context.from_loopback, refused);
            return reply;
        }
        auto const fault = emulator_.draw_connection_fault();
        if (fault == connection_fault::dropped_before_acting) {
            reply.then = action::close_without_answer;
            return reply;
        }
        if (storage_failed_) {  // nothing more is acted on: the state on disk is the truth
            reply.response.status = 500;
            reply.response.fields.add("Content-Type", "application/json");
            reply.response.body = R"({"message":"the emulator cannot store changes to its state file"})";
            return reply;
        }
        reply.response = emulator_.handle(request);
        reply.response.fields.set("x-amzn-RequestId", std::to_string(++request_number_));
        if (!store_changes()) {
            reply.response = crowd::http_response{};
            reply.response.status = 500;
            reply.response.fields.add("Content-Type", "application/json");
            reply.response.body = R"({"message":"the emulator could not store the change to its state file"})";
            reply.response.fields.set("x-amzn-RequestId", std::to_string(request_number_));
        }
        if (fault == connection_fault::dropped_after_acting)
            reply.then = action::close_without_answer;
        if (fault == connection_fault::slow)
            reply.delay = emulator_.options().slow_delay;
        return reply;
    }

    /** Appends the changes made since the last call to the journal, in one write, and
        syncs it: a change is answered only once it is durable. False when it could not be
        stored; from then on every request is answered 500. */
    bool store_changes()
    {
        if (journal_fd_ < 0)
            return true;
        auto const records = emulator_.take_journal();
        if (records.empty())
            return true;
        std::string text;
        for (auto const& record : records) {
            text += boost::json::serialize(record);
            text += '\n';
        }
        if (!write_all(journal_fd_, text))
            return storage_failure("cannot append to " + state_file_ + ": " + std::strerror(errno));
        if (::fdatasync(journal_fd_) != 0)
            return storage_failure("cannot sync " + state_file_ + ": " + std::strerror(errno));
        return true;
    }

private:
    /// All of `text`, however many writes it takes; false (errno says why) when one fails.
    static bool write_all(int fd, std::string_view text)
    {
        while (!text.empty()) {
            auto const n = ::write(fd, text.data(), text.size());
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return false;
            text.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }

    bool storage_failure(std::string const& why)
    {
        std::fprintf(stderr, "crowd-emulator: %s; every request is answered 500 from now on\n", why.c_str());
        storage_failed_ = true;
        return false;
    }

    /// The whole state as a journal into FILE.tmp, synced, then renamed over FILE (and
    /// the folder synced): a crash leaves the old file or the new one, never half of one.
    std::optional<std::string> compact()
    {
        std::string text = "{\"version\":2}\n";
        auto const state = boost::json::parse(emulator_.save_state());
        for (auto const& task : state.at("tasks").as_array()) {
            text += boost::json::serialize(boost::json::object{{"task", task}});
            text += '\n';
        }
        std::string const temporary = state_file_ + ".tmp";
        int const fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
            return "cannot write " + temporary + ": " + std::strerror(errno);
        if (!write_all(fd, text)) {
            std::string why = "cannot write " + temporary + ": " + std::strerror(errno);
            ::close(fd);
            return why;
        }
        bool const synced = ::fsync(fd) == 0;
        ::close(fd);
        if (!synced)
            return "cannot sync " + temporary + ": " + std::strerror(errno);
        std::error_code ec;
        std::filesystem::rename(temporary, state_file_, ec);
        if (ec)
            return "cannot replace " + state_file_ + ": " + ec.message();
        auto folder = std::filesystem::path(state_file_).parent_path();
        int const dir = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir >= 0) {
            ::fsync(dir);
            ::close(dir);
        }
        return std::nullopt;
    }

    crowd::http_response stats(bool loopback, int refused)
    {
        crowd::http_response response;
        response.fields.add("Content-Type", "application/json");
        if (!loopback) {
            response.status = 403;
            response.body = R"({"message":"stats are answered on loopback only"})";
            return response;
        }
        boost::json::object tasks, requests;
        for (auto const& [k, v] : emulator_.task_counts())
            tasks[k] = v;
        for (auto const& [k, v] : emulator_.request_counts())
            requests[k] = v;
        boost::json::object faults{{"unreadable", refused}};
        for (auto const& [k, v] : emulator_.fault_counts())
            faults[k] = v;
        response.status = 200;
        response.body = boost::json::serialize(boost::json::object{
            {"tasks", tasks}, {"created", emulator_.tasks_created()}, {"requests", requests}, {"faults", faults}});
        return response;
    }

    crowd::testing::emulator emulator_;
    std::string state_file_;
    int journal_fd_ = -1;
    bool storage_failed_ = false;
    std::uint64_t request_number_ = 0;
};

}  // namespace

int main(int argc, char** argv)
{
    // A file past its size limit (ulimit -f) fails the write, answered 500, rather than
    // killing the process.
    std::signal(SIGXFSZ, SIG_IGN);
    settings s;
    if (auto done = parse_arguments(argc, argv, s))
        return *done;
    crowd::transport::server_options options{.host = s.host, .port = s.port};
    if (!s.tls_cert.empty()) {
        auto chain = read_file(s.tls_cert);
        auto key = read_file(s.tls_key);
        if (!chain || !key) {
            std::fprintf(stderr, "crowd-emulator: cannot start: cannot read %s\n", (chain ? s.tls_key : s.tls_cert).c_str());
            return 1;
        }
        options.certificate_chain_pem = std::move(*chain);
        options.private_key_pem = std::move(*key);
    }
    service emulator(s);
    if (auto why = emulator.restore_state()) {
        std::fprintf(stderr, "crowd-emulator: cannot start: %s\n", why->c_str());
        return 1;
    }
    asio::io_context io;
    // The handler runs only after start(), when `running` points at the server it counts for.
    crowd::transport::http_server const* running = nullptr;
    auto server = crowd::transport::http_server::make(
        io.get_executor(), std::move(options),
        [&](crowd::http_request const& request, crowd::transport::server_request_context const& context) {
            return emulator.answer(request, context, running->refused());
        });
    if (!server) {  // a port in use, an unusable certificate
        std::fprintf(stderr, "crowd-emulator: cannot start: %s\n", std::string(server.error().detail()).c_str());
        return 1;
    }
    running = &*server;
    std::printf("listening on %s\n", server->url().c_str());
    // The built-in test credential is printed on purpose (clients are told it); a secret
    // someone chose is never echoed.
    bool const default_secret = s.emulator.secret_access_key == crowd::testing::emulator_options{}.secret_access_key;
    std::printf("access key id: %s\nsecret access key: %s\naccount: %s\nregion: %s\n", s.emulator.access_key_id.c_str(),
                default_secret ? s.emulator.secret_access_key.c_str() : "(as given with --secret-access-key)",
                s.emulator.account ? std::string(s.emulator.account->view()).c_str() : "any 12 digits",
                s.emulator.region.c_str());
    if (!s.state_file.empty())
        std::printf("state: %s (%zu tasks)\n", s.state_file.c_str(), emulator.task_count());
    std::fflush(stdout);

    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code, int) {
        server->stop();
        emulator.store_changes();  // tasks finished by the clock since the last request
        io.stop();
    });
    server->start();
    io.run();
    std::printf("stopped\n");
    return 0;
}
