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
#include <initializer_list>
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

/// How documents are printed (--output, AWS_DEFAULT_OUTPUT, the profile's `output`).
enum class output_format { json, text };

/// One field of a text line: a string as it is, anything else as compact JSON, nothing as
/// "-". JSON escapes tabs and line breaks inside strings; a string's own are written as
/// \t and \n here, so that a line is always one record of tab-separated fields.
inline std::string text_field(boost::json::value const* v)
{
    if (v == nullptr || v->is_null())
        return "-";
    if (auto const* s = v->if_string()) {
        std::string out;
        for (char c : *s) {
            if (c == '\t')
                out += "\\t";
            else if (c == '\n')
                out += "\\n";
            else if (c == '\r')
                out += "\\r";
            else
                out += c;
        }
        return out.empty() ? "-" : out;
    }
    return boost::json::serialize(*v);
}

/// A line of tab-separated fields on stdout.
inline void print_text_line(std::initializer_list<std::string> fields)
{
    std::string line;
    for (auto const& f : fields) {
        if (!line.empty())
            line += '\t';
        line += f;
    }
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stdout);
}

/// A task document: JSON as the service gave it, or one text line (for cut and awk):
/// TASK NAME, STATE, then the result (completed) or the problem details (failed) as
/// compact JSON, "-" while processing, then the input as compact JSON.
inline void print_task_document(boost::json::value const& doc, output_format format)
{
    if (format == output_format::json) {
        print_json(doc);
        return;
    }
    auto const* o = doc.if_object();
    auto const field = [&](char const* key) { return o ? o->if_contains(key) : nullptr; };
    auto const* outcome = field("result") ? field("result") : field("problemDetails");
    print_text_line({text_field(field("taskName")), text_field(field("state")), text_field(outcome), text_field(field("input"))});
}

}  // namespace crowd_cli

#endif
