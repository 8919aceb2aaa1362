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
//   crowd completion bash|zsh|fish
//
// command_line.hpp names every command and option once (CLI11: --opt=value, the aws CLI's
// names as aliases); crowd --help and crowd COMMAND --help print them.
//
// Exit codes: 0 success, 2 usage, 3 the service refused, 4 network or TLS failure,
// 5 wait timed out, 1 anything else.
#include "command_line.hpp"
#include "completion.hpp"

#include <cstdio>
#include <string>
#include <string_view>

namespace {

using namespace crowd_cli;

/// A word the command line did not take: an unknown option, command or argument.
int refuse_extra(CLI::App const* chosen, std::string const& word)
{
    bool const option = word.size() > 1 && word[0] == '-';
    if (chosen == nullptr)
        return fail(exit_usage, std::string(option ? "unknown option" : "unknown command") + " \"" + word + "\" (see crowd --help)");
    std::string const name = chosen->get_name();
    return fail(exit_usage, name + ": " + (option ? "unknown option" : "unexpected argument") + " \"" + word +
                                "\" (see crowd " + name + " --help)");
}

int run(command_line& cli)
{
    auto* chosen = cli.chosen();
    auto const extras = cli.app.remaining(true);
    if (!extras.empty())
        return refuse_extra(chosen, extras.front());
    if (chosen == nullptr)
        return fail(exit_usage, "no command given (see crowd --help)");
    std::string const name = chosen->get_name();
    // An option given before the command belongs to the command: refused if it takes none.
    for (auto const* option : cli.app.get_options()) {
        if (option->count() == 0 || option == cli.app.get_help_ptr() || option == cli.app.get_version_ptr())
            continue;
        if (chosen->get_option_no_throw(option->get_name()) == nullptr)
            return fail(exit_usage, name + ": takes no " + option->get_name() + " (see crowd " + name + " --help)");
    }
    auto& v = cli.values;
    if (name == "sign")
        return sign_command(v.sign);
    if (name == "completion")
        return print_completion(cli, v.shell);
    if (auto done = finish_client_values(name, chosen->get_option_no_throw("--output") != nullptr, v))
        return *done;
    if (name == "put")
        return put_command(v.task);
    if (name == "get")
        return get_command(v.task);
    if (name == "delete")
        return delete_command(v.task);
    if (name == "wait")
        return wait_command(v.task);
    if (name == "batch")
        return batch_command(v.task, v.batch);
    if (name == "functions")
        return functions_command(v.functions_wanted, v.task.output);
    return config_command(v.task);
}

}  // namespace

int main(int argc, char** argv)
{
    command_line cli;
    try {
        cli.app.parse(argc, argv);
    } catch (CLI::CallForHelp const&) {
        // The chosen command's help when there is one (CLI11 delegates to it).
        std::fputs(cli.app.help().c_str(), stdout);
        return exit_ok;
    } catch (CLI::CallForVersion const&) {
        std::fputs(crowd_tools::version_text("crowd").c_str(), stdout);
        return exit_ok;
    } catch (CLI::ParseError const& e) {
        // A value missing or not allowed: one line, the command's name first, exit 2.
        auto const* chosen = cli.chosen();
        std::string const name = chosen ? chosen->get_name() : std::string();
        return fail(exit_usage, (name.empty() ? "" : name + ": ") + e.what() + " (see crowd " +
                                    (name.empty() ? "" : name + " ") + "--help)");
    }
    return run(cli);
}
