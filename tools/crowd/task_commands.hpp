// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// crowd put | get | delete | wait | functions: the client from the shell.
#ifndef MTURK_CROWD_EXAMPLES_CROWD_TASK_COMMANDS_HPP
#define MTURK_CROWD_EXAMPLES_CROWD_TASK_COMMANDS_HPP

#include "cli_support.hpp"

#include <mturk/crowd/client.hpp>
#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/functions/input_check.hpp>
#include <mturk/crowd/json_shape.hpp>
#include <mturk/crowd/log_redaction.hpp>
#include <mturk/crowd/credentials/default_chain.hpp>
#include <mturk/crowd/credentials/file_cache.hpp>
#include <mturk/crowd/beast_client.hpp>

#include <boost/json/parse.hpp>

#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crowd_cli {

namespace fn = mturk::crowd::functions;

using cli_client = crowd::client;

/// What a command that makes a client was asked: the client's options (command_line.hpp
/// names each once) and the command's own.
struct task_arguments {
    std::vector<std::string> positional;
    std::optional<std::string> account;
    std::string region;
    std::string endpoint;
    std::optional<std::string> profile;
    std::string ca_file;
    bool test = false;
    std::optional<unsigned> retries;
    bool verbose = false;           // --verbose: calls, requests, responses, retries
    bool debug = false;             // --debug: everything
    bool no_credentials_cache = false;  // --no-credentials-cache
    std::optional<std::string> log_format;  // --log-format: text or json
    std::optional<std::chrono::milliseconds> connect_timeout;  // --cli-connect-timeout
    std::optional<std::chrono::milliseconds> read_timeout;     // --cli-read-timeout
    output_format output = output_format::json;
    bool output_chosen = false;    // by --output, AWS_DEFAULT_OUTPUT or the profile
    std::string output_origin = "default";
    std::optional<std::string> input;                  // put: a file, or "-" for stdin
    std::optional<std::chrono::milliseconds> timeout;  // wait
};

/** A profile's MFA code (`mfa_serial`), asked on the terminal as the aws CLI asks it;
    without a terminal on stdin, a clear error (nothing can answer). */
inline crowd::result<std::string> ask_mfa_code(std::string_view serial)
{
    if (!::isatty(STDIN_FILENO))
        return crowd::error(crowd::errc::invalid_configuration,
                            "the role needs a code of the MFA device " + std::string(serial) +
                                " (the profile's mfa_serial), and stdin is not a terminal to ask on: run crowd on a "
                                "terminal once (the credentials are then cached until they near expiry), or fill the "
                                "cache with the aws CLI (aws sts get-caller-identity --profile ...)");
    std::fprintf(stderr, "Enter MFA code for %.*s: ", static_cast<int>(serial.size()), serial.data());
    std::fflush(stderr);
    std::string code;
    for (int c = std::getchar(); c != EOF && c != '\n'; c = std::getchar())
        code += static_cast<char>(c);
    while (!code.empty() && (code.back() == '\r' || code.back() == ' '))
        code.pop_back();
    return code;
}

/** The configuration the options describe: --profile selects that profile for the
    settings and the credentials (over keys in the environment, as the AWS CLI does);
    without it, the library's default chain and AWS_PROFILE. */
