// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_DETAIL_UTF8_HPP
#define MTURK_CROWD_DETAIL_UTF8_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mturk::crowd::detail {

/// The number of code points in `text`, or nullopt when it is not valid UTF-8 (overlong
/// forms, surrogates and values past U+10FFFF included). The documented limits count
/// characters, and a code point is the reading a person gives that word.
constexpr std::optional<std::size_t> utf8_length(std::string_view text) noexcept
{
    std::size_t count = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        auto const b = static_cast<unsigned char>(text[i]);
        std::size_t extra = 0;
        char32_t cp = 0;
        if (b < 0x80) {
            cp = b;
        } else if ((b & 0xE0) == 0xC0) {
            extra = 1;
            cp = b & 0x1F;
        } else if ((b & 0xF0) == 0xE0) {
            extra = 2;
            cp = b & 0x0F;
        } else if ((b & 0xF8) == 0xF0) {
            extra = 3;
            cp = b & 0x07;
        } else {
            return std::nullopt;
        }
        if (i + extra >= text.size())  // a sequence cut off by the end of the text
            return std::nullopt;
        for (std::size_t k = 1; k <= extra; ++k) {
            auto const c = static_cast<unsigned char>(text[i + k]);
            if ((c & 0xC0) != 0x80)
                return std::nullopt;
            cp = (cp << 6) | (c & 0x3F);
        }
        constexpr char32_t smallest[] = {0, 0x80, 0x800, 0x10000};
        if (cp < smallest[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return std::nullopt;
        i += extra + 1;
        ++count;
    }
    return count;
}

/// The byte offset of the code point at index `n` (the end when `n` is past it). `text`
/// must be valid UTF-8.
constexpr std::size_t utf8_offset(std::string_view text, std::size_t n) noexcept
{
    std::size_t i = 0;
    while (i < text.size() && n > 0) {
        ++i;
        while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80)
            ++i;
        --n;
    }
    return i;
}

/// Appends `byte` as two lower-case hex digits: how the library writes a byte it cannot
/// show (`\xNN` in a quoted name, `0xNN` in a message) and a digest's hex name.
inline void append_hex(std::string& out, unsigned char byte)
{
    constexpr char digits[] = "0123456789abcdef";
    out += digits[byte >> 4];
    out += digits[byte & 0x0f];
}

}  // namespace mturk::crowd::detail

#endif
