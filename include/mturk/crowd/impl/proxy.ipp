// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_IMPL_PROXY_IPP
#define MTURK_CROWD_IMPL_PROXY_IPP

#include <mturk/crowd/http_message.hpp>  // detail::iequals
#include <mturk/crowd/proxy.hpp>

#include <arpa/inet.h>

#include <array>
#include <cstring>

namespace mturk::crowd {
namespace detail {

// An IPv4 or IPv6 address as 16 bytes (IPv4 in the first 4) and its bit length.
struct ip_bytes {
    std::array<unsigned char, 16> bytes{};
    int bits = 0;
};

inline std::optional<ip_bytes> parse_ip(std::string_view text)
{
    if (text.empty() || text.size() > 45)  // an empty view may have no data at all (memcpy from null)
        return std::nullopt;
    char buffer[46] = {};
    std::memcpy(buffer, text.data(), text.size());
    ip_bytes out;
    if (::inet_pton(AF_INET, buffer, out.bytes.data()) == 1) {
        out.bits = 32;
        return out;
    }
    if (::inet_pton(AF_INET6, buffer, out.bytes.data()) == 1) {
        out.bits = 128;
        return out;
    }
    return std::nullopt;
}

inline bool in_network(ip_bytes const& address, ip_bytes const& network, int prefix)
{
    if (address.bits != network.bits || prefix < 0 || prefix > network.bits)
        return false;
    for (int bit = 0; bit < prefix; ++bit) {
        int const mask = 0x80 >> (bit % 8);
        if ((address.bytes[static_cast<std::size_t>(bit / 8)] & mask) != (network.bytes[static_cast<std::size_t>(bit / 8)] & mask))
            return false;
    }
    return true;
}

inline bool one_entry_matches(std::string_view entry, std::string_view host, std::uint16_t port)
{
    // "host:port", "[v6]:port", "[v6]", "v6" (more than one ':'), "net/prefix".
    std::optional<std::uint16_t> entry_port;
    if (entry.starts_with("[")) {
        auto const close = entry.find(']');
        if (close == std::string_view::npos)
            return false;
        std::string_view const after = entry.substr(close + 1);
        if (after.starts_with(":")) {
            unsigned long p = 0;
            for (char c : after.substr(1))
                p = (c >= '0' && c <= '9' && p < 65536) ? p * 10 + static_cast<unsigned long>(c - '0') : 70000;
            if (p > 65535)
                return false;
            entry_port = static_cast<std::uint16_t>(p);
        }
        entry = entry.substr(1, close - 1);
    } else if (auto const colon = entry.rfind(':'); colon != std::string_view::npos && entry.find(':') == colon) {
        unsigned long p = 0;
        for (char c : entry.substr(colon + 1))
            p = (c >= '0' && c <= '9' && p < 65536) ? p * 10 + static_cast<unsigned long>(c - '0') : 70000;
        if (p > 65535)
            return false;
        entry_port = static_cast<std::uint16_t>(p);
        entry = entry.substr(0, colon);
    }
    if (entry_port && *entry_port != port)
        return false;
    if (auto const slash = entry.find('/'); slash != std::string_view::npos) {
        auto const network = parse_ip(entry.substr(0, slash));
        auto const address = parse_ip(host);
        int prefix = 0;
        for (char c : entry.substr(slash + 1))
            prefix = (c >= '0' && c <= '9' && prefix < 1000) ? prefix * 10 + (c - '0') : 1000;
        return network && address && in_network(*address, *network, prefix);
    }
    if (entry.starts_with("."))
        entry.remove_prefix(1);
    if (entry.empty())
        return false;
    if (iequals(host, entry))
        return true;
    // A name under the entry: "api.example.com" for "example.com"; never for addresses.
    return host.size() > entry.size() && host[host.size() - entry.size() - 1] == '.' &&
           iequals(host.substr(host.size() - entry.size()), entry) && !parse_ip(host);
}

inline char const base64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

inline std::string base64(std::string_view in)
{
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        auto const n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
        out += base64_alphabet[(n >> 18) & 63];
        out += base64_alphabet[(n >> 12) & 63];
        out += base64_alphabet[(n >> 6) & 63];
        out += base64_alphabet[n & 63];
    }
    if (i + 1 == in.size()) {
        auto const n = static_cast<unsigned char>(in[i]) << 16;
        out += base64_alphabet[(n >> 18) & 63];
        out += base64_alphabet[(n >> 12) & 63];
        out += "==";
    } else if (i + 2 == in.size()) {
        auto const n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
        out += base64_alphabet[(n >> 18) & 63];
        out += base64_alphabet[(n >> 12) & 63];
        out += base64_alphabet[(n >> 6) & 63];
        out += '=';
    }
    return out;
}

inline std::optional<std::string> percent_decode(std::string_view in)
{
    std::string out;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        if (i + 2 >= in.size())
            return std::nullopt;
        auto hex = [](char c) -> int {
            return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        };
        int const high = hex(in[i + 1]);
        int const low = hex(in[i + 2]);
        if (high < 0 || low < 0)
            return std::nullopt;
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return out;
}

inline result<resolved_proxy> parse_proxy_url(std::string_view url, std::string const& from)
{
    auto fail = [&](std::string const& why) { return error(errc::invalid_configuration, from + ": " + why); };
    std::string_view rest = url;
    if (auto const scheme = rest.find("://"); scheme != std::string_view::npos) {
        std::string_view const name = rest.substr(0, scheme);
        if (iequals(name, "https"))
            return fail("an https:// proxy (TLS to the proxy) is not supported; give its http:// URL (the tunnel "
                        "to the service is TLS all the same)");
        if (!iequals(name, "http"))
            return fail("a " + std::string(name) + ":// proxy is not supported; give an http:// URL");
        rest.remove_prefix(scheme + 3);
    }
    while (!rest.empty() && rest.back() == '/')
        rest.remove_suffix(1);
    if (rest.find_first_of("/?#") != std::string_view::npos)
        return fail("a proxy URL has no path, query or fragment");
    resolved_proxy out;
    std::string shown = "http://";
    if (auto const at = rest.rfind('@'); at != std::string_view::npos) {
        std::string_view const user_info = rest.substr(0, at);
        auto const colon = user_info.find(':');
        auto user = percent_decode(user_info.substr(0, colon));
        auto password = percent_decode(colon == std::string_view::npos ? std::string_view{} : user_info.substr(colon + 1));
        if (!user || !password)
            return fail("the user or password has a bad %-escape");
        out.authorization = "Basic " + base64(*user + ":" + *password);
        shown += std::string(user_info.substr(0, colon)) + (colon == std::string_view::npos ? "" : ":<redacted>") + "@";
        rest.remove_prefix(at + 1);
    }
    bool const has_port = rest.starts_with("[") ? rest.find("]:") != std::string_view::npos
                                                : rest.find(':') != std::string_view::npos;
    auto parsed = parse_endpoint("http://" + std::string(rest) + (has_port ? "" : ":1080"));
    if (!parsed)
        return fail(std::string(parsed.error().detail()));
    out.where = std::move(*parsed);
    out.url_for_logs = shown + out.where.host_header();
    if (out.where.port == 80)
        out.url_for_logs += ":80";
    return out;
}

}  // namespace detail

