// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// crowd-emulator as a separate process over HTTPS, with certificates the test makes: the
// client creates, waits for, reads and deletes a task; the stats count it; SIGTERM stops it.
#include <mturk/crowd/beast_client.hpp>

#include <mturk/crowd/functions.hpp>

#include "running_emulator.hpp"
#include "sample_inputs.hpp"
#include "test_environment.hpp"
#include "test_pki.hpp"

#include <catch.hpp>

#include <boost/json/parse.hpp>

#include <csignal>
#include <cstdlib>
#include <iterator>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <optional>
#include <thread>

namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

extern char** environ;

namespace {

crowd::client client_of(std::string const& url, int max_attempts = 3,
                        std::chrono::milliseconds request_timeout = std::chrono::seconds(60))
{
    return crowd::make_client(emulator_client_config(url, max_attempts),
                              {.request_timeout = request_timeout, .ca_file = test_pki::ca_file()})
        .value();
}

boost::json::value stats_of(std::string const& url, int attempts = 1) { return emulator_stats(url, attempts); }

}  // namespace

TEST_CASE("crowd-emulator over HTTPS: create, wait, get, delete, stats, SIGTERM", "[e2e]")
{
    auto const& pki = test_pki::shared();
    running_emulator service({"--port", "0", "--tls-cert", write_file("cert.pem", pki.localhost.certificate_pem),
                              "--tls-key", write_file("key.pem", pki.localhost.key_pem), "--complete-after", "200"});
    auto const url = service.url();  // https://127.0.0.1:<port>
    CHECK(url.starts_with("https://127.0.0.1:"));

    constexpr crowd::account_id account{"123456789012"};
    constexpr crowd::task_name name{"e2e-1"};
    auto client = client_of(url);
    auto const created = client.create<fn::sentiment_analysis>(name, {.text = "Everything is wonderful."});
    REQUIRE(created);
    CHECK(created->creation == crowd::creation::created);
    auto const done = client.wait<fn::sentiment_analysis>(name, {.first_delay = 100ms, .max_delay = 200ms, .timeout = 10s});
    REQUIRE(done);
    CHECK(done->state == crowd::task_state::completed);
    CHECK(client.remove<fn::sentiment_analysis>(name));
    CHECK(client.get<fn::sentiment_analysis>(name).error() == crowd::errc::task_not_found);

    // The stats endpoint, unsigned, on loopback.
    auto const doc = stats_of(url);
    CHECK(doc.at("requests").at("PUT 201") == 1);
    CHECK(doc.at("requests").at("DELETE 204") == 1);
    CHECK(doc.at("tasks").at("completed") == 0);  // deleted

    // A wrong secret is refused by the server too.
    auto intruder = crowd::make_client({.account = account,
                                        .endpoint = url,
                                        .credentials = [] { return crowd::sigv4::credentials::make("AKIDCROWDEMULATOR", "guess"); },
                                        .env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; }},
                                       {.ca_file = test_pki::ca_file()})
                        .value();
    CHECK(intruder.get<fn::sentiment_analysis>(name).error() == crowd::errc::access_denied);

    CHECK(service.stop() == 0);  // a clean stop on SIGTERM
}

