// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_IMPL_SERVICE_RESPONSE_IPP
#define MTURK_CROWD_IMPL_SERVICE_RESPONSE_IPP

#include <mturk/crowd/service_response.hpp>

#include <cstdio>

namespace mturk::crowd {

MTURK_CROWD_DECL service_message read_service_message(std::string_view body)
{
    service_message out;
    boost::system::error_code ec;
    auto doc = boost::json::parse(body, ec);
    if (!ec && doc.is_object()) {
        auto const& o = doc.get_object();
        for (auto key : {"message", "Message", "errorMessage"})
            if (auto const* m = o.if_contains(key); m && m->is_string()) {
                out.message = std::string(m->get_string());
                break;
            }
        for (auto key : {"code", "Code", "__type"})
            if (auto const* c = o.if_contains(key); c && c->is_string()) {
                std::string_view code = c->get_string();
                if (auto hash = code.rfind('#'); hash != std::string_view::npos)  // "ns#ThrottlingException"
                    code = code.substr(hash + 1);
                out.code = std::string(code);
                break;
            }
        return out;
    }
    constexpr std::size_t most = 200;
    out.message = std::string(body.substr(0, most));
    if (body.size() > most)
        out.message += "...";
    return out;
}

MTURK_CROWD_DECL service_message read_service_message(http_response const& response)
{
    service_message out = read_service_message(response.body);
    if (!out.code.empty())
        return out;
    auto before = [](std::string_view text, char separator) {
        return std::string(text.substr(0, text.find(separator)));
    };
    if (auto type = response.fields.find("x-amzn-ErrorType"))
        out.code = before(*type, ':');
    else if (auto query = response.fields.find("x-amzn-query-error"))
        out.code = before(*query, ';');
    return out;
}

}  // namespace

namespace mturk::crowd {
namespace detail {

MTURK_CROWD_DECL bool contains_nocase(std::string_view text, std::string_view word) noexcept
{
    if (word.size() > text.size())
        return false;
    for (std::size_t i = 0; i + word.size() <= text.size(); ++i)
        if (iequals(text.substr(i, word.size()), word))
            return true;
    return false;
}

MTURK_CROWD_DECL bool is_throttling_code(std::string_view code) noexcept
{
    constexpr std::array<std::string_view, 14> codes = {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown",
        "PriorRequestNotComplete", "EC2ThrottledException"};
    for (auto c : codes)
        if (code == c)
            return true;
    return false;
}

}  // namespace
}  // namespace

namespace mturk::crowd {

MTURK_CROWD_DECL bool is_clock_skew(service_message const& m) noexcept
{
    for (auto code : {"RequestTimeTooSkewed", "RequestExpired", "SignatureExpired", "InvalidSignatureException"})
        if (m.code == code && (m.code != std::string_view("InvalidSignatureException") ||
                               detail::contains_nocase(m.message, "expired")))
            return true;
    return detail::contains_nocase(m.message, "signature expired") ||
           detail::contains_nocase(m.message, "signature not yet current") ||
           detail::contains_nocase(m.message, "too skewed") || detail::contains_nocase(m.message, "clock skew");
}

MTURK_CROWD_DECL error error_from_response(http_method method, http_response const& response)
{
    service_message const m = read_service_message(response);
    auto const request_id = std::string(response.request_id().value_or(""));
    auto make = [&](errc code) { return error(make_error_code(code), response.status, m.message, request_id); };
    unsigned const status = response.status;
    if (status == 429 || detail::is_throttling_code(m.code))
        return make(errc::throttled);
    if (status == 403)
        return make(errc::access_denied);
    if (status >= 500 && status <= 599)
        return make(errc::service_unavailable);
    if (method == http_method::delete_ &&
        (status == 409 || (status == 400 && detail::contains_nocase(m.message, "processing"))))
        return make(errc::task_still_processing);
    if (status == 400) {
        bool const conflict = method == http_method::put &&
                              (detail::contains_nocase(m.message, "already") ||
                               detail::contains_nocase(m.message, "different input") ||
                               detail::contains_nocase(m.code, "conflict"));
        return make(conflict ? errc::task_conflict : errc::bad_request);
    }
    if (status == 409 && method == http_method::put)
        return make(errc::task_conflict);
    if (status == 404)
        return make(method == http_method::put ? errc::unknown_function : errc::task_not_found);
    return make(errc::unexpected_status);
}

MTURK_CROWD_DECL std::string format_http_date(std::chrono::sys_seconds time)
{
    auto const days = std::chrono::floor<std::chrono::days>(time);
    std::chrono::year_month_day const ymd{days};
    std::chrono::weekday const wd{days};
    std::chrono::hh_mm_ss const hms{time - days};
    static constexpr char const* names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr char const* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char out[40];
    std::snprintf(out, sizeof out, "%s, %02u %s %04d %02d:%02d:%02d GMT", names[wd.c_encoding()],
                  static_cast<unsigned>(ymd.day()), months[static_cast<unsigned>(ymd.month()) - 1],
                  static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
    return out;
}

MTURK_CROWD_DECL std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view text) noexcept
{
    // "Www, DD Mon YYYY HH:MM:SS GMT"
    if (text.size() != 29 || text.substr(3, 2) != ", " || text.substr(25) != " GMT")
        return std::nullopt;
    auto number = [&](std::size_t at, std::size_t n, int& out) {
        out = 0;
        for (std::size_t i = at; i != at + n; ++i) {
            if (text[i] < '0' || text[i] > '9')
                return false;
            out = out * 10 + (text[i] - '0');
        }
        return true;
    };
    constexpr std::string_view months = "JanFebMarAprMayJunJulAugSepOctNovDec";
    auto const month_at = months.find(text.substr(8, 3));
    int day = 0, year = 0, hour = 0, minute = 0, second = 0;
    if (month_at == std::string_view::npos || month_at % 3 != 0 || !number(5, 2, day) || !number(12, 4, year) ||
        !number(17, 2, hour) || text[19] != ':' || !number(20, 2, minute) || text[22] != ':' || !number(23, 2, second))
        return std::nullopt;
    std::chrono::year_month_day const date{std::chrono::year{year},
                                           std::chrono::month{static_cast<unsigned>(month_at / 3 + 1)},
                                           std::chrono::day{static_cast<unsigned>(day)}};
    if (!date.ok() || hour > 23 || minute > 59 || second > 60)
        return std::nullopt;
    return std::chrono::sys_days{date} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
           std::chrono::seconds{second};
}

}  // namespace

#endif
