// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_DETAIL_ISO8601_HPP
#define MTURK_CROWD_DETAIL_ISO8601_HPP

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace mturk::crowd::detail {

/// Reads `YYYY-MM-DDTHH:MM:SS` followed by `Z` or `+00:00`, with optional fractional
/// seconds (dropped): the forms AWS uses for timestamps and credential expiry. Anything
/// else, an impossible date, or a year outside 1700-2200 gives nullopt (the system
/// clock's time points, in nanoseconds, hold 1678 to 2262 only: a credential's expiry in
/// the year 1015 overflowed when it was compared with the clock, found by fuzzing).
inline std::optional<std::chrono::sys_seconds> parse_iso8601_utc(std::string_view text) noexcept
{
    auto digits = [&](std::size_t at, std::size_t count, int& out) {
        if (at + count > text.size())
            return false;
        out = 0;
        for (std::size_t i = at; i != at + count; ++i) {
            if (text[i] < '0' || text[i] > '9')
                return false;
            out = out * 10 + (text[i] - '0');
        }
        return true;
    };
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!digits(0, 4, year) || text.size() < 19 || text[4] != '-' || !digits(5, 2, month) || text[7] != '-' ||
        !digits(8, 2, day) || (text[10] != 'T' && text[10] != 't') || !digits(11, 2, hour) || text[13] != ':' ||
        !digits(14, 2, minute) || text[16] != ':' || !digits(17, 2, second))
        return std::nullopt;
    std::size_t at = 19;
    if (at < text.size() && text[at] == '.') {
        ++at;
        std::size_t const first = at;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9')
            ++at;
        if (at == first)
            return std::nullopt;
    }
    std::string_view const zone = text.substr(at);
    // "UTC": what botocore's JSON file caches write (strftime's %Z), which the aws CLI's
    // credentials cache holds.
    if (zone != "Z" && zone != "z" && zone != "+00:00" && zone != "UTC")
        return std::nullopt;
    std::chrono::year_month_day const date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                           std::chrono::day{static_cast<unsigned>(day)}};
    if (!date.ok() || year < 1700 || year > 2200 || hour > 23 || minute > 59 || second > 60)
        return std::nullopt;
    return std::chrono::sys_days{date} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
           std::chrono::seconds{second};
}

/// "2026-12-05T22:00:00Z", or with milliseconds "2026-12-05T22:00:00.123Z".
inline std::string format_iso8601_utc(std::chrono::system_clock::time_point t, bool milliseconds = false)
{
    auto const day = std::chrono::floor<std::chrono::days>(t);
    std::chrono::year_month_day const date{day};
    std::chrono::hh_mm_ss const time{std::chrono::floor<std::chrono::milliseconds>(t - day)};
    char out[32];
    int const n = std::snprintf(out, sizeof out, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(date.year()),
                                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                                static_cast<int>(time.seconds().count()));
    std::string text(out, static_cast<std::size_t>(n > 0 ? n : 0));
    if (milliseconds) {
        std::snprintf(out, sizeof out, ".%03d", static_cast<int>(time.subseconds().count()));
        text += out;
    }
    return text + "Z";
}

}  // namespace mturk::crowd::detail

#endif
