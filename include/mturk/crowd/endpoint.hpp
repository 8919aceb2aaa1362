// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_ENDPOINT_HPP
#define MTURK_CROWD_ENDPOINT_HPP

#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/error.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace mturk::crowd {

/// Where the service is: `https://crowd.us-east-1.amazonaws.com`, or a local emulator.
struct endpoint {
    bool secure = true;       ///< https
    std::string host;         ///< a DNS name or an IP address (IPv6 without brackets)
    std::uint16_t port = 443;
    std::string base_path;    ///< prefix of every path, without a trailing '/'; usually empty

    /// The Host header: the port only when it is not the scheme's default.
    std::string host_header() const
    {
        std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
        if (port != (secure ? 443 : 80))
            out += ":" + std::to_string(port);
        return out;
    }

    std::string url() const { return (secure ? "https://" : "http://") + host_header() + base_path; }
};

/// Reads `http[s]://host[:port][/path]`. Errors: `errc::invalid_configuration` saying what is wrong.
MTURK_CROWD_DECL result<endpoint> parse_endpoint(std::string_view url);

/** The endpoint a client uses: the one given in code, else `AWS_ENDPOINT_URL_CROWD`,
    else `AWS_ENDPOINT_URL`, else `https://crowd.<region>.amazonaws.com` (the AWS SDKs'
    service-specific endpoint variables; `crowd` is the service's signing name). */
MTURK_CROWD_DECL result<endpoint> resolve_endpoint(std::string_view configured, std::string_view region,
                                         std::function<std::optional<std::string>(std::string_view)> const& env);

}  // namespace mturk::crowd

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/impl/endpoint.ipp>
#endif

#endif
