// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// crowd's command line through CLI11: every command and option is named here, once. The
// help, the man page (help2man reads --help) and the shell completions (completion.hpp
// walks this tree) all come from it.
#ifndef MTURK_CROWD_TOOLS_CROWD_COMMAND_LINE_HPP
#define MTURK_CROWD_TOOLS_CROWD_COMMAND_LINE_HPP

#include "batch_command.hpp"
#include "cli_support.hpp"
#include "sign_command.hpp"
#include "task_commands.hpp"
#include "../common/version_text.hpp"

#include <mturk/crowd/settings/environment.hpp>
#include <mturk/crowd/settings/profile_file.hpp>

#include <CLI/CLI.hpp>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace crowd_cli {

/// What the command line gave, before it is checked.
struct command_line_values {
    task_arguments task;
    std::string function;                   // FUNCTION (put, get, delete, wait, batch)
    std::string task_name;                  // TASK (put, get, delete, wait)
    std::optional<std::string> retries;     // --retries
    std::optional<std::string> connect_timeout, read_timeout;
    std::optional<std::string> output;      // --output
    std::optional<std::string> wait_timeout;
    batch_arguments batch;
    sign_arguments sign;
    std::optional<std::string> functions_wanted;
    std::string shell;                      // completion
};

/// The closed sets of values, named once: the command line checks against them and the
/// completions offer them.
inline std::vector<std::string> const output_formats{"json", "text"};
inline std::vector<std::string> const log_formats{"text", "json"};
inline std::vector<std::string> const completion_shells{"bash", "zsh", "fish"};
inline std::vector<std::string> const sign_stages{"canonical-request", "string-to-sign", "signature", "signed-request"};

/// Values that shells complete for an option or a positional (completion.hpp).
enum class completes { nothing, files, profiles, functions, outputs, log_formats, sign_stages, shells };

/// What completes each option: CLI11 keeps no such property, so a table beside the tree.
struct completion_table {
    std::vector<std::pair<CLI::Option const*, completes>> entries;
    completes of(CLI::Option const* o) const
    {
        for (auto const& [option, kind] : entries)
            if (option == o)
                return kind;
        return completes::nothing;
    }
};

/// The command line of crowd: the tree, where the values go, and what each completes.
struct command_line {
    // No description above the usage line: help2man reads the first line as the synopsis.
    CLI::App app{"", "crowd"};
    command_line_values values;
    completion_table completions;

    command_line() { build(); }
    command_line(command_line const&) = delete;
    command_line& operator=(command_line const&) = delete;

    /// The one command given, or null.
    CLI::App* chosen() const
    {
        auto const given = app.get_subcommands();
        return given.empty() ? nullptr : given.front();
    }

private:
    CLI::Option* with(CLI::Option* o, completes kind)
    {
        completions.entries.emplace_back(o, kind);
        return o;
    }

    /// The client's options: every command that makes a client takes them, and so does
    /// crowd before the command (`crowd --profile p get ...`, as the aws CLI).
    void add_client_options(CLI::App& to)
    {
        auto& v = values;
        to.add_option("--account", v.task.account,
                      "the 12-digit AWS account (default: AWS_ACCOUNT_ID, the profile's aws_account_id, else the "
                      "account the credentials say)")
            ->option_text("ID");
        to.add_option("--region", v.task.region,
                      "the signing region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region, else us-east-1)")
            ->option_text("REGION");
        to.add_option("--endpoint-url,--endpoint", v.task.endpoint,
                      "the service (default: AWS_ENDPOINT_URL_CROWD, AWS_ENDPOINT_URL, the profile's services or "
                      "endpoint_url, else https://crowd.<region>.amazonaws.com)")
            ->option_text("URL");
        with(to.add_option("--profile", v.task.profile,
                           "this profile of ~/.aws/config and ~/.aws/credentials for settings and credentials, over keys "
                           "in the environment (default: AWS_PROFILE, else default)")
                 ->option_text("NAME"),
             completes::profiles);
        with(to.add_option("--ca-bundle,--ca-file", v.task.ca_file,
                           "PEM file of trusted CA certificates (default: AWS_CA_BUNDLE, the profile's ca_bundle, else the "
                           "system store); certificates are always verified")
                 ->option_text("FILE"),
             completes::files);
        to.add_option("--cli-connect-timeout", v.connect_timeout,
                      "seconds to connect, TLS handshake included (default 10; 0: no limit of its own)")
            ->option_text("SECONDS");
        to.add_option("--cli-read-timeout", v.read_timeout,
                      "seconds to send a request and read its answer (default 60; 0: no limit of its own)")
            ->option_text("SECONDS");
        to.add_option("--retries", v.retries, "retries after a failed attempt, 0..20 (default: AWS_MAX_ATTEMPTS - 1, else 2)")
            ->option_text("N");
        to.add_flag("--test", v.task.test, "use the function's -test twin (free, answers at once with a mock)");
        to.add_flag("--no-credentials-cache", v.task.no_credentials_cache,
                    "do not read or write assumed-role credentials in ~/.aws/cli/cache (shared with the aws CLI)");
        to.add_flag("--verbose", v.task.verbose,
                    "log each call, request and response (headers) and retry on stderr; signature and tokens redacted");
        to.add_flag("--debug", v.task.debug,
                    "log everything on stderr: where the endpoint, region and credentials came from, each call, "
                    "canonical request, request and response with bodies, retry and connection; secrets redacted");
        with(to.add_option("--log-format", v.task.log_format,
                           "text (the default) or json: one object a line (time, level, component, invocation_id, "
                           "attempt, message); alone, it logs calls, retries, credentials and the endpoint")
                 ->option_text("FORMAT")
                 ->check(CLI::IsMember(log_formats)),
             completes::log_formats);
    }

