// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_PROXY_HPP
#define MTURK_CROWD_PROXY_HPP

#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/endpoint.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/settings/profile_file.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

/* Which HTTP proxy a connection goes through, by the rules curl and the AWS SDKs follow:
   `https_proxy` / `HTTPS_PROXY` for https endpoints, `http_proxy` / `HTTP_PROXY` for
   http ones, unless `no_proxy` / `NO_PROXY` names the host. Deciding is pure; the Beast
   transport opens the tunnel (HTTP CONNECT) or sends the request in absolute form. */
namespace mturk::crowd {

/// A proxy given in code (`beast_options::proxy`), instead of the environment.
struct proxy_settings {
    /// "http://[user[:password]@]host[:port]" (port 1080 when absent, as curl). Empty: no
    /// proxy, whatever the environment says.
    std::string url;
    /// The hosts that bypass it, in NO_PROXY's syntax (below).
    std::string no_proxy{};
};

/// The proxy of one connection.
struct resolved_proxy {
    endpoint where;             ///< the proxy itself (plain HTTP)
    std::string authorization;  ///< "Basic ..." for Proxy-Authorization, or empty
    std::string url_for_logs;   ///< the URL with its password replaced by "<redacted>"
};

/** Whether `host` (and `port`) is in a NO_PROXY list, as curl reads one: entries separated
    by commas or blanks; `*` alone matches every host; an entry matches the host itself and
    every name under it (a leading '.' is ignored: ".example.com" and "example.com" are the
    same); "host:port" matches that port only; an IP address matches itself, and
    "10.0.0.0/8" or "fd00::/8" a network. Names compare without regard to case. */
MTURK_CROWD_DECL bool no_proxy_matches(std::string_view list, std::string_view host, std::uint16_t port);

/** The proxy for a connection to `target`: `configured` when given (an empty URL: none),
    else the environment (`https_proxy`, `HTTPS_PROXY` for https; `http_proxy`,
    `HTTP_PROXY` for http; `no_proxy`, `NO_PROXY`), nothing when the host is exempted.
    Errors: `errc::invalid_configuration` naming the variable, for a URL that cannot be
    used (an https:// proxy, a path, a bad port). */
MTURK_CROWD_DECL result<std::optional<resolved_proxy>> proxy_for(endpoint const& target,
                                                                 std::optional<proxy_settings> const& configured,
                                                                 environment const& env);

}  // namespace mturk::crowd

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/impl/proxy.ipp>
#endif

#endif
