// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// What every crowd subcommand shares: exit codes, one-line errors, files, JSON output.
#ifndef MTURK_CROWD_EXAMPLES_CROWD_CLI_SUPPORT_HPP
#define MTURK_CROWD_EXAMPLES_CROWD_CLI_SUPPORT_HPP

#include <mturk/crowd/error.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include <unistd.h>

namespace crowd_cli {

namespace crowd = mturk::crowd;

/// The tool's exit codes, for scripts (README, "The crowd tool").
enum exit_code : int {
    exit_ok = 0,
    exit_other = 1,          ///< the service answered something unreadable, or signing failed
    exit_usage = 2,          ///< bad arguments, an input that fails its schema, no credentials
    exit_refused = 3,        ///< the service answered with an error status
    exit_network = 4,        ///< no answer: connection, TLS (an unverified certificate too), timeout
    exit_wait_timed_out = 5, ///< wait reached --timeout with the task still processing
};

/// One line on stderr, the tool's name first: what a script's log should show.
inline int fail(int code, std::string const& message)
{
    std::fprintf(stderr, "crowd: %s\n", message.c_str());
    return code;
}

/// The exit code and message of a library error.
inline int fail(crowd::error const& e)
{
    if (e == crowd::errc::wait_timed_out)
        return fail(exit_wait_timed_out, e.what());
    if (e == crowd::condition::service_error)
        return fail(exit_refused, "the service refused: " + e.what());
    if (e == crowd::condition::connection_error)
        return fail(exit_network, "no answer from the service: " + e.what());
    if (e == crowd::condition::invalid_argument || e == crowd::condition::credentials_error)
        return fail(exit_usage, e.what());
    return fail(exit_other, e.what());
}

inline std::optional<std::string> read_file(std::string const& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline bool is_terminal(std::FILE* f) { return ::isatty(::fileno(f)) == 1; }

/// JSON with two-space indentation: Boost.JSON 1.81 serializes compactly only.
inline void write_pretty(boost::json::value const& v, std::string& out, int depth = 0)
{
    auto newline = [&](int d) {
        out += '\n';
        out.append(static_cast<std::size_t>(d) * 2, ' ');
    };
    if (auto const* o = v.if_object(); o && !o->empty()) {
        out += '{';
        bool first = true;
        for (auto const& [key, member] : *o) {
            out += first ? "" : ",";
            first = false;
            newline(depth + 1);
            out += boost::json::serialize(boost::json::value(key));
            out += ": ";
            write_pretty(member, out, depth + 1);
        }
        newline(depth);
        out += '}';
    } else if (auto const* a = v.if_array(); a && !a->empty()) {
        out += '[';
        bool first = true;
        for (auto const& element : *a) {
            out += first ? "" : ",";
            first = false;
            newline(depth + 1);
            write_pretty(element, out, depth + 1);
        }
        newline(depth);
        out += ']';
    } else {
        out += boost::json::serialize(v);
    }
}

/// A document on stdout: indented for a person at a terminal, one line for a pipe.
inline void print_json(boost::json::value const& v)
{
    std::string text;
    if (is_terminal(stdout))
        write_pretty(v, text);
    else
        text = boost::json::serialize(v);
    text += '\n';
    std::fwrite(text.data(), 1, text.size(), stdout);
}

}  // namespace crowd_cli

#endif