    /// --output: for the commands that print documents.
    void add_output_option(CLI::App& to)
    {
        with(to.add_option("--output", values.output,
                           "json (the default) or text: tab-separated fields, one task a line (default: "
                           "AWS_DEFAULT_OUTPUT, else the profile's output)")
                 ->option_text("FORMAT")
                 ->check(CLI::IsMember(output_formats)),
             completes::outputs);
    }

    void add_function_and_task(CLI::App& to)
    {
        with(to.add_option("FUNCTION", values.function, "a function: crowd functions lists the documented ones"),
             completes::functions);
        to.add_option("TASK", values.task_name, "the task's name: 1 to 128 of A-Z a-z 0-9 . _ -");
    }

    void build()
    {
        auto& v = values;
        app.set_help_flag("-h,--help", "this text; crowd COMMAND --help: the command's");
        app.set_version_flag("--version", crowd_tools_version_text(), "the versions of crowd, the library, Boost and OpenSSL");
        app.get_formatter()->label("Subcommands", "Commands");
        app.get_formatter()->label("SUBCOMMAND", "COMMAND");
        app.get_formatter()->column_width(34);
        // Unknown words are kept and refused by main() with the message this tool has always given.
        app.allow_extras();
        app.footer("crowd creates, polls, waits for and deletes tasks of the Amazon Mechanical Turk crowd API.\n\n"
                   "Exit codes: 0 success, 2 usage, 3 the service refused, 4 network or TLS failure,\n"
                   "5 wait timed out, 1 anything else. docs/crowd-tool.md has the whole manual.");
        add_client_options(app);
        add_output_option(app);

        auto* put = app.add_subcommand("put", "create a task from a JSON input (a file or stdin)");
        add_function_and_task(*put);
        with(put->add_option("--input", v.task.input, "the JSON input: a file, or - for stdin (the default)")
                 ->option_text("FILE"),
             completes::files);
        put->footer(put_help);

        auto* get = app.add_subcommand("get", "print a task: its state, input, and result or problem");
        add_function_and_task(*get);
        get->footer(get_help);

        auto* remove = app.add_subcommand("delete", "delete a finished task");
        add_function_and_task(*remove);
        remove->footer(delete_help);

        auto* wait = app.add_subcommand("wait", "poll a task until it is completed or failed, then print it");
        add_function_and_task(*wait);
        wait->add_option("--timeout", v.wait_timeout, "seconds to wait at most (default 24 h; over 0, at most 30 days)")
            ->option_text("SECONDS");
        wait->footer(wait_help);

        auto* batch =
            app.add_subcommand("batch", "create the tasks of a JSON Lines file, wait for all, append each one's end to another");
        with(batch->add_option("FUNCTION", v.function, "the function of lines that name none"), completes::functions);
        with(batch->add_option("--in", v.batch.in, "the tasks, one JSON object a line")->option_text("FILE"), completes::files);
        with(batch->add_option("--out", v.batch.out, "the results, appended to (created if need be)")->option_text("FILE"),
             completes::files);
        batch->add_option("--concurrency", v.batch.concurrency, "requests in flight at most (default 64; 1..1024)")
            ->option_text("N");
        batch->add_option("--poll-after", v.batch.poll_after,
                          "the first poll of a task after its creation (default 5000; 0: at once); later ones wait "
                          "longer, up to 60 s, spread at random")
            ->option_text("MS");
        batch->add_flag("--delete-after", v.batch.delete_after, "delete each task once its line is written");
        batch->add_flag("--strict", v.batch.strict, "a bad line stops the run before any request (exit 2)");
        batch->add_flag("--no-progress", v.batch.no_progress, "no progress bar (it is drawn only when stderr is a terminal)");
        batch->add_option("--shard", v.batch.shard,
                          "only lines I, I+N, I+2N... (counted from 0); without it, the shard of the scheduler's "
                          "environment: Kubernetes Indexed Jobs (JOB_COMPLETION_INDEX, with --shards N), Slurm job arrays "
                          "(SLURM_ARRAY_TASK_ID of a regular range), AWS Batch array jobs (AWS_BATCH_JOB_ARRAY_INDEX of "
                          "AWS_BATCH_JOB_ARRAY_SIZE)")
            ->option_text("I/N");
        batch->add_option("--shards", v.batch.shards, "the number of shards, with JOB_COMPLETION_INDEX")->option_text("N");
        batch->footer(batch_help);

        auto* functions = app.add_subcommand("functions", "the documented functions and their input and result JSON");
        with(functions->add_option("FUNCTION", v.functions_wanted, "that function only"), completes::functions);
        functions->footer(functions_help);

        auto* sign = app.add_subcommand("sign", "sign a request with SigV4 and print any stage of it");
        with(sign->add_option("--context", v.sign.context_path,
                              "the signing inputs as JSON: credentials (access_key_id, secret_access_key, optional "
                              "token), region, service, timestamp (YYYY-MM-DDTHH:MM:SSZ), optional normalize, sign_body, "
                              "omit_session_token, expiration_in_seconds")
                 ->option_text("FILE"),
             completes::files);
        with(sign->add_option("--request", v.sign.request_path,
                              "the request: \"METHOD target HTTP/1.1\", then Name:value lines, an empty line and the "
                              "body (the AWS test suites' layout)")
                 ->option_text("FILE"),
             completes::files);
        with(sign->add_option("--print", v.sign.what,
                              "canonical-request, string-to-sign, signature, or signed-request (the default)")
                 ->option_text("STAGE")
                 ->check(CLI::IsMember(sign_stages)),
             completes::sign_stages);
        sign->add_flag("--query", v.sign.query,
                       "presign (signature in the query string, expiring after the context's expiration_in_seconds, "
                       "default 3600) instead of signing with headers");
        sign->footer(sign_help);

        auto* config =
            app.add_subcommand("config", "each setting, its value and where it came from; the credentials' source");
        config->footer("Prints each setting the other commands would use, its value and where it came from\n"
                       "(option; env VARIABLE; file line N; default), then the credentials' source: a table,\n"
                       "or with --output (or AWS_DEFAULT_OUTPUT, or the profile's output) JSON or text.\n");

        auto* completion = app.add_subcommand("completion", "print the shell completion script for bash, zsh or fish");
        with(completion->add_option("SHELL", v.shell, "bash, zsh or fish")->check(CLI::IsMember(completion_shells)),
             completes::shells);
        completion->footer("bash:  source <(crowd completion bash)   (or install it in /usr/share/bash-completion/completions/crowd)\n"
                           "zsh:   crowd completion zsh > \"${fpath[1]}/_crowd\"\n"
                           "fish:  crowd completion fish > ~/.config/fish/completions/crowd.fish\n"
                           "The Debian package installs all three.\n");

        for (auto* command : {put, get, remove, wait, batch, config})
            add_client_options(*command);
        for (auto* command : {put, get, wait, functions, config})
            add_output_option(*command);
        for (auto* command : app.get_subcommands([](CLI::App*) { return true; })) {
            command->allow_extras();
            command->group("Commands");
        }
    }

