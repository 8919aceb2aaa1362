// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_SIGV4_CANONICAL_HPP
#define MTURK_CROWD_SIGV4_CANONICAL_HPP

#include <mturk/crowd/detail/small_vector.hpp>
#include <mturk/crowd/http_message.hpp>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

/* The parts of the SigV4 canonical request (Specification: AWS General Reference,
   "Create a canonical request for Signature Version 4"), written to a sink with
   `put(char)` and `write(std::string_view)`. The same code feeds SHA-256 when signing
   and a string when a caller asks to see the canonical request, so the two can never
   differ. */
namespace mturk::crowd::sigv4 {
namespace detail {

constexpr bool is_unreserved(unsigned char c) noexcept
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

constexpr bool is_space(char c) noexcept
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/// Percent-encodes every byte but the unreserved ones (and '/' when `keep_slash`),
/// with upper-case hex digits, as SigV4 requires.
template <class Sink>
void uri_encode(Sink& out, std::string_view text, bool keep_slash)
{
    constexpr char hex[] = "0123456789ABCDEF";
    std::size_t i = 0;
    while (i < text.size()) {
        // Runs of characters that stay as they are are written at once.
        std::size_t run = i;
        while (run < text.size() && (is_unreserved(static_cast<unsigned char>(text[run])) ||
                                     (keep_slash && text[run] == '/')))
            ++run;
        if (run != i) {
            out.write(text.substr(i, run - i));
            i = run;
            continue;
        }
        auto const c = static_cast<unsigned char>(text[i++]);
        char const escaped[3] = {'%', hex[c >> 4], hex[c & 0x0f]};
        out.write({escaped, 3});
    }
}

/// True when normalizing would change `path`: an empty, "." or ".." segment, or no
/// leading '/'. The API's own paths have none, so they skip the segment split.
constexpr bool needs_normalizing(std::string_view path) noexcept
{
    if (path.empty() || path.front() != '/')
        return true;
    std::size_t start = 1;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos)
            end = path.size();
        std::string_view const segment = path.substr(start, end - start);
        bool const last = end == path.size();
        if ((segment.empty() && !last) || segment == "." || segment == "..")
            return true;
        start = end + 1;
    }
    return false;
}

/// Appends to a std::string; the sink for results that are kept.
struct string_sink {
    std::string& out;
    void put(char c) { out.push_back(c); }
    void write(std::string_view s) { out.append(s); }
};

/// The path part of an origin-form target.
constexpr std::string_view target_path(std::string_view target) noexcept
{
    return target.substr(0, target.find('?'));
}

constexpr std::string_view target_query(std::string_view target) noexcept
{
    auto const q = target.find('?');
    return q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
}

}  // namespace detail

/** Writes the canonical URI of `path`: with `normalize`, without "." and ".." segments
    and empty segments (a trailing slash is kept); then percent-encoded with '/' kept.
    The path is encoded as it is given, so an already percent-encoded path is encoded
    again, which is the SigV4 rule for every service but S3. */
template <class Sink>
void write_canonical_uri(Sink& out, std::string_view path, bool normalize)
{
    if (path.empty()) {
        out.put('/');
        return;
    }
    if (!normalize || !detail::needs_normalizing(path)) {
        detail::uri_encode(out, path, true);
        return;
    }
    crowd::detail::small_vector<std::string_view, 32> segments;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos)
            end = path.size();
        std::string_view const segment = path.substr(start, end - start);
        if (segment == "..") {
            if (!segments.empty())
                segments.pop_back();
        } else if (!segment.empty() && segment != ".") {
            segments.push_back(segment);
        }
        start = end + 1;
    }
    out.put('/');
    for (std::size_t i = 0; i != segments.size(); ++i) {
        if (i != 0)
            out.put('/');
        detail::uri_encode(out, segments[i], false);
    }
    if (!segments.empty() && path.back() == '/')
        out.put('/');
}