TEST_CASE("crowd-emulator over HTTPS: every function, and faults survived with each task created once", "[e2e]")
{
    auto const& pki = test_pki::shared();
    running_emulator service({"--port", "0", "--tls-cert", write_file("cert2.pem", pki.localhost.certificate_pem),
                              "--tls-key", write_file("key2.pem", pki.localhost.key_pem), "--complete-after", "50",
                              "--fault-share", "0.2", "--drop-share", "0.2", "--throttle-rps", "200",
                              "--throttle-burst", "5", "--seed", "11"});
    auto client = client_of(service.url(), 12);
    // One valid input per function, through the untyped path so that one loop covers all.
    int made = 0;
    for (auto const& [function, input] : sample_inputs) {
        INFO(function);
        auto const name = crowd::task_name::parse("e2e-" + std::string(function)).value();
        auto const created = client.create(function, name, boost::json::parse(input));
        INFO((created ? std::string("created") : created.error().what()));
        REQUIRE(created);
        ++made;
        auto const done = client.wait(function, name, {.first_delay = 20ms, .max_delay = 50ms, .timeout = 20s});
        REQUIRE(done);
        CHECK(done->state == crowd::task_state::completed);
        CHECK(done->result->is_object());
        REQUIRE(client.remove(function, name));
    }
    CHECK(made == 13);

    auto const doc = stats_of(service.url(), 20);
    REQUIRE(doc.is_object());
    CHECK(doc.at("requests").at("PUT 201") == 13);     // each task created exactly once
    CHECK(doc.at("requests").at("DELETE 204") == 13);  // and removed, nothing left behind
    auto const& counts = doc.at("requests").as_object();
    int faults = 0;
    for (auto const& [key, value] : counts)
        if (key.ends_with(" 500") || key.ends_with(" 503") || key.ends_with(" 429"))
            faults += static_cast<int>(value.as_int64());
    CHECK(faults > 0);  // the faults happened, and were survived
    CHECK(service.stop() == 0);
}

// One fault on alone, on a share of the requests, over HTTPS: every task is created
// once, every successful remove leaves no task, and no wait ends on the fault.
namespace {
void run_with_one_fault(std::vector<std::string> const& fault)
{
    auto const& pki = test_pki::shared();
    auto const cert = write_file("cert6-" + fault.front().substr(2) + ".pem", pki.localhost.certificate_pem);
    auto const key = write_file("key6-" + fault.front().substr(2) + ".pem", pki.localhost.key_pem);
    std::vector<std::string> args{"--port", "0", "--tls-cert", cert, "--tls-key", key, "--complete-after", "300",
                                  "--seed", "21"};
    args.insert(args.end(), fault.begin(), fault.end());
    running_emulator service(args);
    auto client = client_of(service.url(), 10, 600ms);
    // Polls with one attempt each: every fault a poll meets reaches the wait itself.
    auto poller = client_of(service.url(), 1, 600ms);
    int const tasks = 6;
    int failed_polls = 0;
    for (int i = 0; i != tasks; ++i) {
        auto const name = crowd::task_name::parse("fault-" + std::to_string(i)).value();
        auto const created = client.create<fn::sentiment_analysis>(name, {.text = "Everything is wonderful."});
        INFO(i << ": " << (created ? std::string(to_string(created->creation)) : created.error().what()));
        REQUIRE(created);
        CHECK(created->creation != crowd::creation::already_existed);  // nobody made it before this call
        auto const done = poller.wait<fn::sentiment_analysis>(
            name, {.first_delay = 50ms, .max_delay = 100ms, .timeout = 30s, .on_poll = [&](crowd::poll_report const& p) {
                       failed_polls += p.failure.code().failed();
                   }});
        INFO((done ? std::string("done") : done.error().what()));
        REQUIRE(done);  // no transient error ended a wait
        CHECK(done->state == crowd::task_state::completed);
        auto const removed = client.remove<fn::sentiment_analysis>(name);
        INFO((removed ? std::string("removed") : removed.error().what()));
        REQUIRE(removed);
        CHECK(client.get<fn::sentiment_analysis>(name).error() == crowd::errc::task_not_found);  // really gone
    }
    auto const stats = stats_of(service.url(), 20);
    REQUIRE(stats.is_object());
    CHECK(stats.at("created") == tasks);  // each task created exactly once
    CHECK(stats.at("tasks").at("processing") == 0);
    CHECK(stats.at("tasks").at("completed") == 0);  // every remove that succeeded left no task
    auto const& f = stats.at("faults");
    auto const& requests = stats.at("requests").as_object();
    std::int64_t seen = f.at("gateway_timeouts").as_int64() + f.at("dropped_before").as_int64() +
                        f.at("dropped_after").as_int64() + f.at("slow").as_int64();
    for (auto const& [k, v] : requests)
        if (k.ends_with(" 429") || k.ends_with(" 500") || k.ends_with(" 503"))
            seen += v.as_int64();
    CHECK(seen > 0);  // the fault happened...
    // ...to polls too, and no wait ended on it. (Throttling depends on timing, so a
    // loaded machine may spare the polls; a connection dropped while kept alive is sent
    // again by the transport itself, so a poll may never see a drop; the other faults
    // are drawn per request and always reach it.)
    if (fault.front() != "--throttle-rps" && fault.front() != "--drop-share")
        CHECK(failed_polls > 0);
    CHECK(service.stop() == 0);
}
}  // namespace

