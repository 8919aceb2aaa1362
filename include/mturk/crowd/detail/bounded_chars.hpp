// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_DETAIL_BOUNDED_CHARS_HPP
#define MTURK_CROWD_DETAIL_BOUNDED_CHARS_HPP

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mturk::crowd::detail {

/// Up to `Capacity` characters stored in place: the storage shared by `task_name` and
/// `account_id`, which differ only in what they accept. Never allocates.
template <std::size_t Capacity>
class bounded_chars {
    static_assert(Capacity <= 255, "the length is kept in one byte");

public:
    constexpr bounded_chars() = default;

    /// Copies `text`; the caller has checked that it fits.
    constexpr explicit bounded_chars(std::string_view text) noexcept : size_(static_cast<std::uint8_t>(text.size()))
    {
        for (std::size_t i = 0; i != text.size(); ++i)
            chars_[i] = text[i];
    }

    constexpr std::string_view view() const noexcept { return {chars_.data(), size_}; }

    friend constexpr bool operator==(bounded_chars const& a, bounded_chars const& b) noexcept
    {
        return a.view() == b.view();
    }
    friend constexpr std::strong_ordering operator<=>(bounded_chars const& a, bounded_chars const& b) noexcept
    {
        return a.view().compare(b.view()) <=> 0;
    }

private:
    std::array<char, Capacity> chars_{};
    std::uint8_t size_ = 0;
};

}  // namespace mturk::crowd::detail

#endif
