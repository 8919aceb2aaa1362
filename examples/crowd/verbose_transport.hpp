// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// A transport of one's own (the client's Transport parameter): the Beast transport, with
// every request and response line on stderr for --verbose, secrets redacted.
#ifndef MTURK_CROWD_EXAMPLES_CROWD_VERBOSE_TRANSPORT_HPP
#define MTURK_CROWD_EXAMPLES_CROWD_VERBOSE_TRANSPORT_HPP

#include <mturk/crowd/http_message.hpp>
#include <mturk/crowd/transport/beast.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>

namespace crowd_cli {

namespace crowd = mturk::crowd;

/** What a header's value may show in a log. The signature is redacted (with it and the
    date, anyone could replay the request for 15 minutes), and so are session tokens and
    anything named like a secret; the access key id and the signed header list stay, as
    they are what one checks when a signature does not match. */
inline std::string loggable_value(std::string_view name, std::string_view value)
{
    auto const contains = [](std::string_view text, std::string_view part) {
        for (std::size_t i = 0; i + part.size() <= text.size(); ++i)
            if (crowd::detail::iequals(text.substr(i, part.size()), part))
                return true;
        return false;
    };
    if (crowd::detail::iequals(name, "Authorization")) {
        auto const at = value.find("Signature=");
        if (at != std::string_view::npos)
            return std::string(value.substr(0, at)) + "Signature=<redacted>";
        return "<redacted>";
    }
    if (contains(name, "token") || contains(name, "secret") || contains(name, "cookie"))
        return "<redacted>";
    return std::string(value);
}

/// A presigned target carries its signature and token in the query.
inline std::string loggable_target(std::string_view target)
{
    std::string out;
    std::size_t start = 0;
    while (start < target.size()) {
        auto const end = std::min(target.find('&', start), target.size());
        auto const part = target.substr(start, end - start);
        auto const name = part.substr(0, part.find('='));
        bool const secret = name.ends_with("X-Amz-Signature") || name.ends_with("X-Amz-Security-Token");
        out += secret ? std::string(name) + "=<redacted>" : std::string(part);
        if (end < target.size())
            out += '&';
        start = end + 1;
    }
    return out;
}

class verbose_transport {
public:
    verbose_transport(crowd::transport::beast_transport inner, bool verbose)
        : inner_(std::move(inner)), verbose_(verbose)
    {
    }

    crowd::result<crowd::http_response> send(crowd::http_request const& request)
    {
        if (verbose_) {
            std::fprintf(stderr, "> %s %s HTTP/1.1\n", std::string(to_string(request.method)).c_str(),
                         loggable_target(request.target).c_str());
            for (auto const& f : request.fields)
                std::fprintf(stderr, "> %s: %s\n", f.name.c_str(), loggable_value(f.name, f.value).c_str());
            if (!request.body.empty())
                std::fprintf(stderr, "> (%zu bytes of body)\n", request.body.size());
        }
        auto response = inner_.send(request);
        if (verbose_) {
            if (!response) {
                std::fprintf(stderr, "< no response: %s\n", response.error().what().c_str());
            } else {
                std::fprintf(stderr, "< HTTP/1.1 %u\n", response->status);
                for (auto const& f : response->fields)
                    std::fprintf(stderr, "< %s: %s\n", f.name.c_str(), loggable_value(f.name, f.value).c_str());
            }
        }
        return response;
    }

private:
    crowd::transport::beast_transport inner_;
    bool verbose_;
};

}  // namespace crowd_cli

#endif