namespace detail {

inline int hex_value(char c) noexcept
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/// Decodes %XX escapes; a '%' not followed by two hex digits stays as it is.
inline std::string percent_decode(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        int hi = 0;
        int lo = 0;
        if (text[i] == '%' && i + 2 < text.size() && (hi = hex_value(text[i + 1])) >= 0 &&
            (lo = hex_value(text[i + 2])) >= 0) {
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

inline std::string encoded(std::string_view raw)
{
    std::string out;
    string_sink sink{out};
    uri_encode(sink, raw, false);
    return out;
}

}  // namespace detail

/// One query parameter, already in canonical (strictly percent-encoded) form.
struct query_parameter {
    std::string key;
    std::string value;
};

/// The parameters of `query` ("a=1&b=2"), each decoded and encoded again strictly; a
/// parameter without '=' has an empty value. Order is kept.
inline std::vector<query_parameter> parse_query(std::string_view query)
{
    std::vector<query_parameter> params;
    std::size_t start = 0;
    while (start <= query.size() && !query.empty()) {
        std::size_t end = query.find('&', start);
        if (end == std::string_view::npos)
            end = query.size();
        std::string_view const piece = query.substr(start, end - start);
        if (!piece.empty()) {
            auto const eq = piece.find('=');
            std::string_view const key = piece.substr(0, eq);
            std::string_view const value = eq == std::string_view::npos ? std::string_view{} : piece.substr(eq + 1);
            params.push_back({detail::encoded(detail::percent_decode(key)), detail::encoded(detail::percent_decode(value))});
        }
        start = end + 1;
    }
    return params;
}

/// Writes the canonical query string: parameters sorted by key, then value, joined with '&'.
template <class Sink>
void write_canonical_query(Sink& out, std::vector<query_parameter> params)
{
    std::sort(params.begin(), params.end(), [](query_parameter const& a, query_parameter const& b) {
        return a.key != b.key ? a.key < b.key : a.value < b.value;
    });
    for (std::size_t i = 0; i != params.size(); ++i) {
        if (i != 0)
            out.put('&');
        out.write(params[i].key);
        out.put('=');
        out.write(params[i].value);
    }
}

/// A header that takes part in the signature.
struct header_ref {
    std::string_view name;
    std::string_view value;
};

namespace detail {

inline bool less_lowercase(std::string_view a, std::string_view b) noexcept
{
    std::size_t const n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i != n; ++i) {
        char const x = crowd::detail::ascii_lower(a[i]);
        char const y = crowd::detail::ascii_lower(b[i]);
        if (x != y)
            return static_cast<unsigned char>(x) < static_cast<unsigned char>(y);
    }
    return a.size() < b.size();
}

template <class Sink>
void write_lowercase(Sink& out, std::string_view name)
{
    for (char c : name)
        out.put(crowd::detail::ascii_lower(c));
}

/// A value trimmed at both ends, with every run of white space (a folded multi-line
/// value's newlines included) written as one space.
template <class Sink>
void write_folded_value(Sink& out, std::string_view value)
{
    std::size_t b = 0;
    std::size_t e = value.size();
    while (b < e && is_space(value[b]))
        ++b;
    while (e > b && is_space(value[e - 1]))
        --e;
    std::size_t i = b;
    while (i != e) {
        std::size_t word = i;
        while (word != e && !is_space(value[word]))
            ++word;
        out.write(value.substr(i, word - i));
        if (word == e)
            break;
        out.put(' ');
        i = word;
        while (is_space(value[i]))  // the value ends with a non-space, so this stops before e
            ++i;
    }
}

}  // namespace detail

/// Sorts headers by lower-cased name, by byte value; stable, so that the values of a
/// repeated name keep their order. Insertion sort: a request has few headers, and
/// std::stable_sort may allocate.
template <class Range>
void sort_headers(Range& headers) noexcept
{
    auto* first = headers.begin();
    auto* last = headers.end();
    for (auto* i = first; i != last; ++i) {
        header_ref const h = *i;
        auto* j = i;
        while (j != first && detail::less_lowercase(h.name, (j - 1)->name)) {
            *j = *(j - 1);
            --j;
        }
        *j = h;
    }
}

/// Writes "name:value\n" per distinct name of sorted headers, values of a repeated
/// name joined with ','.
template <class Sink, class Range>
void write_canonical_headers(Sink& out, Range const& sorted)
{
    auto const* h = sorted.begin();
    auto const* const end = sorted.end();
    while (h != end) {
        detail::write_lowercase(out, h->name);
        out.put(':');
        detail::write_folded_value(out, h->value);
        auto const* next = h + 1;
        while (next != end && crowd::detail::iequals(next->name, h->name)) {
            out.put(',');
            detail::write_folded_value(out, next->value);
            ++next;
        }
        out.put('\n');
        h = next;
    }
}

/// Writes the signed-headers list: the distinct lower-cased names of sorted headers, ';'-joined.
template <class Sink, class Range>
void write_signed_headers(Sink& out, Range const& sorted)
{
    std::string_view previous;
    bool first = true;
    for (auto const& h : sorted) {
        if (!first && crowd::detail::iequals(h.name, previous))
            continue;
        if (!first)
            out.put(';');
        detail::write_lowercase(out, h.name);
        previous = h.name;
        first = false;
    }
}

}  // namespace mturk::crowd::sigv4

#endif