// One test case per fault, so that CTest runs them side by side with other tests.
TEST_CASE("crowd-emulator with gateway time-outs (acted on, then 504): tasks created once, waits survive", "[e2e]")
{
    run_with_one_fault({"--gateway-timeout-share", "0.3"});
}

TEST_CASE("crowd-emulator with dropped connections (before or after acting): tasks created once, waits survive", "[e2e]")
{
    run_with_one_fault({"--drop-share", "0.3"});
}

TEST_CASE("crowd-emulator with 500 and 503 before acting: tasks created once, waits survive", "[e2e]")
{
    run_with_one_fault({"--fault-share", "0.3"});
}

TEST_CASE("crowd-emulator with throttling: tasks created once, waits survive", "[e2e]")
{
    run_with_one_fault({"--throttle-rps", "40", "--throttle-burst", "3"});
}

TEST_CASE("crowd-emulator with answers after the client's time-out: tasks created once, waits survive", "[e2e]")
{
    run_with_one_fault({"--slow-share", "0.2", "--slow-ms", "1500"});
}

TEST_CASE("crowd-emulator --state: tasks survive a clean stop and a crash", "[e2e]")
{
    auto const& pki = test_pki::shared();
    auto const state = fs::temp_directory_path() / ("mturk-crowd-e2e-" + std::to_string(::getpid()) + "-state.json");
    fs::remove(state);
    std::vector<std::string> const args{"--port", "0", "--tls-cert", write_file("cert3.pem", pki.localhost.certificate_pem),
                                        "--tls-key", write_file("key3.pem", pki.localhost.key_pem),
                                        "--complete-after", "300", "--state", state.string()};
    constexpr crowd::task_name kept{"kept-across-stop"};
    constexpr crowd::task_name crashed{"kept-across-crash"};
    boost::json::value first_result;
    {
        running_emulator service(args);
        auto client = client_of(service.url());
        REQUIRE(client.create<fn::sentiment_analysis>(kept, {.text = "Everything is wonderful."}));
        auto const done = client.wait<fn::sentiment_analysis>(kept, {.first_delay = 100ms, .max_delay = 200ms, .timeout = 10s});
        REQUIRE(done);
        REQUIRE(done->state == crowd::task_state::completed);
        first_result = done->raw.at("result");
        CHECK(service.stop() == 0);
    }
    {
        running_emulator service(args);  // the same file: the completed task is back, result and all
        auto client = client_of(service.url());
        auto const again = client.get<fn::sentiment_analysis>(kept);
        REQUIRE(again);
        CHECK(again->raw.at("result") == first_result);
        REQUIRE(client.create<fn::sentiment_analysis>(crashed, {.text = "Saved before the crash."}));
        service.kill();  // no chance to save at exit: the state was written when the task was made
    }
    {
        running_emulator service(args);
        auto client = client_of(service.url());
        CHECK(client.get<fn::sentiment_analysis>(crashed));
        CHECK(client.remove<fn::sentiment_analysis>(kept));
        // One reading: the task may finish processing between two.
        auto const tasks = stats_of(service.url()).at("tasks");
        CHECK(tasks.at("completed").as_int64() + tasks.at("processing").as_int64() == 1);
        CHECK(service.stop() == 0);
    }
    fs::remove(state);
}