MTURK_CROWD_DECL auto no_proxy_matches(std::string_view list, std::string_view host, std::uint16_t port) -> bool
{
    while (!list.empty()) {
        auto const end = list.find_first_of(", \t");
        std::string_view const entry = list.substr(0, end);
        list = end == std::string_view::npos ? std::string_view{} : list.substr(end + 1);
        if (entry == "*")
            return true;
        if (!entry.empty() && detail::one_entry_matches(entry, host, port))
            return true;
    }
    return false;
}

MTURK_CROWD_DECL auto proxy_for(endpoint const& target, std::optional<proxy_settings> const& configured,
                                environment const& env) -> result<std::optional<resolved_proxy>>
{
    std::string url;
    std::string no_proxy;
    std::string from;
    if (configured) {
        url = configured->url;
        no_proxy = configured->no_proxy;
        from = "beast_options::proxy";
    } else {
        // Arrays, not initializer lists in a conditional: their storage would end with it.
        static constexpr char const* secure_names[] = {"https_proxy", "HTTPS_PROXY"};
        static constexpr char const* plain_names[] = {"http_proxy", "HTTP_PROXY"};
        for (char const* name : target.secure ? secure_names : plain_names) {
            if (auto v = env(name); v && !v->empty()) {
                url = *v;
                from = name;
                break;
            }
        }
        for (char const* name : {"no_proxy", "NO_PROXY"}) {
            if (auto v = env(name); v && !v->empty()) {
                no_proxy = *v;
                break;
            }
        }
    }
    if (url.empty() || no_proxy_matches(no_proxy, target.host, target.port))
        return std::optional<resolved_proxy>{};
    auto proxy = detail::parse_proxy_url(url, from);
    if (!proxy)
        return proxy.error();
    return std::optional<resolved_proxy>(std::move(*proxy));
}

}  // namespace mturk::crowd

#endif
