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

constexpr char const* sign_help = R"(usage: crowd sign --context FILE --request FILE [--print WHAT] [--query]

Signs a request with AWS Signature Version 4 and prints the result, to compare with
what a service expects when it answers "signature does not match".

  --context FILE   the signing inputs as JSON: credentials (access_key_id,
                   secret_access_key, optional token), region, service, timestamp
                   (YYYY-MM-DDTHH:MM:SSZ), optional normalize, sign_body,
                   omit_session_token, expiration_in_seconds
  --request FILE   the request: "METHOD target HTTP/1.1", then Name:value lines,
                   an empty line and the body (the AWS test suites' layout)
  --print WHAT     canonical-request, string-to-sign, signature, or
                   signed-request (the default)
  --query          presign (signature in the query string, expiring after the
                   context's expiration_in_seconds, default 3600) instead of
                   signing with headers

The output is exact: no newline is added. The secret never appears in it.
)";

inline int sign_command(std::vector<std::string_view> const& args)
{
    std::string context_path;
    std::string request_path;
    std::string_view what = "signed-request";
    bool query = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view const arg = args[i];
        auto value = [&]() -> std::optional<std::string_view> {
            if (i + 1 >= args.size())
                return std::nullopt;
            return args[++i];
        };
        if (arg == "--help" || arg == "-h") {
            std::fputs(sign_help, stdout);
            return exit_ok;
        } else if (arg == "--context" || arg == "--request" || arg == "--print") {
            auto v = value();
            if (!v)
                return fail(exit_usage, "sign: " + std::string(arg) + " needs a value (see crowd sign --help)");
            if (arg == "--context")
                context_path = *v;
            else if (arg == "--request")
                request_path = *v;
            else
                what = *v;
        } else if (arg == "--query") {
            query = true;
        } else {
            return fail(exit_usage, "sign: unknown argument \"" + std::string(arg) + "\" (see crowd sign --help)");
        }
    }
    if (context_path.empty() || request_path.empty())
        return fail(exit_usage, "sign: --context and --request are required (see crowd sign --help)");
    if (what != "canonical-request" && what != "string-to-sign" && what != "signature" && what != "signed-request")
        return fail(exit_usage, "sign: --print takes canonical-request, string-to-sign, signature or signed-request, not \"" +
                                    std::string(what) + "\"");

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