TEST_CASE("crowd-emulator --state: a damaged file stops the start with a clear message", "[e2e]")
{
    auto const state = write_file("damaged-state.json", R"({"version":1,"tasks":[{"account":"1"}]})");
    auto const err = fs::temp_directory_path() / ("mturk-crowd-e2e-" + std::to_string(::getpid()) + "-stderr.txt");
    std::string const command = std::string(MTURK_CROWD_EMULATOR_PATH) + " --port 0 --state " + state + " 2>" +
                                err.string() + " >/dev/null";
    int const status = std::system(command.c_str());
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 1);
    std::ifstream in(err);
    std::string const message{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    CHECK(message.find("cannot start: " + state + ": task 0: needs a 12-digit account") != std::string::npos);
    // Nothing was overwritten.
    std::ifstream kept(state);
    CHECK(std::string{std::istreambuf_iterator<char>(kept), std::istreambuf_iterator<char>()} ==
          R"({"version":1,"tasks":[{"account":"1"}]})");
}

/// "<prefix><i>". (Not inlined: g++ 12 warns of a false overflow in a "literal" +
/// std::to_string(i) it inlines.)
[[gnu::noinline]] std::string numbered_text(char const* prefix, int i)
{
    return std::string(prefix) + std::to_string(i);
}

TEST_CASE("crowd-emulator --state is a journal: a line a change, a torn last line left out, a damaged one refused",
          "[e2e]")
{
    auto const& pki = test_pki::shared();
    auto const state = fs::temp_directory_path() / ("mturk-crowd-e2e-" + std::to_string(::getpid()) + "-journal.jsonl");
    fs::remove(state);
    std::vector<std::string> const args{"--port", "0", "--tls-cert", write_file("cert5.pem", pki.localhost.certificate_pem),
                                        "--tls-key", write_file("key5.pem", pki.localhost.key_pem),
                                        "--complete-after", "3600000", "--state", state.string()};
    {
        running_emulator service(args);
        auto client = client_of(service.url());
        for (int i = 0; i != 60; ++i)
            REQUIRE(client.create<fn::sentiment_analysis>(crowd::task_name::parse(numbered_text("j", i)).value(),
                                                          {.text = "a review long enough to weigh something"}));
        auto const before = fs::file_size(state);
        REQUIRE(client.create<fn::sentiment_analysis>(crowd::task_name("j-last"), {.text = "one more"}));
        // The cost of a change does not grow with the tasks: one line, not the whole state.
        CHECK(fs::file_size(state) - before < 400);
        CHECK(before > 60 * 150);
        service.kill();  // a crash: every acknowledged change is on disk already
    }
    {
        std::ofstream(state, std::ios::app) << R"({"task":{"account":"123456789012","function":"sentim)";  // cut short
        running_emulator service(args);
        auto client = client_of(service.url());
        CHECK(client.get<fn::sentiment_analysis>(crowd::task_name("j0")));
        CHECK(client.get<fn::sentiment_analysis>(crowd::task_name("j-last")));
        CHECK(stats_of(service.url()).at("tasks").at("processing").as_int64() == 61);
        CHECK(service.stop() == 0);
    }
    // Compacted at start: a line a task, after the version line.
    {
        std::ifstream in(state);
        std::string first;
        std::getline(in, first);
        CHECK(first == R"({"version":2})");
        int lines = 0;
        for (std::string line; std::getline(in, line);)
            ++lines;
        CHECK(lines == 61);
    }
    {
        std::ofstream(state, std::ios::app) << "not a record\n" << R"({"removed":{"account":"123456789012"}})" << "\n";
        auto const err = fs::temp_directory_path() / ("mturk-crowd-e2e-" + std::to_string(::getpid()) + "-stderr5.txt");
        std::string const command = std::string(MTURK_CROWD_EMULATOR_PATH) + " --port 0 --state " + state.string() +
                                    " 2>" + err.string() + " >/dev/null";
        int const status = std::system(command.c_str());
        CHECK(WEXITSTATUS(status) == 1);
        std::ifstream in(err);
        std::string const message{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        CHECK(message.find("line 63: not a journal record") != std::string::npos);
    }
    fs::remove(state);
}

