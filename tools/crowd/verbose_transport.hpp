// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// A transport of one's own (the client's Transport parameter): the Beast transport, with
// every request and response line on stderr for --verbose, secrets redacted.
#ifndef MTURK_CROWD_EXAMPLES_CROWD_VERBOSE_TRANSPORT_HPP
#define MTURK_CROWD_EXAMPLES_CROWD_VERBOSE_TRANSPORT_HPP

#include <mturk/crowd/log_redaction.hpp>
#include <mturk/crowd/transport/beast.hpp>

#include <cstdio>
#include <string>
#include <utility>

namespace crowd_cli {

namespace crowd = mturk::crowd;

/// The Beast transport, and for --verbose each exchange on stderr as the library logs it.
class verbose_transport {
public:
    verbose_transport(crowd::transport::beast_transport inner, bool verbose)
        : inner_(std::move(inner)), verbose_(verbose)
    {
    }

    crowd::result<crowd::http_response> send(crowd::http_request const& request)
    {
        if (verbose_)
            std::fputs(crowd::to_loggable_text(request).c_str(), stderr);
        auto response = inner_.send(request);
        if (verbose_) {
            std::string const text =
                response ? crowd::to_loggable_text(*response) : "< no response: " + response.error().what() + "\n";
            std::fputs(text.c_str(), stderr);
        }
        return response;
    }

private:
    crowd::transport::beast_transport inner_;
    bool verbose_;
};

}  // namespace crowd_cli

#endif