inline crowd::result<crowd::client_config> cli_config(task_arguments const& a)
{
    crowd::client_config config;
    if (a.account) {
        auto parsed = crowd::account_id::parse(*a.account);
        if (!parsed)
            return crowd::error(crowd::errc::invalid_configuration, "--account: " + parsed.error().message());
        config.account = *parsed;
    }
    config.region = a.region;
    config.endpoint = a.endpoint;
    // --profile is AWS_PROFILE for the library (and the named profile's keys win over keys
    // in the environment); --retries N is N retries after the first attempt, in whichever
    // mode is configured: AWS_MAX_ATTEMPTS=N+1. Both reach the library through its
    // environment, so that its factory resolves every setting once.
    if (a.profile || a.retries) {
        config.env = [process_env = crowd::process_environment(), profile = a.profile,
                      attempts = a.retries ? std::optional<unsigned>(*a.retries + 1) : std::nullopt](
                         std::string_view name) -> std::optional<std::string> {
            if (profile && (name == "AWS_ACCESS_KEY_ID" || name == "AWS_SECRET_ACCESS_KEY" || name == "AWS_SESSION_TOKEN"))
                return std::nullopt;
            if (profile && name == "AWS_PROFILE")
                return *profile;
            if (attempts && name == "AWS_MAX_ATTEMPTS")
                return std::to_string(*attempts);
            return process_env(name);
        };
    }
    // STS, SSO and the metadata services trust what AWS_CA_BUNDLE or the system says;
    // --ca-file is for the crowd endpoint.
    config.credentials_fetch = crowd::transport::make_beast_fetch({}, config.env);
    // As the aws CLI does: assumed roles' credentials kept in ~/.aws/cli/cache, so that a
    // shell loop of commands asks STS once (and an MFA device once) until they near expiry.
    if (!a.no_credentials_cache)
        if (auto cache = crowd::credentials_file_cache::aws_cli(config.env))
            config.credentials_cache = std::make_shared<crowd::credentials_file_cache const>(std::move(*cache));
    config.mfa_token = ask_mfa_code;
    return config;
}

/// The logger the options ask for: --debug (everything, at trace), --verbose (calls,
/// requests and responses without bodies, retries), --log-format alone (calls, retries,
/// credentials and the endpoint, at info); none of them: off.
inline crowd::client_logger cli_logger(task_arguments const& a)
{
    crowd::client_logger logger;
    if (!a.debug && !a.verbose && !a.log_format)
        return logger;
    auto const format = a.log_format == std::optional<std::string>("json") ? crowd::log_format::json : crowd::log_format::text;
    logger.sink = crowd::log_to_stream(stderr, format);
    if (a.debug) {
        logger.level = crowd::log_level::trace;
        logger.modes = crowd::log_mode::all;
    } else if (a.verbose) {
        logger.level = crowd::log_level::debug;
        logger.modes = crowd::log_mode::calls | crowd::log_mode::requests | crowd::log_mode::responses |
                       crowd::log_mode::retries | crowd::log_mode::credentials | crowd::log_mode::endpoint;
    } else {
        logger.level = crowd::log_level::info;
        logger.modes = crowd::log_mode::calls | crowd::log_mode::retries | crowd::log_mode::credentials |
                       crowd::log_mode::endpoint;
    }
    return logger;
}

/// The configuration of a client of the options, sync or async: `cli_config` with the
/// logger of --verbose, --debug and --log-format.
inline crowd::result<crowd::client_config> cli_client_setup(task_arguments const& a)
{
    auto made = cli_config(a);
    if (!made)
        return made.error();
    crowd::client_config config = std::move(*made);
    config.logger = cli_logger(a);
    return config;
}

/// The transport's options: --ca-bundle, and the aws CLI's two time limits (connecting
/// covers the TLS handshake too; reading covers writing the request and reading the answer).
inline crowd::transport::beast_options beast_options_of(task_arguments const& a)
{
    crowd::transport::beast_options options{.ca_file = a.ca_file};
    if (a.connect_timeout)
        options.connect_timeout = options.handshake_timeout = *a.connect_timeout;
    if (a.read_timeout)
        options.request_timeout = *a.read_timeout;
    return options;
}

/// The client the options describe (`cli_config`).
inline crowd::result<cli_client> make_cli_client(task_arguments const& a)
{
    auto config = cli_client_setup(a);
    if (!config)
        return config.error();
    // The library's own factory: --ca-file is for the crowd endpoint only (cli_config
    // gave the credentials' services their own fetch, which trusts AWS_CA_BUNDLE or the
    // system), the retry mode as configured.
    return crowd::make_client(std::move(*config), beast_options_of(a));
}