TEST_CASE("crowd-emulator --state: a change that cannot be stored is answered 500, and nothing acknowledged is lost",
          "[e2e]")
{
    auto const& pki = test_pki::shared();
    auto const state = fs::temp_directory_path() / ("mturk-crowd-e2e-" + std::to_string(::getpid()) + "-full.jsonl");
    fs::remove(state);
    std::vector<std::string> args{"--port", "0", "--tls-cert", write_file("cert6.pem", pki.localhost.certificate_pem),
                                  "--tls-key", write_file("key6.pem", pki.localhost.key_pem),
                                  "--complete-after", "3600000", "--state", state.string()};
    std::vector<std::string> acknowledged;
    {
        // A file size limit for the emulator only (inherited at spawn, then lifted here):
        // its journal fills up after a few dozen tasks.
        rlimit const unlimited{RLIM_INFINITY, RLIM_INFINITY};
        rlimit small{};
        ::getrlimit(RLIMIT_FSIZE, &small);
        small.rlim_cur = 8 * 1024;
        REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
        std::optional<running_emulator> service;
        service.emplace(args);
        ::setrlimit(RLIMIT_FSIZE, &unlimited);
        auto client = client_of(service->url(), 1);
        std::optional<crowd::error> refused;
        for (int i = 0; i != 200 && !refused; ++i) {
            auto const name = numbered_text("f", i);
            auto const created = client.create<fn::sentiment_analysis>(crowd::task_name::parse(name).value(),
                                                                       {.text = "filling the journal up"});
            if (created)
                acknowledged.push_back(name);
            else
                refused = created.error();
        }
        REQUIRE(refused);
        CHECK(refused->http_status() == 500);
        CHECK(acknowledged.size() > 10);
        auto const later = client.get<fn::sentiment_analysis>(crowd::task_name::parse(acknowledged[0]).value());
        REQUIRE_FALSE(later);  // nothing more is served from a state that cannot be kept
        CHECK(later.error().http_status() == 500);
        service->kill();
    }
    running_emulator service(args);  // no limit now
    auto client = client_of(service.url());
    for (auto const& name : acknowledged)
        CHECK(client.get<fn::sentiment_analysis>(crowd::task_name::parse(name).value()));
    CHECK(stats_of(service.url()).at("tasks").at("processing").as_int64() == static_cast<std::int64_t>(acknowledged.size()));
    fs::remove(state);
}

TEST_CASE("crowd-emulator --slow-share: late answers time out, are retried, and create each task once", "[e2e]")
{
    auto const& pki = test_pki::shared();
    running_emulator service({"--port", "0", "--tls-cert", write_file("cert4.pem", pki.localhost.certificate_pem),
                              "--tls-key", write_file("key4.pem", pki.localhost.key_pem), "--complete-after", "0",
                              "--slow-share", "0.3", "--slow-ms", "1500", "--seed", "4"});
    auto client = client_of(service.url(), 10, 400ms);  // a slow answer outlasts the request timeout
    for (int i = 0; i != 8; ++i) {
        auto const name = crowd::task_name::parse("slow-" + std::to_string(i)).value();
        auto const created = client.create<fn::sentiment_analysis>(name, {.text = "x"});
        INFO(i << ": " << (created ? std::string("ok") : created.error().what()));
        REQUIRE(created);
        auto const read = client.get<fn::sentiment_analysis>(name);
        REQUIRE(read);
        CHECK(read->state == crowd::task_state::completed);
    }
    auto const stats = stats_of(service.url());
    CHECK(stats.at("faults").at("slow").as_int64() > 0);        // slow answers happened...
    CHECK(stats.at("requests").at("PUT 201").as_int64() == 8);   // ...and each task was created once
    CHECK(service.stop() == 0);
}

