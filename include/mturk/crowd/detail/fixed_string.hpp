// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_DETAIL_FIXED_STRING_HPP
#define MTURK_CROWD_DETAIL_FIXED_STRING_HPP

#include <cstddef>
#include <string_view>

namespace mturk::crowd::detail {

/// A string of exactly `N` characters held by value, usable as a template argument.
/// It carries names (function names) in types; it validates nothing itself.
template <std::size_t N>
struct fixed_string {
    char chars[N + 1] = {};  // NUL-terminated so that data() is a C string

    constexpr fixed_string() = default;
    consteval fixed_string(char const (&literal)[N + 1]) noexcept  // NOLINT: implicit on purpose
    {
        for (std::size_t i = 0; i != N; ++i)
            chars[i] = literal[i];
    }

    static constexpr std::size_t size() noexcept { return N; }
    constexpr char const* data() const noexcept { return chars; }
    constexpr std::string_view view() const noexcept { return {chars, N}; }

    template <std::size_t M>
    consteval fixed_string<N + M> operator+(fixed_string<M> const& rhs) const noexcept
    {
        fixed_string<N + M> out;
        for (std::size_t i = 0; i != N; ++i)
            out.chars[i] = chars[i];
        for (std::size_t i = 0; i != M; ++i)
            out.chars[N + i] = rhs.chars[i];
        return out;
    }

    friend constexpr bool operator==(fixed_string const&, fixed_string const&) = default;
};

template <std::size_t M>
fixed_string(char const (&)[M]) -> fixed_string<M - 1>;

/// True when `text` ends with `suffix`; constexpr, unlike some standard libraries' ends_with in C++20 mode.
constexpr bool ends_with(std::string_view text, std::string_view suffix) noexcept
{
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace mturk::crowd::detail

#endif
