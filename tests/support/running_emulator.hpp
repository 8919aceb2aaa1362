// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// crowd-emulator as a separate process for end-to-end tests (MTURK_CROWD_EMULATOR_PATH),
// and the files it is given.
#ifndef MTURK_CROWD_TESTS_RUNNING_EMULATOR_HPP
#define MTURK_CROWD_TESTS_RUNNING_EMULATOR_HPP

#include <catch.hpp>

#include <csignal>
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

}  // namespace

#endif