    static std::string crowd_tools_version_text()
    {
        std::string text = crowd_tools::version_text("crowd");
        text.pop_back();  // CLI11 ends the line itself
        return text;
    }
};

/// Seconds of --cli-connect-timeout or --cli-read-timeout: 0 is the aws CLI's "no limit",
/// which here is a day (an operation's other limits still apply).
inline std::optional<std::chrono::milliseconds> parse_seconds_limit(std::string const& text)
{
    char* end = nullptr;
    double const seconds = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !std::isfinite(seconds) || seconds < 0 || seconds > 24 * 3600)
        return std::nullopt;
    if (seconds == 0)
        return std::chrono::hours(24);
    return std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000)));
}

/** The output format: --output, else AWS_DEFAULT_OUTPUT, else the selected profile's
    `output` (the aws CLI's order), else JSON. The aws CLI's other formats (table, yaml,
    yaml-stream) in the environment or a profile shared with it give JSON, and `crowd
    config` says so; anything else there is refused, naming where it came from. */
inline std::optional<int> resolve_output(command_line_values& v)
{
    auto& a = v.task;
    auto const take = [&](std::string const& value, std::string const& origin) -> std::optional<int> {
        if (value == "json" || value == "text") {
            a.output = value == "text" ? output_format::text : output_format::json;
            a.output_chosen = true;
            a.output_origin = origin;
            return std::nullopt;
        }
        if (value == "table" || value == "yaml" || value == "yaml-stream") {
            a.output = output_format::json;
            a.output_origin = origin + " (" + value + " is an aws CLI format crowd does not print: json instead)";
            return std::nullopt;
        }
        return fail(exit_usage, origin + " says output \"" + value + "\": crowd prints json or text");
    };
    if (v.output)
        return take(*v.output, "option");
    auto env = crowd::process_environment();
    if (auto const from_env = env("AWS_DEFAULT_OUTPUT"); from_env && !from_env->empty())
        return take(*from_env, "env AWS_DEFAULT_OUTPUT");
    crowd::environment const selecting = [env, profile = a.profile](std::string_view name) -> std::optional<std::string> {
        if (profile && name == "AWS_PROFILE")
            return *profile;
        return env(name);
    };
    auto const from_profile = crowd::selected_profile_setting(selecting, "output");
    if (!from_profile)
        return fail(from_profile.error());
    if (*from_profile && !(*from_profile)->value.empty())
        return take((*from_profile)->value, (*from_profile)->file + " line " + std::to_string((*from_profile)->line));
    return std::nullopt;
}