/// `typed.template operator()<F>()` for the typed function named `name` (its -test twin
/// for a "-test" name or `test`); nothing for a name the catalogue lacks.
template <class Typed, class... F>
std::optional<int> with_typed_function(std::string_view name, bool test, Typed&& typed, fn::function_list<F...>)
{
    std::optional<int> code;
    auto const try_one = [&]<class G>() {
        if (code)
            return;
        if (name == G::name && !test)
            code = typed.template operator()<G>();
        else if (name == G::name || name == G::test::name)
            code = typed.template operator()<typename G::test>();
    };
    (try_one.template operator()<F>(), ...);
    return code;
}

/// The common start of put/get/delete/wait: arguments, FUNCTION and TASK, the client.
struct task_call {
    task_arguments args;
    std::string function;
    std::optional<crowd::task_name> name;
    std::optional<cli_client> client;
};

inline std::optional<int> start_task_call(std::string_view command, task_arguments const& a, task_call& call)
{
    call.args = a;
    if (call.args.positional.size() != 2)
        return fail(exit_usage, std::string(command) + ": give FUNCTION and TASK (see crowd " + std::string(command) + " --help)");
    call.function = call.args.positional[0];
    auto name = crowd::task_name::parse_with_reason(call.args.positional[1]);
    if (!name)  // the detail quotes the name and says which character, where
        return fail(exit_usage, std::string(command) + ": task name " + std::string(name.error().detail()));
    call.name = *name;
    auto client = make_cli_client(call.args);
    if (!client)
        return fail(client.error());
    call.client.emplace(std::move(*client));
    return std::nullopt;
}

/// Runs `typed` for a documented function, else `untyped` (with the -test name for --test).
template <class Typed, class Untyped>
int on_function(task_call const& call, Typed&& typed, Untyped&& untyped)
{
    if (auto code = with_typed_function(call.function, call.args.test, typed, fn::all_functions{}))
        return *code;
    std::string const name = call.args.test && !call.function.ends_with("-test") ? call.function + "-test" : call.function;
    return untyped(name);
}

/// Prints a task, or fails with its error.
template <class Task>
int print_task(crowd::result<Task> const& t, output_format format)
{
    if (!t)
        return fail(t.error());
    print_task_document(t->raw, format);
    return exit_ok;
}

constexpr char const* put_help = R"(Creates task TASK of FUNCTION with the JSON input read from FILE, or from stdin (the
default, or "-"). The input is the task's input object, e.g. {"text": "Great!"}. For the
13 documented functions it is checked against the typed schema (crowd functions FUNCTION)
before anything is sent; other names are sent as given. Prints the task document.
PUT is idempotent: the same TASK with the same input gives the same task again.
)";

inline int put_command(task_arguments const& a)
{
    task_call call;
    if (auto done = start_task_call("put", a, call))
        return *done;
    std::string const source = call.args.input.value_or("-");
    std::optional<std::string> text;
    if (source == "-") {
        if (is_terminal(stdin))
            return fail(exit_usage, "put: no input: give --input FILE, or pipe the JSON input on stdin");
        text = std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
        text = read_file(source);
        if (!text)
            return fail(exit_usage, "put: cannot read the input file " + source);
    }
    boost::system::error_code ec;
    auto const input = boost::json::parse(*text, ec);
    std::string const where = source == "-" ? "stdin" : source;
    if (ec)
        return fail(exit_usage, "put: " + where + " is not JSON: " + ec.message());

    auto const created = [&](auto const& made) {
        if (!made)
            return fail(made.error());
        print_task_document(made->task.raw, call.args.output);
        return static_cast<int>(exit_ok);
    };
    return on_function(
        call,
        [&]<class F>() {
            using input_type = typename F::input_type;
            if (auto key = fn::first_unknown_key(input, crowd::json_shape<input_type>()))
                return fail(exit_usage, "put: " + where + ": " + *key + ": not a key of the " + std::string(F::name) +
                                            " input (crowd functions " + std::string(F::name) + " shows them)");
            auto typed_input = crowd::from_json<input_type>(input);
            if (!typed_input)
                return fail(exit_usage, "put: " + where + " is not a " + std::string(F::name) + " input: " +
                                            std::string(typed_input.error().detail()));
            return created(call.client->template create<F>(*call.name, *typed_input));
        },
        [&](std::string const& function) { return created(call.client->create(function, *call.name, input)); });
}

