// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_DETAIL_JSON_TEXT_HPP
#define MTURK_CROWD_DETAIL_JSON_TEXT_HPP

#include <string>
#include <string_view>

// A JSON string written by hand, for the few documents the library writes without
// building a Boost.JSON value (log lines, a token cache): quotes, backslashes and control
// characters escaped, UTF-8 passed as it is.
namespace mturk::crowd::detail {

inline void append_json_string(std::string& out, std::string_view text)
{
    constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (char c : text) {
        auto const u = static_cast<unsigned char>(c);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (u < 0x20 || u == 0x7f) {
                out += "\\u00";
                out += hex[u >> 4];
                out += hex[u & 0xF];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

}  // namespace mturk::crowd::detail

#endif
