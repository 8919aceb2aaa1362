// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_LOG_REDACTION_HPP
#define MTURK_CROWD_LOG_REDACTION_HPP

#include <mturk/crowd/http_message.hpp>

#include <algorithm>
#include <string>
#include <string_view>

/* Requests and responses as log lines, without what would let a reader act as the
   caller: the signature (with the date it could replay the request for 15 minutes),
   session tokens, and anything named like a secret or a cookie. What one checks when a
   signature fails stays: the access key id, the scope, the signed header list. */
namespace mturk::crowd {

/// A header's value as a log may show it.
inline std::string loggable_field_value(std::string_view name, std::string_view value)
{
    auto const contains = [](std::string_view text, std::string_view part) {
        for (std::size_t i = 0; i + part.size() <= text.size(); ++i)
            if (detail::iequals(text.substr(i, part.size()), part))
                return true;
        return false;
    };
    if (detail::iequals(name, "Authorization")) {
        auto const at = value.find("Signature=");
        if (at != std::string_view::npos)
            return std::string(value.substr(0, at)) + "Signature=<redacted>";
        return "<redacted>";
    }
    // Proxy-Authorization too: its Basic value is the proxy's password in base64.
    if (contains(name, "token") || contains(name, "secret") || contains(name, "cookie") || contains(name, "authorization"))
        return "<redacted>";
    return std::string(value);
}

/// A target as a log may show it: a presigned URL's X-Amz-Signature and
/// X-Amz-Security-Token are redacted.
inline std::string loggable_target(std::string_view target)
{
    auto const query = target.find('?');
    if (query == std::string_view::npos)
        return std::string(target);
    std::string out(target.substr(0, query + 1));
    std::size_t start = query + 1;
    while (start <= target.size()) {
        auto const end = std::min(target.find('&', start), target.size());
        auto const part = target.substr(start, end - start);
        auto const name = part.substr(0, part.find('='));
        bool const secret = detail::iequals(name, "X-Amz-Signature") || detail::iequals(name, "X-Amz-Security-Token");
        out += secret ? std::string(name) + "=<redacted>" : std::string(part);
        if (end == target.size())
            break;
        out += '&';
        start = end + 1;
    }
    return out;
}

/// "> METHOD target HTTP/1.1" and "> Name: value" lines, redacted; the body's size, not
/// the body (a task input may be private).
inline std::string to_loggable_text(http_request const& request)
{
    std::string out = "> " + std::string(to_string(request.method)) + " " + loggable_target(request.target) + " HTTP/1.1\n";
    for (auto const& f : request.fields)
        out.append("> ").append(f.name).append(": ").append(loggable_field_value(f.name, f.value)).append("\n");
    if (!request.body.empty())
        out += "> (" + std::to_string(request.body.size()) + " bytes of body)\n";
    return out;
}

/// "< HTTP/1.1 status" and "< Name: value" lines, redacted.
inline std::string to_loggable_text(http_response const& response)
{
    std::string out = "< HTTP/1.1 " + std::to_string(response.status) + "\n";
    for (auto const& f : response.fields)
        out.append("< ").append(f.name).append(": ").append(loggable_field_value(f.name, f.value)).append("\n");
    return out;
}

}  // namespace mturk::crowd

#endif
