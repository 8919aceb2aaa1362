// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// crowd completion bash|zsh|fish: a completion script made from the command line's own
// tree (command_line.hpp), so that a command or option added there is completed without
// more work. It completes commands, options, the 13 function names and their -test twins,
// the values of --output and --print, files, and the profile names of the config and
// credentials files (read when completing, so new profiles appear at once).
#ifndef MTURK_CROWD_TOOLS_CROWD_COMPLETION_HPP
#define MTURK_CROWD_TOOLS_CROWD_COMPLETION_HPP

#include "cli_support.hpp"
#include "command_line.hpp"

#include <mturk/crowd/functions.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace crowd_cli {

namespace completion_detail {

/// One option as a shell sees it: its names, whether a value follows, what completes it.
struct option_view {
    std::vector<std::string> names;  // "--endpoint-url", "--endpoint"
    bool takes_value = false;
    completes kind = completes::nothing;
    std::string description;
};

/// A command: its options and its positionals' kinds, in order.
struct command_view {
    std::string name;
    std::string description;
    std::vector<option_view> options;
    std::vector<completes> positionals;
};

inline std::vector<option_view> options_of(CLI::App const& app, completion_table const& table)
{
    std::vector<option_view> out;
    for (auto const* o : app.get_options()) {
        if (o->get_positional())
            continue;
        option_view view;
        for (auto const& n : o->get_lnames())
            view.names.push_back("--" + n);
        for (auto const& n : o->get_snames())
            view.names.push_back("-" + n);
        view.takes_value = o->get_items_expected_max() > 0 && o->get_type_size_min() > 0;
        view.kind = table.of(o);
        view.description = o->get_description();
        out.push_back(std::move(view));
    }
    return out;
}

inline std::vector<command_view> commands_of(command_line const& cli)
{
    std::vector<command_view> out;
    for (auto const* sub : cli.app.get_subcommands([](CLI::App const*) { return true; })) {
        command_view view{sub->get_name(), sub->get_description(), options_of(*sub, cli.completions), {}};
        for (auto const* o : sub->get_options())
            if (o->get_positional())
                view.positionals.push_back(cli.completions.of(o));
        out.push_back(std::move(view));
    }
    return out;
}

inline std::string function_names()
{
    std::string names;
    auto const add = [&]<class... F>(mturk::crowd::functions::function_list<F...>) {
        ((names += std::string(names.empty() ? "" : " ") + std::string(F::name) + " " + std::string(F::test::name)), ...);
    };
    add(mturk::crowd::functions::all_functions{});
    return names;
}

inline std::string join(std::vector<std::string> const& words, std::string_view separator = " ")
{
    std::string out;
    for (auto const& w : words)
        out += (out.empty() ? "" : std::string(separator)) + w;
    return out;
}

/// The first sentence of a description, without the characters zsh and fish quote with.
inline std::string short_description(std::string text)
{
    if (auto const cut = text.find_first_of("(;:"); cut != std::string::npos)
        text.resize(cut);
    while (!text.empty() && text.back() == ' ')
        text.pop_back();
    std::string out;
    for (char c : text)
        if (c != '\'' && c != '[' && c != ']' && c != '\\' && c != '"' && c != '$' && c != '`')
            out += c;
    return out;
}

/// Profile names of the config file ([default], [profile NAME]) and of the credentials
/// file ([NAME]): the sed expressions, then each shell's command around them.
constexpr char const* profile_sed_expressions =
    "-e 's/^[[:space:]]*\\[[[:space:]]*profile[[:space:]][[:space:]]*\\([^][:space:]]*\\)[[:space:]]*\\].*/\\1/p'"
    " -e 's/^[[:space:]]*\\[[[:space:]]*\\([^][:space:]]*\\)[[:space:]]*\\].*/\\1/p'";

/// bash and zsh.
inline std::string profiles_pipeline()
{
    return std::string("sed -n ") + profile_sed_expressions +
           " \"${AWS_CONFIG_FILE:-$HOME/.aws/config}\" \"${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials}\""
           " 2>/dev/null | sort -u";
}

/// fish, whose variables have no defaults in place.
inline std::string fish_profiles_function()
{
    return std::string("function __crowd_profiles\n"
                       "    set -l config $HOME/.aws/config\n"
                       "    set -q AWS_CONFIG_FILE; and set config $AWS_CONFIG_FILE\n"
                       "    set -l credentials $HOME/.aws/credentials\n"
                       "    set -q AWS_SHARED_CREDENTIALS_FILE; and set credentials $AWS_SHARED_CREDENTIALS_FILE\n"
                       "    sed -n ") +
           profile_sed_expressions + " $config $credentials 2>/dev/null | sort -u\nend\n";
}

/// The fixed words of a kind of value (the same lists the command line checks against);
/// empty for files, profiles and free values, which each shell completes its own way.
inline std::string words_of(completes kind)
{
    switch (kind) {
    case completes::functions: return function_names();
    case completes::outputs: return join(output_formats);
    case completes::log_formats: return join(log_formats);
    case completes::sign_stages: return join(sign_stages);
    case completes::shells: return join(completion_shells);
    case completes::files:
    case completes::profiles:
    case completes::nothing: break;
    }
    return {};
}

inline std::string values_for_bash(completes kind)
{
    if (kind == completes::files)
        return "COMPREPLY=($(compgen -f -- \"$cur\")); compopt -o filenames 2>/dev/null";
    if (kind == completes::profiles)
        return "COMPREPLY=($(compgen -W \"$(_crowd_profiles)\" -- \"$cur\"))";
    if (kind == completes::functions)  // a variable of the script: the list is long
        return "COMPREPLY=($(compgen -W \"$_crowd_functions\" -- \"$cur\"))";
    if (auto const words = words_of(kind); !words.empty())
        return "COMPREPLY=($(compgen -W \"" + words + "\" -- \"$cur\"))";
    return "COMPREPLY=()";
}

inline std::string bash_script(command_line const& cli)
{
    auto const commands = commands_of(cli);
    auto const global = options_of(cli.app, cli.completions);
    std::vector<std::string> command_names;
    for (auto const& c : commands)
        command_names.push_back(c.name);

    std::string s = "# bash completion for crowd (crowd completion bash), made from crowd's own command line.\n";
    s += "_crowd_functions='" + words_of(completes::functions) + "'\n";
    s += "_crowd_profiles() { " + profiles_pipeline() + "; }\n";
    s += "_crowd() {\n"
         "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} command='' positional=0 i word\n"
         "    COMPREPLY=()\n"
         "    # --opt=value: bash splits at '=', so the option is two words back.\n"
         "    if [[ $cur == = ]]; then cur=''; elif [[ $prev == = ]]; then prev=${COMP_WORDS[COMP_CWORD-2]}; fi\n"
         "    # The command, and how many positionals follow it before the word being completed.\n"
         "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "        word=${COMP_WORDS[i]}\n"
         "        if [[ $word == -* || $word == = ]]; then continue; fi\n"
         "        case ${COMP_WORDS[i-1]} in\n"
         "            =) continue ;;\n";
    // Options that take a value: the next word is that value, not a positional.
    std::vector<std::string> valued;
    auto const collect = [&](std::vector<option_view> const& options) {
        for (auto const& o : options)
            if (o.takes_value)
                for (auto const& n : o.names)
                    if (std::find(valued.begin(), valued.end(), n) == valued.end())
                        valued.push_back(n);
    };
    collect(global);
    for (auto const& c : commands)
        collect(c.options);
    s += "            " + join(valued, "|") + ") continue ;;\n"
         "        esac\n"
         "        if [[ -z $command ]]; then command=$word; else positional=$((positional + 1)); fi\n"
         "    done\n"
         "    # The value of an option.\n"
         "    case $prev in\n";
    auto const value_cases = [&](std::vector<option_view> const& options, std::vector<std::string>& done) {
        for (auto const& o : options) {
            if (!o.takes_value || std::find(done.begin(), done.end(), o.names.front()) != done.end())
                continue;
            done.push_back(o.names.front());
            s += "        " + join(o.names, "|") + ") " + values_for_bash(o.kind) + "; return ;;\n";
        }
    };
    std::vector<std::string> done;
    value_cases(global, done);
    for (auto const& c : commands)
        value_cases(c.options, done);
    s += "    esac\n"
         "    case $command in\n";
    for (auto const& c : commands) {
        std::vector<std::string> names;
        for (auto const& o : c.options)
            names.insert(names.end(), o.names.begin(), o.names.end());
        s += "        " + c.name + ")\n"
             "            if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W '" + join(names) + "' -- \"$cur\")); return; fi\n";
        for (std::size_t p = 0; p < c.positionals.size(); ++p)
            if (c.positionals[p] != completes::nothing)
                s += "            if [[ $positional == " + std::to_string(p) + " ]]; then " + values_for_bash(c.positionals[p]) +
                     "; return; fi\n";
        s += "            ;;\n";
    }
    std::vector<std::string> global_names;
    for (auto const& o : global)
        global_names.insert(global_names.end(), o.names.begin(), o.names.end());
    s += "        '')\n"
         "            if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W '" + join(global_names) + "' -- \"$cur\"));\n"
         "            else COMPREPLY=($(compgen -W '" + join(command_names) + "' -- \"$cur\")); fi\n"
         "            ;;\n"
         "    esac\n"
         "}\n"
         "complete -F _crowd crowd\n";
    return s;
}

inline std::string zsh_values(completes kind)
{
    if (kind == completes::files)
        return "_files";
    if (kind == completes::profiles)
        return "_crowd_profiles";
    if (auto const words = words_of(kind); !words.empty())
        return "(" + words + ")";
    return " ";
}

inline std::string zsh_option_specs(std::vector<option_view> const& options)
{
    std::string s;
    for (auto const& o : options)
        for (auto const& n : o.names) {
            s += " \\\n        '" + n + (o.takes_value && n.starts_with("--") ? "=" : "") + "[" +
                 short_description(o.description) + "]";
            if (o.takes_value)
                s += ":value:" + zsh_values(o.kind);
            s += "'";
        }
    return s;
}

inline std::string zsh_script(command_line const& cli)
{
    auto const commands = commands_of(cli);
    std::string s = "#compdef crowd\n# zsh completion for crowd (crowd completion zsh), made from crowd's own command line.\n";
    s += "_crowd_profiles() { local -a profiles; profiles=(${(f)\"$(" + profiles_pipeline() +
         ")\"}); _describe profile profiles; }\n";
    s += "_crowd() {\n"
         "    local curcontext=$curcontext state line\n"
         "    local -a commands\n"
         "    commands=(\n";
    for (auto const& c : commands)
        s += "        '" + c.name + ":" + short_description(c.description) + "'\n";
    s += "    )\n"
         "    _arguments -C" + zsh_option_specs(options_of(cli.app, cli.completions)) +
         " \\\n        '1:command:->command' '*::argument:->argument'\n"
         "    case $state in\n"
         "        command) _describe command commands ;;\n"
         "        argument)\n"
         "            case $words[1] in\n";
    for (auto const& c : commands) {
        s += "                " + c.name + ") _arguments" + zsh_option_specs(c.options);
        for (std::size_t p = 0; p < c.positionals.size(); ++p)
            s += " \\\n        '" + std::to_string(p + 1) + ":argument:" + zsh_values(c.positionals[p]) + "'";
        s += " ;;\n";
    }
    s += "            esac ;;\n"
         "    esac\n"
         "}\n"
         "_crowd \"$@\"\n";
    return s;
}

inline std::string fish_values(completes kind)
{
    if (kind == completes::files)
        return " -r -F";
    if (kind == completes::profiles)
        return " -x -a '(__crowd_profiles)'";
    if (auto const words = words_of(kind); !words.empty())
        return " -x -a '" + words + "'";
    return " -x";
}

inline std::string fish_script(command_line const& cli)
{
    auto const commands = commands_of(cli);
    std::vector<std::string> command_names;
    for (auto const& c : commands)
        command_names.push_back(c.name);
    std::string s = "# fish completion for crowd (crowd completion fish), made from crowd's own command line.\n";
    s += fish_profiles_function();
    s += "complete -c crowd -f\n";
    auto const options = [&](std::string const& condition, std::vector<option_view> const& list) {
        for (auto const& o : list) {
            s += "complete -c crowd -n '" + condition + "'";
            for (auto const& n : o.names)
                s += n.starts_with("--") ? " -l " + n.substr(2) : " -s " + n.substr(1);
            s += (o.takes_value ? fish_values(o.kind) : std::string()) + " -d '" + short_description(o.description) + "'\n";
        }
    };
    options("__fish_use_subcommand", options_of(cli.app, cli.completions));
    for (auto const& c : commands) {
        s += "complete -c crowd -n __fish_use_subcommand -a " + c.name + " -d '" + short_description(c.description) + "'\n";
        options("__fish_seen_subcommand_from " + c.name, c.options);
        if (!c.positionals.empty() && c.positionals.front() != completes::nothing)
            s += "complete -c crowd -n '__fish_seen_subcommand_from " + c.name + "'" + fish_values(c.positionals.front()) + "\n";
    }
    return s;
}

}  // namespace completion_detail

/// `crowd completion SHELL`: the script on stdout.
inline int print_completion(command_line const& cli, std::string const& shell)
{
    if (shell.empty())
        return fail(exit_usage, "completion: give the shell: bash, zsh or fish (see crowd completion --help)");
    std::string const script = shell == "bash"  ? completion_detail::bash_script(cli)
                               : shell == "zsh" ? completion_detail::zsh_script(cli)
                                                : completion_detail::fish_script(cli);
    std::fwrite(script.data(), 1, script.size(), stdout);
    return exit_ok;
}

}  // namespace crowd_cli

#endif
