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
#include <mturk/crowd/beast_client.hpp>

#include <boost/json/parse.hpp>

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

constexpr char const* common_options_help = R"(
common options:
  --account ID      the 12-digit AWS account (default: AWS_ACCOUNT_ID, the profile's
                    aws_account_id, else the account the credentials say)
  --region R        the signing region (default: AWS_REGION, AWS_DEFAULT_REGION, the
                    profile's region, else us-east-1)
  --endpoint URL    the service (default: AWS_ENDPOINT_URL_CROWD, AWS_ENDPOINT_URL, the
                    profile's services/endpoint_url, else https://crowd.<region>.amazonaws.com)
  --profile P       this profile of ~/.aws/config and ~/.aws/credentials for settings and
                    credentials, over keys in the environment (default: AWS_PROFILE, default)
  --ca-file F       PEM file of trusted CA certificates (default: AWS_CA_BUNDLE, the
                    profile's ca_bundle, else the system store); certificates are always verified
  --test            use the function's -test twin (free, answers at once with a mock)
  --retries N       retries after a failed attempt (default: AWS_MAX_ATTEMPTS - 1, else 2)
  --verbose         each request and response line on stderr, signature and tokens redacted

exit codes: 0 success, 2 usage, 3 the service refused, 4 network or TLS failure,
            5 wait timed out, 1 anything else
)";

/// What a task subcommand was asked.
struct task_arguments {
    std::vector<std::string_view> positional;
    std::optional<std::string> account;
    std::string region;
    std::string endpoint;
    std::optional<std::string> profile;
    std::string ca_file;
    bool test = false;
    std::optional<unsigned> retries;
    bool verbose = false;
    std::optional<std::string> input;             // put: a file, or "-" for stdin
    std::optional<std::chrono::milliseconds> timeout;  // wait
    bool help = false;
};

/// Parses the common options and the command's own (`own` lists which it takes).
inline std::optional<int> parse_task_arguments(std::string_view command, std::vector<std::string_view> const& args,
                                               std::initializer_list<std::string_view> own, task_arguments& out)
{
    auto const usage = [&](std::string const& message) {
        return fail(exit_usage, std::string(command) + ": " + message + " (see crowd " + std::string(command) + " --help)");
    };
    auto const takes = [&](std::string_view option) {
        for (auto o : own)
            if (o == option)
                return true;
        return false;
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view const arg = args[i];
        if (arg == "--help" || arg == "-h") {
            out.help = true;
            return std::nullopt;
        }
        if (!arg.starts_with("--") || arg == "-") {
            out.positional.push_back(arg);
            continue;
        }
        if (arg == "--test") {
            out.test = true;
            continue;
        }
        if (arg == "--verbose") {
            out.verbose = true;
            continue;
        }
        bool const known = arg == "--account" || arg == "--region" || arg == "--endpoint" || arg == "--profile" ||
                           arg == "--ca-file" || arg == "--retries" || (takes(arg) && (arg == "--input" || arg == "--timeout"));
        if (!known)
            return usage("unknown option \"" + std::string(arg) + "\"");
        if (i + 1 >= args.size())
            return usage(std::string(arg) + " needs a value");
        std::string const value(args[++i]);
        if (arg == "--account") {
            out.account = value;
        } else if (arg == "--region") {
            out.region = value;
        } else if (arg == "--endpoint") {
            out.endpoint = value;
        } else if (arg == "--profile") {
            out.profile = value;
        } else if (arg == "--ca-file") {
            out.ca_file = value;
        } else if (arg == "--retries") {
            unsigned n = 0;
            auto const [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
            if (ec != std::errc() || end != value.data() + value.size() || n > 20)
                return usage("--retries takes a number from 0 to 20, not \"" + value + "\"");
            out.retries = n;
        } else if (arg == "--input") {
            out.input = value;
        } else if (arg == "--timeout") {
            char* end = nullptr;
            double const seconds = std::strtod(value.c_str(), &end);
            if (value.empty() || *end != '\0' || !std::isfinite(seconds) || seconds <= 0 || seconds > 30 * 24 * 3600)
                return usage("--timeout takes seconds, more than 0 and at most 30 days, not \"" + value + "\"");
            out.timeout = std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000)));
        }
    }
    return std::nullopt;
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
    return config;
}

