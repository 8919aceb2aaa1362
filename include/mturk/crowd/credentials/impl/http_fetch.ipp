// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_IMPL_HTTP_FETCH_IPP
#define MTURK_CROWD_CREDENTIALS_IMPL_HTTP_FETCH_IPP

#include <mturk/crowd/credentials/http_fetch.hpp>

#include <thread>

namespace mturk::crowd::detail {

MTURK_CROWD_DECL auto pause_for(network_context const& context, std::chrono::milliseconds delay) -> void
{
    if (context.pause)
        context.pause(delay);
    else
        std::this_thread::sleep_for(delay);
}

MTURK_CROWD_DECL auto fetch_with_retries(network_context const& context, fetch_request const& request,
                                         unsigned max_attempts, bool retry_unreachable) -> result<http_response>
{
    return fetch_with_retries(
        context, max_attempts, [&]() -> result<fetch_request> { return request; },
        [&](result<http_response> const& answer) {
            return answer ? answer->status >= 500 || answer->status == 429 : retry_unreachable;
        });
}

MTURK_CROWD_DECL auto is_true_setting(std::string_view value) noexcept -> bool
{
    constexpr std::string_view word = "true";
    if (value.size() != word.size())
        return false;
    for (std::size_t i = 0; i != word.size(); ++i)
        if ((value[i] | 0x20) != word[i])
            return false;
    return true;
}

MTURK_CROWD_DECL auto split_url(std::string_view url, std::string_view what) -> result<split_url_result>
{
    auto const scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos)
        return error(errc::invalid_configuration,
                     std::string(what) + " \"" + std::string(url) + "\": not a URL (http:// or https://, then a host)");
    auto const path_start = url.find_first_of("/?#", scheme_end + 3);
    std::string_view const origin = url.substr(0, path_start);
    std::string_view target = path_start == std::string_view::npos ? std::string_view("/") : url.substr(path_start);
    if (target.find('#') != std::string_view::npos)
        return error(errc::invalid_configuration,
                     std::string(what) + " \"" + std::string(url) + "\": must not have a fragment");
    for (char c : target)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
            return error(errc::invalid_configuration,
                         std::string(what) + " \"" + std::string(url) + "\": white space or a control character");
    auto where = parse_endpoint(origin);
    if (!where)
        return error(errc::invalid_configuration, std::string(what) + ": " + std::string(where.error().detail()));
    split_url_result out{*where, std::string(target)};
    if (out.target.front() == '?')
        out.target.insert(0, 1, '/');
    return out;
}

}  // namespace mturk::crowd::detail

#endif
