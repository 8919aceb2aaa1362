// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// crowd: the command-line tool of mturk-crowd-cpp.
//
//   crowd put    FUNCTION TASK [--input FILE|-]
//   crowd get    FUNCTION TASK
//   crowd delete FUNCTION TASK
//   crowd wait   FUNCTION TASK [--timeout SECONDS]
//   crowd batch  FUNCTION --in TASKS.jsonl --out RESULTS.jsonl [--concurrency N] [--poll-after MS] ...
//   crowd functions [FUNCTION]
//   crowd sign   --context FILE --request FILE [--print WHAT] [--query]
//   crowd config
//
// Exit codes: 0 success, 2 usage, 3 the service refused, 4 network or TLS failure,
// 5 wait timed out, 1 anything else.
#include "batch_command.hpp"
#include "sign_command.hpp"
#include "task_commands.hpp"

#include <mturk/crowd/version.hpp>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace crowd_cli;

struct subcommand {
    std::string_view name;
    int (*run)(std::vector<std::string_view> const&);
    std::string_view summary;
};

constexpr subcommand subcommands[] = {
    {"put", put_command, "create a task from a JSON input (a file or stdin)"},
    {"get", get_command, "print a task: its state, input, and result or problem"},
    {"delete", delete_command, "delete a finished task"},
    {"wait", wait_command, "poll a task until it is completed or failed, then print it"},
    {"batch", batch_command, "create the tasks of a JSON Lines file, wait for all, append each one's end to another"},
    {"functions", functions_command, "the documented functions and their input and result JSON"},
    {"sign", sign_command, "sign a request with SigV4 and print any stage of it"},
    {"config", config_command, "each setting, its value and where it came from; the credentials' source"},
};

void print_usage(std::FILE* to)
{
    std::fprintf(to, "usage: crowd <command> [options]   (crowd <command> --help for its options)\n\ncommands:\n");
    for (auto const& c : subcommands)
        std::fprintf(to, "  %-10.*s %.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                     static_cast<int>(c.summary.size()), c.summary.data());
}

}  // namespace

int main(int argc, char** argv)
{
    std::vector<std::string_view> args(argv + 1, argv + argc);
    if (args.empty())
        return fail(exit_usage, "no command given (see crowd --help)");
    if (args[0] == "--help" || args[0] == "-h") {
        print_usage(stdout);
        return exit_ok;
    }
    if (args[0] == "--version") {
        std::printf("crowd (mturk-crowd-cpp) %d.%d.%d\n", MTURK_CROWD_VERSION_MAJOR, MTURK_CROWD_VERSION_MINOR,
                    MTURK_CROWD_VERSION_PATCH);
        return exit_ok;
    }
    for (auto const& c : subcommands)
        if (c.name == args[0])
            return c.run({args.begin() + 1, args.end()});
    return fail(exit_usage, "unknown command \"" + std::string(args[0]) + "\" (see crowd --help)");
}