TEST_CASE("crowd-emulator: wait() gives up at its deadline with the task still processing", "[e2e]")
{
    running_emulator service({"--port", "0", "--complete-after", "60000"});  // plain HTTP, for once
    CHECK(service.url().starts_with("http://127.0.0.1:"));
    constexpr crowd::account_id account{"123456789012"};
    auto client = crowd::make_client(
                      {.account = account,
                       .endpoint = service.url(),
                       .credentials = [] { return crowd::sigv4::credentials::make("AKIDCROWDEMULATOR", "crowd-emulator-secret"); },
                       .env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; }})
                      .value();
    constexpr crowd::task_name name{"never-done-in-time"};
    REQUIRE(client.create<fn::sentiment_analysis>(name, {.text = "x"}));
    auto const started = std::chrono::steady_clock::now();
    auto const waited = client.wait<fn::sentiment_analysis>(name, {.first_delay = 50ms, .max_delay = 100ms, .timeout = 400ms});
    auto const took = std::chrono::steady_clock::now() - started;
    REQUIRE_FALSE(waited);
    CHECK(waited.error() == crowd::errc::wait_timed_out);
    CHECK(waited.error() == crowd::condition::timed_out);
    CHECK(waited.error().detail() == "task never-done-in-time still processing after 0.4 s");
    // The deadline is on the client's clock (system_clock), measured here on steady_clock:
    // a wall clock being slewed can run a fraction of a percent apart (a CI run saw
    // 399.1 ms), so allow 10 ms.
    CHECK(took >= 390ms);
    CHECK(took < 5s);  // a wide margin for a loaded machine; the deadline is what is tested
    CHECK(service.stop() == 0);
}

TEST_CASE("crowd-emulator: a body over 1 MiB gets 413, and the client sees it", "[e2e]")
{
    auto const& pki = test_pki::shared();
    running_emulator service({"--port", "0", "--tls-cert", write_file("cert5.pem", pki.localhost.certificate_pem),
                              "--tls-key", write_file("key5.pem", pki.localhost.key_pem)});
    auto client = client_of(service.url());
    constexpr crowd::task_name name{"too-large"};
    // The untyped path sends what it is given: the typed one would refuse the text first.
    boost::json::value const huge = boost::json::object{{"text", std::string(2 * 1024 * 1024, 'x')}};
    auto const created = client.create("sentiment-analysis", name, huge);
    REQUIRE_FALSE(created);
    CHECK(created.error().http_status() == 413);
    CHECK(created.error() == crowd::condition::service_error);
    CHECK(std::string(created.error().detail()).find("larger than 1 MiB") != std::string::npos);
    auto const stats = stats_of(service.url());
    CHECK(stats.at("faults").at("unreadable") == 1);
    CHECK(stats.at("tasks").at("processing") == 0);
    CHECK(service.stop() == 0);
}

namespace {

/// tests/credentials/fake_aws.py on a loopback port, handing out the emulator's keys.
class running_fake_aws {
public:
    running_fake_aws()
    {
        port_file_ = fs::temp_directory_path() / ("mturk-crowd-fake-aws-" + std::to_string(::getpid()));
        fs::remove(port_file_);
        std::vector<std::string> args{"python3", MTURK_CROWD_FAKE_AWS_PATH, port_file_.string(), "AKIDCROWDEMULATOR",
                                      "crowd-emulator-secret"};
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        REQUIRE(::posix_spawnp(&pid_, "python3", nullptr, nullptr, argv.data(), environ) == 0);
        for (int i = 0; i != 200 && !fs::exists(port_file_); ++i)
            std::this_thread::sleep_for(25ms);
        REQUIRE(fs::exists(port_file_));
        std::ifstream in(port_file_);
        std::string port;
        in >> port;
        url_ = "http://127.0.0.1:" + port;
    }
    ~running_fake_aws()
    {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        fs::remove(port_file_);
    }
    std::string const& url() const { return url_; }

    boost::json::value get(std::string const& target) const
    {
        auto transport = crowd::transport::beast_transport::make(crowd::parse_endpoint(url_).value()).value();
        crowd::http_request request;
        request.target = target;
        request.fields.add("Host", crowd::parse_endpoint(url_)->host_header());
        auto const answer = transport.send(request);
        REQUIRE(answer);
        return boost::json::parse(answer->body);
    }

private:
    pid_t pid_ = -1;
    fs::path port_file_;
    std::string url_;
};

}  // namespace

