// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// crowd sign: any stage of a SigV4 signature, byte for byte.
#ifndef MTURK_CROWD_EXAMPLES_CROWD_SIGN_COMMAND_HPP
#define MTURK_CROWD_EXAMPLES_CROWD_SIGN_COMMAND_HPP

#include "cli_support.hpp"

#include <mturk/crowd/http_text.hpp>
#include <mturk/crowd/sigv4/signer.hpp>
#include <mturk/crowd/sigv4/signing_context.hpp>

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crowd_cli {

namespace sigv4 = mturk::crowd::sigv4;

inline void write_exactly(std::string_view bytes)
{
    std::fwrite(bytes.data(), 1, bytes.size(), stdout);
}

constexpr char const* sign_help = R"(Signs a request with AWS Signature Version 4 and prints the result, to compare with
what a service expects when it answers "signature does not match".

The output is exact: no newline is added. The secret never appears in it.
)";

/// What `crowd sign` was asked (command_line.hpp names the options).
struct sign_arguments {
    std::string context_path;
    std::string request_path;
    std::string what = "signed-request";
    bool query = false;
};

inline int sign_command(sign_arguments const& a)
{
    auto const& context_path = a.context_path;
    auto const& request_path = a.request_path;
    std::string_view const what = a.what;
    bool const query = a.query;
    if (context_path.empty() || request_path.empty())
        return fail(exit_usage, "sign: --context and --request are required (see crowd sign --help)");
    // --print's value is one of command_line.hpp's sign_stages: the command line checked it.

    auto const context_text = read_file(context_path);
    if (!context_text)
        return fail(exit_usage, "sign: cannot read the context file " + context_path);
    auto const context = sigv4::parse_signing_context(*context_text);
    if (!context)
        return fail(exit_usage, "sign: " + context_path + ": " + context.error().what());
    auto const request_text = read_file(request_path);
    if (!request_text)
        return fail(exit_usage, "sign: cannot read the request file " + request_path);
    auto request = crowd::parse_http_text(*request_text);
    if (!request)
        return fail(exit_usage, "sign: " + request_path + ": " + request.error().what());

    sigv4::signer signer;
    sigv4::signature_details details;
    auto const signed_ok =
        query ? signer.presign(*request, context->credentials, context->params(),
                               context->expiration.value_or(std::chrono::seconds(3600)), &details)
              : signer.sign(*request, context->credentials, context->params(), &details);
    if (!signed_ok)
        return fail(exit_usage, "sign: " + signed_ok.error().what());

    if (what == "canonical-request")
        write_exactly(details.canonical_request);
    else if (what == "string-to-sign")
        write_exactly(details.string_to_sign);
    else if (what == "signature")
        write_exactly(details.signature);
    else
        write_exactly(crowd::to_http_text(*request));
    return exit_ok;
}

}  // namespace crowd_cli

#endif