/// The configuration of a client of the options, sync or async: `cli_config` with the
/// --verbose hooks.
inline crowd::result<crowd::client_config> cli_client_setup(task_arguments const& a)
{
    auto made = cli_config(a);
    if (!made)
        return made.error();
    crowd::client_config config = std::move(*made);
    if (a.verbose) {
        // Each exchange on stderr through the client's hooks, as the library logs it:
        // signature and tokens redacted.
        config.hooks.before_attempt = [](crowd::attempt_started const& a) {
            std::fputs(crowd::to_loggable_text(a.request).c_str(), stderr);
        };
        config.hooks.after_attempt = [](crowd::attempt_finished const& a) {
            std::string const text = a.response ? crowd::to_loggable_text(*a.response)
                                                : "< no response: " + a.failure->what() + "\n";
            std::fputs(text.c_str(), stderr);
            std::fprintf(stderr, "(attempt %u of %.*s %.*s: %lld ms)\n", a.id.attempt,
                         static_cast<int>(a.id.operation.size()), a.id.operation.data(),
                         static_cast<int>(a.id.task.size()), a.id.task.data(), static_cast<long long>(a.took.count()));
        };
        config.hooks.on_retry_decision = [](crowd::retry_decided const& d) {
            if (d.retry)
                std::fprintf(stderr, "(retrying in %lld ms: %.*s)\n", static_cast<long long>(d.delay.count()),
                             static_cast<int>(d.reason.size()), d.reason.data());
        };
    }
    return config;
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
    return crowd::make_client(std::move(*config), {.ca_file = a.ca_file});
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

inline std::optional<int> start_task_call(std::string_view command, std::vector<std::string_view> const& raw,
                                          std::initializer_list<std::string_view> own, char const* help, task_call& call)
{
    if (auto done = parse_task_arguments(command, raw, own, call.args))
        return done;
    if (call.args.help) {
        std::fputs(help, stdout);
        std::fputs(common_options_help, stdout);
        return exit_ok;
    }
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
int print_task(crowd::result<Task> const& t)
{
    if (!t)
        return fail(t.error());
    print_json(t->raw);
    return exit_ok;
}

constexpr char const* put_help = R"(usage: crowd put FUNCTION TASK [--input FILE|-] [options]

Creates task TASK of FUNCTION with the JSON input read from FILE, or from stdin (the
default, or "-"). The input is the task's input object, e.g. {"text": "Great!"}. For the
13 documented functions it is checked against the typed schema (crowd functions FUNCTION)
before anything is sent; other names are sent as given. Prints the task document.
PUT is idempotent: the same TASK with the same input gives the same task again.
)";

inline int put_command(std::vector<std::string_view> const& raw)
{
    task_call call;
    if (auto done = start_task_call("put", raw, {"--input"}, put_help, call))
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

    auto const created = [](auto const& made) {
        if (!made)
            return fail(made.error());
        print_json(made->task.raw);
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

constexpr char const* get_help = R"(usage: crowd get FUNCTION TASK [options]

Prints the task document of TASK: its state (processing, completed or failed), its input,
and its result or problem details.
)";

inline int get_command(std::vector<std::string_view> const& raw)
{
    task_call call;
    if (auto done = start_task_call("get", raw, {}, get_help, call))
        return *done;
    return on_function(
        call, [&]<class F>() { return print_task(call.client->template get<F>(*call.name)); },
        [&](std::string const& function) { return print_task(call.client->get(function, *call.name)); });
}

constexpr char const* delete_help = R"(usage: crowd delete FUNCTION TASK [options]

Deletes TASK. A task still processing cannot be deleted (exit 3); wait for it first.
Prints nothing on success.
)";

inline int delete_command(std::vector<std::string_view> const& raw)
{
    task_call call;
    if (auto done = start_task_call("delete", raw, {}, delete_help, call))
        return *done;
    auto const removed = [](crowd::result<void> const& r) { return r ? int(exit_ok) : fail(r.error()); };
    return on_function(
        call, [&]<class F>() { return removed(call.client->template remove<F>(*call.name)); },
        [&](std::string const& function) { return removed(call.client->remove(function, *call.name)); });
}

constexpr char const* wait_help = R"(usage: crowd wait FUNCTION TASK [--timeout SECONDS] [options]

Polls TASK until it is completed or failed, then prints its document (a failed task is
an answer too: exit 0, with problemDetails). The delay between polls starts at 1 s and
doubles up to 60 s. --timeout (default 24 h) ends the wait with exit 5. When stderr is a
terminal, the elapsed time and state are shown there.
)";