constexpr char const* get_help = R"(Prints the task document of TASK: its state (processing, completed or failed), its input,
and its result or problem details.
)";

inline int get_command(task_arguments const& a)
{
    task_call call;
    if (auto done = start_task_call("get", a, call))
        return *done;
    return on_function(
        call, [&]<class F>() { return print_task(call.client->template get<F>(*call.name), call.args.output); },
        [&](std::string const& function) { return print_task(call.client->get(function, *call.name), call.args.output); });
}

constexpr char const* delete_help = R"(Deletes TASK. A task still processing cannot be deleted (exit 3); wait for it first.
Prints nothing on success.
)";

inline int delete_command(task_arguments const& a)
{
    task_call call;
    if (auto done = start_task_call("delete", a, call))
        return *done;
    auto const removed = [](crowd::result<void> const& r) { return r ? int(exit_ok) : fail(r.error()); };
    return on_function(
        call, [&]<class F>() { return removed(call.client->template remove<F>(*call.name)); },
        [&](std::string const& function) { return removed(call.client->remove(function, *call.name)); });
}

constexpr char const* wait_help = R"(Polls TASK until it is completed or failed, then prints its document (a failed task is
an answer too: exit 0, with problemDetails). The delay between polls starts at 1 s and
doubles up to 60 s. --timeout (default 24 h) ends the wait with exit 5. When stderr is a
terminal, the elapsed time and state are shown there.
)";

inline int wait_command(task_arguments const& a)
{
    task_call call;
    if (auto done = start_task_call("wait", a, call))
        return *done;
    crowd::wait_options options;
    if (call.args.timeout)
        options.timeout = *call.args.timeout;
    bool const progress = is_terminal(stderr);
    if (progress) {
        options.on_poll = [](crowd::poll_report const& poll) {
            std::string const what = poll.state ? std::string(to_string(*poll.state))
                                                : "poll failed (" + poll.failure.code().message() + "), trying again";
            std::fprintf(stderr, "\rwaiting: %.1f s, %s   ", static_cast<double>(poll.elapsed.count()) / 1000.0,
                         what.c_str());
            std::fflush(stderr);
        };
    }
    auto const finish = [&](auto const& t) {
        if (progress)
            std::fputs("\n", stderr);
        return print_task(t, call.args.output);
    };
    return on_function(
        call, [&]<class F>() { return finish(call.client->template wait<F>(*call.name, options)); },
        [&](std::string const& function) { return finish(call.client->wait(function, *call.name, options)); });
}

constexpr char const* functions_help = R"(The documented functions with the outline of their input and result JSON: keys, a "?"
after an optional one, [element] for arrays, and the allowed values of closed sets;
and the input's limits (lengths in characters, counts of entries), taken from the same
code that checks them before crowd put sends anything. Each has a -test twin. With
FUNCTION, that one only.
)";

inline int functions_command(std::optional<std::string> const& wanted, output_format format)
{
    boost::json::array all;
    auto const describe = [&]<class... F>(fn::function_list<F...>) {
        auto const limits_of = []<class G>() {
            boost::json::object limits;
            for (auto const& rule : fn::input_limits<G>())
                limits.emplace(rule.path, fn::to_string(rule));
            return limits;
        };
        (all.push_back(boost::json::object{{"name", F::name},
                                           {"test", F::test::name},
                                           {"input", crowd::json_shape<typename F::input_type>()},
                                           {"limits", limits_of.template operator()<F>()},
                                           {"result", crowd::json_shape<typename F::result_type>()}}),
         ...);
    };
    describe(fn::all_functions{});
    // Text: one function a line: NAME, TEST NAME, INPUT outline, LIMITS, RESULT outline.
    auto const print = [&](boost::json::value const& entry) {
        if (format == output_format::json)
            return print_json(entry);
        auto const& o = entry.as_object();
        print_text_line({text_field(o.if_contains("name")), text_field(o.if_contains("test")),
                         text_field(o.if_contains("input")), text_field(o.if_contains("limits")),
                         text_field(o.if_contains("result"))});
    };
    if (!wanted) {
        if (format == output_format::json)
            print_json(all);
        else
            for (auto const& entry : all)
                print(entry);
        return exit_ok;
    }
    for (auto const& entry : all) {
        auto const& o = entry.as_object();
        if (o.at("name").as_string() == *wanted || o.at("test").as_string() == *wanted) {
            print(entry);
            return exit_ok;
        }
    }
    return fail(exit_usage, "functions: \"" + std::string(*wanted) +
                                "\" is not a documented function (crowd functions lists them); "
                                "put/get/delete/wait still send other names, unchecked");
}

}  // namespace crowd_cli

