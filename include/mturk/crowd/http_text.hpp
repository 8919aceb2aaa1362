// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_HTTP_TEXT_HPP
#define MTURK_CROWD_HTTP_TEXT_HPP

#include <mturk/crowd/error.hpp>
#include <mturk/crowd/http_message.hpp>

#include <string>
#include <string_view>

/* A request as text, the layout of the AWS SigV4 test suites and of `crowd sign`:

       <METHOD> <target> HTTP/1.1\n
       <Name>:<value>\n        one line per field, in order; the value is everything after
                               the first ':', verbatim; a line starting with white space
                               continues the previous value (kept with its newline)
       \n                      the empty line (optional when there is no body)
       <body>                  every byte after the empty line

   Lines end with LF. This is for showing and debugging requests, not an HTTP parser. */
namespace mturk::crowd {

/// Reads a request; errors are `errc::invalid_request` with the line number.
inline result<http_request> parse_http_text(std::string_view text)
{
    http_request request;
    auto const first_end = text.find('\n');
    std::string_view const line = text.substr(0, first_end);
    auto const sp1 = line.find(' ');
    auto const sp2 = line.rfind(' ');
    if (sp1 == std::string_view::npos || sp2 == sp1 || line.substr(sp2 + 1) != "HTTP/1.1")
        return error(errc::invalid_request, "line 1: expected \"<METHOD> <target> HTTP/1.1\"");
    std::string_view const method = line.substr(0, sp1);
    if (method == "GET")
        request.method = http_method::get;
    else if (method == "PUT")
        request.method = http_method::put;
    else if (method == "DELETE")
        request.method = http_method::delete_;
    else if (method == "POST")
        request.method = http_method::post;
    else
        return error(errc::invalid_request, "line 1: unknown method \"" + std::string(method) + "\"");
    request.target.assign(line.substr(sp1 + 1, sp2 - sp1 - 1));

    std::size_t at = first_end == std::string_view::npos ? text.size() : first_end + 1;
    std::string name;
    std::string value;
    bool have_field = false;
    int line_number = 1;
    while (at < text.size()) {
        ++line_number;
        auto end = text.find('\n', at);
        bool const last = end == std::string_view::npos;
        std::string_view const l = text.substr(at, last ? std::string_view::npos : end - at);
        at = last ? text.size() : end + 1;
        if (l.empty()) {
            request.body.assign(text.substr(at));
            break;
        }
        if (l.front() == ' ' || l.front() == '\t') {
            if (!have_field)
                return error(errc::invalid_request,
                             "line " + std::to_string(line_number) + ": a continuation line before any field");
            value += '\n';
            value += l;
            continue;
        }
        if (have_field)
            request.fields.add(std::move(name), std::move(value));
        auto const colon = l.find(':');
        if (colon == std::string_view::npos || colon == 0)
            return error(errc::invalid_request, "line " + std::to_string(line_number) + ": expected \"Name:value\"");
        name.assign(l.substr(0, colon));
        value.assign(l.substr(colon + 1));
        have_field = true;
    }
    if (have_field)
        request.fields.add(std::move(name), std::move(value));
    return request;
}

/// Writes a request in the same layout, always with the empty line.
inline std::string to_http_text(http_request const& request)
{
    std::string out;
    out += to_string(request.method);
    out += ' ';
    out += request.target;
    out += " HTTP/1.1\n";
    for (auto const& f : request.fields) {
        out += f.name;
        out += ':';
        out += f.value;
        out += '\n';
    }
    out += '\n';
    out += request.body;
    return out;
}

}  // namespace mturk::crowd

#endif