/// The client's values checked and converted: positionals, numbers, time limits, and the
/// output format for a command that prints documents (`prints`): one that prints none
/// (delete, batch) is not refused for an AWS_DEFAULT_OUTPUT it would not use.
inline std::optional<int> finish_client_values(std::string_view command, bool prints, command_line_values& v)
{
    auto& a = v.task;
    auto const usage = [&](std::string const& message) {
        return fail(exit_usage, std::string(command) + ": " + message + " (see crowd " + std::string(command) + " --help)");
    };
    for (auto const* positional : {&v.function, &v.task_name})
        if (!positional->empty())
            a.positional.push_back(*positional);
    if (v.retries) {
        unsigned n = 0;
        auto const [end, ec] = std::from_chars(v.retries->data(), v.retries->data() + v.retries->size(), n);
        if (ec != std::errc() || end != v.retries->data() + v.retries->size() || n > 20)
            return usage("--retries takes a number from 0 to 20, not \"" + *v.retries + "\"");
        a.retries = n;
    }
    if (v.connect_timeout && !(a.connect_timeout = parse_seconds_limit(*v.connect_timeout)))
        return usage("--cli-connect-timeout takes seconds from 0 to a day, not \"" + *v.connect_timeout + "\"");
    if (v.read_timeout && !(a.read_timeout = parse_seconds_limit(*v.read_timeout)))
        return usage("--cli-read-timeout takes seconds from 0 to a day, not \"" + *v.read_timeout + "\"");
    if (v.wait_timeout) {
        std::string const& value = *v.wait_timeout;
        char* end = nullptr;
        double const seconds = std::strtod(value.c_str(), &end);
        if (value.empty() || *end != '\0' || !std::isfinite(seconds) || seconds <= 0 || seconds > 30 * 24 * 3600)
            return usage("--timeout takes seconds, more than 0 and at most 30 days, not \"" + value + "\"");
        a.timeout = std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000)));
    }
    return prints ? resolve_output(v) : std::nullopt;
}

}  // namespace crowd_cli

#endif
