// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// crowd-emulator as a separate process over HTTPS, with certificates the test makes: the
// client creates, waits for, reads and deletes a task; the stats count it; SIGTERM stops it.
#include <mturk/crowd/transport/beast.hpp>

#include <mturk/crowd/functions.hpp>

#include "test_pki.hpp"

#include <catch.hpp>

#include <boost/json/parse.hpp>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

extern char** environ;

namespace {

/// crowd-emulator started with `args`; its URL from the first line it prints.
class running_emulator {
public:
    explicit running_emulator(std::vector<std::string> args)
    {
        int fds[2];
        REQUIRE(::pipe(fds) == 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
        posix_spawn_file_actions_addclose(&actions, fds[0]);
        args.insert(args.begin(), MTURK_CROWD_EMULATOR_PATH);
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        REQUIRE(::posix_spawn(&pid_, MTURK_CROWD_EMULATOR_PATH, &actions, nullptr, argv.data(), environ) == 0);
        posix_spawn_file_actions_destroy(&actions);
        ::close(fds[1]);
        out_ = ::fdopen(fds[0], "r");
        char line[256] = {};
        REQUIRE(std::fgets(line, sizeof line, out_) != nullptr);
        std::string const first(line);
        REQUIRE(first.starts_with("listening on "));
        url_ = first.substr(13, first.find_last_not_of("\r\n") - 12);
    }
    ~running_emulator()
    {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        if (out_)
            std::fclose(out_);
    }
    std::string const& url() const { return url_; }

    /// SIGTERM, and the exit status.
    int stop()
    {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

private:
    pid_t pid_ = -1;
    FILE* out_ = nullptr;
    std::string url_;
};

std::string write_file(std::string const& name, std::string const& text)
{
    auto const path = fs::temp_directory_path() / ("mturk-crowd-e2e-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream(path) << text;
    return path.string();
}

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
    auto client = crowd::make_client(
                      {.account = account,
                       .endpoint = url,
                       .credentials = [] { return crowd::sigv4::credentials::make("AKIDCROWDEMULATOR", "crowd-emulator-secret"); },
                       .env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; }},
                      {.ca_file = test_pki::ca_file()})
                      .value();
    auto const created = client.create<fn::sentiment_analysis>(name, {.text = "Everything is wonderful."});
    REQUIRE(created);
    CHECK(created->newly_created);
    auto const done = client.wait<fn::sentiment_analysis>(name, {.first_delay = 100ms, .max_delay = 200ms, .timeout = 10s});
    REQUIRE(done);
    CHECK(done->state == crowd::task_state::completed);
    CHECK(client.remove<fn::sentiment_analysis>(name));
    CHECK(client.get<fn::sentiment_analysis>(name).error() == crowd::errc::task_not_found);

    // The stats endpoint, unsigned, on loopback.
    auto stats_transport = crowd::transport::beast_transport::make(crowd::parse_endpoint(url).value(),
                                                                   {.ca_file = test_pki::ca_file()})
                               .value();
    crowd::http_request stats;
    stats.target = "/_emulator/stats";
    stats.fields.add("Host", crowd::parse_endpoint(url)->host_header());
    auto const answer = stats_transport.send(stats);
    REQUIRE(answer);
    auto const doc = boost::json::parse(answer->body);
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
    constexpr crowd::account_id account{"123456789012"};
    auto client = crowd::make_client(
                      {.account = account,
                       .endpoint = service.url(),
                       .credentials = [] { return crowd::sigv4::credentials::make("AKIDCROWDEMULATOR", "crowd-emulator-secret"); },
                       .env = [](std::string_view name) -> std::optional<std::string> {
                           if (name == "AWS_MAX_ATTEMPTS")
                               return std::string("12");
                           return std::nullopt;
                       }},
                      {.ca_file = test_pki::ca_file()})
                      .value();
    // One valid input per function, through the untyped path so that one loop covers all.
    std::pair<char const*, char const*> const inputs[] = {
        {"sentiment-analysis", R"({"text":"Great"})"},
        {"emotion-detection", R"({"text":"Great"})"},
        {"named-entity-recognition", R"({"text":"Ada met Alan in London"})"},
        {"coreference-resolution", R"({"text":"Ada said she would come"})"},
        {"key-phrase-extraction", R"({"text":"I love this album"})"},
        {"semantic-similarity", R"({"text1":"a","text2":"b"})"},
        {"collect-utterance-for-intent", R"({"context":"a bill","intent":"lower it"})"},
        {"intent-detection", R"({"text":"book me in","intents":[{"label":"Book"},{"label":"Cancel"}]})"},
        {"text-categorization", R"({"text":"runs small","categories":[{"label":"Fit"}]})"},
        {"bounding-box", R"({"image":{"url":"https://example.com/a.jpg"},"labels":[{"label":"car"}]})"},
        {"image-contains", R"({"image":{"url":"https://example.com/a.jpg"},"target":{"label":"dog"}})"},
        {"image-categorization", R"({"image":{"url":"https://example.com/a.jpg"},"categories":[{"label":"Boot"}]})"},
        {"image-similarity", R"({"image1":{"url":"https://example.com/a.jpg"},"image2":{"url":"https://example.com/b.jpg"}})"},
    };
    int made = 0;
    for (auto const& [function, input] : inputs) {
        INFO(function);
        auto const name = crowd::task_name::parse(std::string("e2e-") + function).value();
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

    auto stats_transport = crowd::transport::beast_transport::make(crowd::parse_endpoint(service.url()).value(),
                                                                   {.ca_file = test_pki::ca_file()})
                               .value();
    crowd::http_request stats;
    stats.target = "/_emulator/stats";
    stats.fields.add("Host", crowd::parse_endpoint(service.url())->host_header());
    boost::json::value doc;
    for (int attempt = 0; attempt != 20 && doc.is_null(); ++attempt)  // the stats request may be dropped too
        if (auto answer = stats_transport.send(stats))
            doc = boost::json::parse(answer->body);
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