inline int wait_command(std::vector<std::string_view> const& raw)
{
    task_call call;
    if (auto done = start_task_call("wait", raw, {"--timeout"}, wait_help, call))
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
        return print_task(t);
    };
    return on_function(
        call, [&]<class F>() { return finish(call.client->template wait<F>(*call.name, options)); },
        [&](std::string const& function) { return finish(call.client->wait(function, *call.name, options)); });
}

constexpr char const* functions_help = R"(usage: crowd functions [FUNCTION]

The documented functions with the outline of their input and result JSON: keys, a "?"
after an optional one, [element] for arrays, and the allowed values of closed sets;
and the input's limits (lengths in characters, counts of entries), taken from the same
code that checks them before crowd put sends anything. Each has a -test twin. With
FUNCTION, that one only.
)";

inline int functions_command(std::vector<std::string_view> const& args)
{
    std::optional<std::string_view> wanted;
    for (auto arg : args) {
        if (arg == "--help" || arg == "-h") {
            std::fputs(functions_help, stdout);
            return exit_ok;
        }
        if (arg.starts_with("--") || wanted)
            return fail(exit_usage, "functions: unexpected argument \"" + std::string(arg) + "\" (see crowd functions --help)");
        wanted = arg;
    }
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
    if (!wanted) {
        print_json(all);
        return exit_ok;
    }
    for (auto const& entry : all) {
        auto const& o = entry.as_object();
        if (o.at("name").as_string() == *wanted || o.at("test").as_string() == *wanted) {
            print_json(entry);
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
inline int config_command(std::vector<std::string_view> const& raw)
{
    task_arguments a;
    if (auto bad = parse_task_arguments("config", raw, {}, a))
        return *bad;
    if (a.help) {
        std::printf("usage: crowd config [options]\n\nPrints each setting the other commands would use, its value "
                    "and where it came from\n(code: an option; env VARIABLE; file line N; default), then the "
                    "credentials' source.\n%s",
                    common_options_help);
        return exit_ok;
    }
    if (!a.positional.empty())
        return fail(exit_usage, "config: takes no arguments (see crowd config --help)");
    auto config = cli_config(a);
    if (!config)
        return fail(config.error());
    auto settings = crowd::resolve_settings(*config, a.ca_file);
    if (!settings)
        return fail(settings.error());
    std::printf("%-14s %-48s %s\n", "setting", "value", "from");
    for (auto const& [name, s] : settings->settings()) {
        std::string const value = s->value.empty() ? "<not set>" : s->value;
        // --profile and --retries reach the library as AWS_PROFILE and AWS_MAX_ATTEMPTS;
        // say it was the option.
        bool const from_option = s->origin.where == crowd::setting_origin::kind::code || (name == "profile" && a.profile) ||
                                 (name == "max attempts" && a.retries);
        std::string const from = from_option ? "option" : s->origin.text();
        std::printf("%-14s %-48s %s\n", name.c_str(), value.c_str(), from.c_str());
    }
    auto chain = crowd::default_credentials_chain({.env = config->env, .fetch = config->credentials_fetch});
    auto const credentials = chain.get();
    if (!credentials) {
        std::printf("%-14s %-48s %s\n", "credentials", "<not found>", credentials.error().what().c_str());
        return exit_ok;
    }
    std::string const key(credentials->access_key_id());
    std::string const masked = std::string(key.size() > 4 ? key.size() - 4 : 0, '*') + key.substr(key.size() > 4 ? key.size() - 4 : 0);
    std::printf("%-14s %-48s %s\n", "access key", masked.c_str(), chain.source().c_str());
    std::printf("%-14s %-48s %s\n", "secret key", "<redacted>", chain.source().c_str());
    if (!credentials->session_token().reveal().empty())
        std::printf("%-14s %-48s %s\n", "session token", "<redacted>", chain.source().c_str());
    if (auto const expiry = credentials->expiration()) {
        auto const t = std::chrono::system_clock::to_time_t(*expiry);
        char text[32] = {};
        std::tm utc{};
        gmtime_r(&t, &utc);
        std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
        std::printf("%-14s %-48s %s\n", "expires", text, chain.source().c_str());
    }
    if (credentials->account_id())
        std::printf("%-14s %-48s %s\n", "their account", credentials->account_id()->c_str(), chain.source().c_str());
    return exit_ok;
}

}  // namespace crowd_cli

#endif
