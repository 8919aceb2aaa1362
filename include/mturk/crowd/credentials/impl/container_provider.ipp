// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_IMPL_CONTAINER_PROVIDER_IPP
#define MTURK_CROWD_CREDENTIALS_IMPL_CONTAINER_PROVIDER_IPP

#include <mturk/crowd/credentials/container_provider.hpp>
#include <mturk/crowd/credentials/credentials_json.hpp>

#include <fstream>
#include <iterator>

namespace mturk::crowd {

MTURK_CROWD_DECL auto container_credentials_provider::endpoint_url() const -> result<std::string>
{
    if (auto relative = context_.env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); relative && !relative->empty()) {
        if (relative->front() != '/')
            return error(errc::invalid_configuration,
                         "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI \"" + *relative + "\" does not start with '/'");
        return "http://169.254.170.2" + *relative;
    }
    auto full = context_.env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (!full || full->empty())
        return error(errc::credentials_not_found,
                     "no container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are not set");
    auto split = detail::split_url(*full, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (!split)
        return split.error();
    if (split->where.secure)
        return *full;
    // Plain HTTP only where nobody else can listen: this host, or the platform's
    // link-local agents.
    std::string const& host = split->where.host;
    bool allowed = host == "localhost" || host == "169.254.170.2" || host == "169.254.170.23" ||
                   host == "fd00:ec2::23" || host == "::1" || host == "0:0:0:0:0:0:0:1";
    if (!allowed && host.starts_with("127.")) {
        // Any 127.0.0.0/8 address, written as four decimal numbers.
        int parts = 0;
        bool digits_only = true;
        for (std::size_t i = 0, start = 0; i <= host.size(); ++i) {
            if (i == host.size() || host[i] == '.') {
                digits_only = digits_only && i > start && i - start <= 3 && std::stoi(host.substr(start, i - start)) < 256;
                ++parts;
                start = i + 1;
            } else if (host[i] < '0' || host[i] > '9') {
                digits_only = false;
            }
        }
        allowed = digits_only && parts == 4;
    }
    if (!allowed)
        return error(errc::invalid_configuration,
                     "AWS_CONTAINER_CREDENTIALS_FULL_URI \"" + *full +
                         "\": plain http is allowed only to loopback, 169.254.170.2, 169.254.170.23 or fd00:ec2::23; "
                         "use https for other hosts");
    return *full;
}

MTURK_CROWD_DECL auto container_credentials_provider::get() const -> result<sigv4::credentials>
{
    auto url = endpoint_url();
    if (!url)
        return url.error();
    auto split = detail::split_url(*url, "the container credentials URI");
    if (!split)
        return split.error();
    if (!context_.fetch)
        return error(errc::credentials_not_found,
                     "container credentials were not asked: no HTTP client was given (network_context::fetch)");
    fetch_request request{split->where, {}, options_.timeout};
    request.message.method = http_method::get;
    request.message.target = split->target;
    request.message.fields.add("Host", split->where.host_header());
    request.message.fields.add("Accept", "application/json");
    std::string token;
    if (auto file = context_.env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"); file && !file->empty()) {
        std::ifstream in(*file, std::ios::binary);
        if (!in)
            return error(errc::invalid_configuration,
                         "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + *file + " cannot be read (No such file or directory?)");
        token.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        while (!token.empty() && (token.back() == '\n' || token.back() == '\r'))
            token.pop_back();
    } else if (auto value = context_.env("AWS_CONTAINER_AUTHORIZATION_TOKEN"); value) {
        token = *value;
    }
    if (token.find_first_of("\r\n") != std::string::npos)
        return error(errc::invalid_configuration, "the container authorization token has a line break");
    if (!token.empty())
        request.message.fields.add("Authorization", token);

    auto const answer = detail::fetch_with_retries(context_, request, options_.max_attempts, true);
    if (!answer)
        return error(errc::credentials_service_failed,
                     "the container credentials endpoint " + *url + " cannot be reached: " + answer.error().what());
    if (answer->status >= 500 || answer->status == 429)
        return error(errc::credentials_service_failed, "the container credentials endpoint " + *url + " answered " +
                                                           std::to_string(answer->status));
    if (answer->status != 200)
        return error(errc::credentials_refused, "the container credentials endpoint " + *url + " answered " +
                                                    std::to_string(answer->status) +
                                                    (token.empty() ? " (no authorization token was set)" : ""));
    return detail::read_credentials_json(answer->body, "the container credentials endpoint " + *url);
}

}  // namespace mturk::crowd

#endif