namespace crowd_cli {

/// `crowd config`: every setting, its value and where it came from, and where the
/// credentials come from (as `aws configure list`); secrets never, the key id masked.
/// A table for people, unless an output format is chosen: then JSON, or one
/// tab-separated line per setting.
inline int config_command(task_arguments const& a)
{
    if (!a.positional.empty())
        return fail(exit_usage, "config: takes no arguments (see crowd config --help)");
    auto config = cli_config(a);
    if (!config)
        return fail(config.error());
    auto settings = crowd::resolve_settings(*config, a.ca_file);
    if (!settings)
        return fail(settings.error());
    struct row {
        std::string setting, value, from;
    };
    std::vector<row> rows;
    for (auto const& [name, s] : settings->settings()) {
        std::string const value = s->value.empty() ? "<not set>" : s->value;
        // --profile and --retries reach the library as AWS_PROFILE and AWS_MAX_ATTEMPTS;
        // say it was the option.
        bool const from_option = s->origin.where == crowd::setting_origin::kind::code || (name == "profile" && a.profile) ||
                                 (name == "max attempts" && a.retries);
        rows.push_back({name, value, from_option ? "option" : s->origin.text()});
    }
    rows.push_back({"output", a.output == output_format::text ? "text" : "json", a.output_origin});
    auto chain = crowd::default_credentials_chain({.env = config->env, .fetch = config->credentials_fetch});
    auto const credentials = chain.get();
    if (!credentials) {
        rows.push_back({"credentials", "<not found>", credentials.error().what()});
    } else {
        std::string const key(credentials->access_key_id());
        std::string const masked =
            std::string(key.size() > 4 ? key.size() - 4 : 0, '*') + key.substr(key.size() > 4 ? key.size() - 4 : 0);
        rows.push_back({"access key", masked, chain.source()});
        rows.push_back({"secret key", "<redacted>", chain.source()});
        if (!credentials->session_token().reveal().empty())
            rows.push_back({"session token", "<redacted>", chain.source()});
        if (auto const expiry = credentials->expiration()) {
            auto const t = std::chrono::system_clock::to_time_t(*expiry);
            char text[32] = {};
            std::tm utc{};
            gmtime_r(&t, &utc);
            std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
            rows.push_back({"expires", text, chain.source()});
        }
        if (credentials->account_id())
            rows.push_back({"their account", *credentials->account_id(), chain.source()});
    }
    if (!a.output_chosen) {
        std::printf("%-14s %-48s %s\n", "setting", "value", "from");
        for (auto const& r : rows)
            std::printf("%-14s %-48s %s\n", r.setting.c_str(), r.value.c_str(), r.from.c_str());
    } else if (a.output == output_format::json) {
        boost::json::array list;
        for (auto const& r : rows)
            list.push_back(boost::json::object{{"setting", r.setting}, {"value", r.value}, {"from", r.from}});
        print_json(boost::json::object{{"settings", std::move(list)}});
    } else {
        for (auto const& r : rows) {
            boost::json::value const setting(r.setting), value(r.value), from(r.from);
            print_text_line({text_field(&setting), text_field(&value), text_field(&from)});
        }
    }
    return exit_ok;
}

}  // namespace crowd_cli

#endif
