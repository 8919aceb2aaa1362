// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_IMPL_ENDPOINT_IPP
#define MTURK_CROWD_IMPL_ENDPOINT_IPP

#include <mturk/crowd/endpoint.hpp>

namespace mturk::crowd {

MTURK_CROWD_DECL result<endpoint> parse_endpoint(std::string_view url)
{
    auto fail = [&](std::string const& why) {
        return error(errc::invalid_configuration, "endpoint \"" + std::string(url) + "\": " + why);
    };
    endpoint out;
    std::string_view rest = url;
    if (rest.starts_with("https://")) {
        rest.remove_prefix(8);
    } else if (rest.starts_with("http://")) {
        out.secure = false;
        out.port = 80;
        rest.remove_prefix(7);
    } else {
        return fail("must start with https:// or http://");
    }
    auto const slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    if (path.find_first_of("?#") != std::string_view::npos)
        return fail("must not have a query or a fragment");
    if (authority.find('@') != std::string_view::npos)
        return fail("must not carry user information");
    std::string_view port_text;
    if (authority.starts_with("[")) {
        auto const close = authority.find(']');
        if (close == std::string_view::npos)
            return fail("an IPv6 address needs its closing ']'");
        out.host = std::string(authority.substr(1, close - 1));
        std::string_view after = authority.substr(close + 1);
        if (!after.empty() && after.front() != ':')
            return fail("unexpected text after the IPv6 address");
        port_text = after.empty() ? std::string_view{} : after.substr(1);
        if (!after.empty() && port_text.empty())
            return fail("the port is empty");
    } else {
        auto const colon = authority.find(':');
        out.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) {
            port_text = authority.substr(colon + 1);
            if (port_text.empty())
                return fail("the port is empty");
        }
    }
    if (out.host.empty())
        return fail("has no host");
    // A DNS name or IPv4 address (letters, digits, '.', '-', '_', '~'), or inside brackets
    // an IPv6 address (hex digits, ':', '.'): what `url()` writes back as the same host
    // ('[' in a name made a URL that did not read back: found by fuzzing).
    bool const bracketed = authority.starts_with("[");
    for (char c : out.host) {
        bool const alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        bool const ok = bracketed ? (alnum && (c <= '9' || (c | 0x20) <= 'f')) || c == ':' || c == '.'
                                  : alnum || c == '.' || c == '-' || c == '_' || c == '~';
        if (!ok)
            return fail("the host has a character that hosts cannot have");
    }
    if (bracketed && out.host.find(':') == std::string::npos)
        return fail("the address in brackets is not an IPv6 address");
    // The path goes into every request line: only what a URL path may hold (RFC 3986:
    // unreserved, sub-delims, ':', '@', '/', and %XX), never a space or a control character.
    for (std::size_t i = 0; i != path.size(); ++i) {
        char const c = path[i];
        bool const alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        auto const hex = [](char h) { return (h >= '0' && h <= '9') || ((h | 0x20) >= 'a' && (h | 0x20) <= 'f'); };
        if (c == '%') {
            if (i + 2 >= path.size() || !hex(path[i + 1]) || !hex(path[i + 2]))
                return fail("the path has a % that is not followed by two hex digits");
            i += 2;
            continue;
        }
        if (!alnum && std::string_view("-._~!$&'()*+,;=:@/").find(c) == std::string_view::npos)
            return fail("the path has a character that URL paths cannot have (a space, a control character, "
                        "or one of \"<>\\^`{|})");
    }
    if (!port_text.empty()) {
        unsigned long port = 0;
        for (char c : port_text) {
            if (c < '0' || c > '9' || port > 65535)
                return fail("the port is not a number from 1 to 65535");
            port = port * 10 + static_cast<unsigned long>(c - '0');
        }
        if (port == 0 || port > 65535)
            return fail("the port is not a number from 1 to 65535");
        out.port = static_cast<std::uint16_t>(port);
    }
    while (!path.empty() && path.back() == '/')
        path.remove_suffix(1);
    out.base_path = std::string(path);
    return out;
}

MTURK_CROWD_DECL result<endpoint> resolve_endpoint(std::string_view configured, std::string_view region,
                                         std::function<std::optional<std::string>(std::string_view)> const& env)
{
    if (!configured.empty())
        return parse_endpoint(configured);
    for (auto name : {"AWS_ENDPOINT_URL_CROWD", "AWS_ENDPOINT_URL"}) {
        if (auto v = env(name); v && !v->empty()) {
            auto parsed = parse_endpoint(*v);
            if (!parsed)
                return error(errc::invalid_configuration, std::string(name) + ": " + std::string(parsed.error().detail()));
            return parsed;
        }
    }
    if (region.empty())
        return error(errc::invalid_configuration, "the region is empty");
    for (char c : region)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return error(errc::invalid_configuration, "region \"" + std::string(region) + "\" is not like us-east-1");
    return parse_endpoint("https://crowd." + std::string(region) + ".amazonaws.com");
}

}  // namespace

#endif
