// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// crowd-emulator as a separate process for end-to-end tests (MTURK_CROWD_EMULATOR_PATH),
// and the files it is given.
#ifndef MTURK_CROWD_TESTS_RUNNING_EMULATOR_HPP
#define MTURK_CROWD_TESTS_RUNNING_EMULATOR_HPP

#include "test_pki.hpp"

#include <mturk/crowd/beast_client.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <catch.hpp>

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

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

    /// Ends it at once (SIGKILL): what a crash does.
    void kill()
    {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }

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

inline std::string write_file(std::string const& name, std::string const& text)
{
    auto const path = std::filesystem::temp_directory_path() / ("mturk-crowd-e2e-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream(path) << text;
    return path.string();
}

/// What a client of crowd-emulator is given: its default key, `max_attempts` attempts
/// (AWS_MAX_ATTEMPTS), nothing else from the environment.
inline mturk::crowd::client_config emulator_client_config(std::string const& url, int max_attempts)
{
    return {.account = mturk::crowd::account_id("123456789012"),
            .endpoint = url,
            .credentials = [] { return mturk::crowd::sigv4::credentials::make("AKIDCROWDEMULATOR", "crowd-emulator-secret"); },
            .env = [max_attempts](std::string_view name) -> std::optional<std::string> {
                if (name == "AWS_MAX_ATTEMPTS")
                    return std::to_string(max_attempts);
                return std::nullopt;
            }};
}

/// GET /_emulator/stats, unsigned; up to `attempts` tries, as the request may be dropped too.
inline boost::json::value emulator_stats(std::string const& url, int attempts = 1)
{
    namespace crowd = mturk::crowd;
    auto transport = crowd::transport::beast_transport::make(crowd::parse_endpoint(url).value(),
                                                             {.ca_file = test_pki::ca_file()})
                         .value();
    crowd::http_request stats;
    stats.target = "/_emulator/stats";
    stats.fields.add("Host", crowd::parse_endpoint(url)->host_header());
    for (int attempt = 0; attempt != attempts; ++attempt)
        if (auto const answer = transport.send(stats))
            return boost::json::parse(answer->body);
    FAIL("no answer from /_emulator/stats");
    return nullptr;
}

/// How many requests of a kind ("PUT", "GET", ...) the emulator's stats count: 0 when none.
inline std::int64_t count_of(boost::json::value const& stats, char const* key)
{
    auto const* found = stats.at("requests").as_object().if_contains(key);
    return found ? found->as_int64() : 0;
}

}  // namespace

#endif