TEST_CASE("credentials near expiry are refreshed once, for every client of a chain, while many requests run", "[e2e][credentials]")
{
    auto const& pki = test_pki::shared();
    running_emulator service({"--port", "0", "--tls-cert", write_file("cert-refresh.pem", pki.localhost.certificate_pem),
                              "--tls-key", write_file("key-refresh.pem", pki.localhost.key_pem), "--complete-after", "0"});
    running_fake_aws fake;
    auto const first_expiry = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) + 2h;
    fake.get("/_expiry?at=" + std::to_string(first_expiry.time_since_epoch().count()));

    // An EC2 instance's environment, its metadata service the fake on 127.0.0.1. The
    // chain's clock is the real one plus an offset the test moves.
    crowd::environment const env = test_environment::env_of({{"AWS_EC2_METADATA_DISABLED", "false"},
                                                             {"AWS_EC2_METADATA_SERVICE_ENDPOINT", fake.url()},
                                                             {"HOME", "/nonexistent"}});
    std::atomic<std::int64_t> offset_seconds{0};
    auto chain = std::make_shared<crowd::default_credentials_chain>(crowd::credentials_chain_options{
        .env = env,
        .now = [&offset_seconds] { return std::chrono::system_clock::now() + std::chrono::seconds(offset_seconds.load()); },
        .fetch = crowd::transport::make_beast_fetch({}, env)});

    std::atomic<bool> stop{false};
    std::atomic<int> done{0};
    std::atomic<int> failures{0};
    std::vector<std::thread> users;
    for (int t = 0; t != 4; ++t) {
        users.emplace_back([&, t] {
            constexpr crowd::account_id account{"123456789012"};
            auto client = crowd::make_client({.account = account,
                                              .endpoint = service.url(),
                                              .credentials = [chain] { return chain->get(); },
                                              .env = env},
                                             {.ca_file = test_pki::ca_file()});
            if (!client) {
                ++failures;
                return;
            }
            for (int i = 0; !stop; ++i) {
                auto const name = crowd::task_name::parse("refresh-" + std::to_string(t) + "-" + std::to_string(i)).value();
                if (client->create<fn::sentiment_analysis::test>(name, {.text = "fine"}))
                    ++done;
                else
                    ++failures;
            }
        });
    }
    auto wait_for = [&](int requests) {
        for (int i = 0; i != 2000 && done < requests; ++i)
            std::this_thread::sleep_for(5ms);
    };
    wait_for(40);
    CHECK(fake.get("/_stats").at("imds credentials") == 1);  // one fetch for the four clients

    // The next answer lasts longer; then the clock reaches the refresh window (5 minutes
    // before the first expiry): one refresh, whoever asks first, the others wait for it.
    fake.get("/_expiry?at=" + std::to_string((first_expiry + 2h).time_since_epoch().count()));
    int const before = done;
    offset_seconds = std::chrono::duration_cast<std::chrono::seconds>(
                         first_expiry - 2min - std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()))
                         .count();
    // The refresh runs in the background while the kept credentials serve: wait for it
    // (state, not time), then for more requests with the fresh ones.
    for (int i = 0; i != 1000 && fake.get("/_stats").at("imds credentials") != 2; ++i)
        std::this_thread::sleep_for(10ms);
    int const after_refresh = done;
    wait_for(std::max(before, after_refresh) + 40);
    stop = true;
    for (auto& u : users)
        u.join();
    CHECK(failures == 0);
    CHECK(done >= after_refresh + 40);
    CHECK(fake.get("/_stats").at("imds credentials") == 2);  // refreshed once, not once per client or request
    REQUIRE(chain->get());
    CHECK(*chain->get()->expiration() == first_expiry + 2h);
    CHECK(!chain->last_refresh_error());
    CHECK(service.stop() == 0);
}
