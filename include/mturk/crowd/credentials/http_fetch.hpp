// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_HTTP_FETCH_HPP
#define MTURK_CROWD_CREDENTIALS_HTTP_FETCH_HPP

#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/endpoint.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/http_message.hpp>
#include <mturk/crowd/settings/environment.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

/* How credential providers reach the network: instance metadata, the container
   endpoint, STS and SSO. The core has no networking of its own, so the HTTP client is
   a function the caller gives: `transport::make_beast_fetch()` is the library's (over
   Boost.Beast, with the transport's TLS rules), and tests give a replay of recorded
   traffic. Credentials are fetched a few times an hour at most, so a type-erased call
   and a fresh connection per request cost nothing that shows. */
namespace mturk::crowd {

/// One request of a credential provider.
struct fetch_request {
    endpoint where;        ///< scheme, host and port; `base_path` is not used
    http_request message;  ///< the target and every field, `Host` included
    /// For connecting (name lookup included), and again for the exchange.
    std::chrono::milliseconds timeout{std::chrono::seconds(5)};
};

/// Sends one request and returns the answer, whatever its status. Errors are the
/// transport's (connection refused, time-out...), with `error::progress()` set.
using http_fetch = std::function<result<http_response>(fetch_request const&)>;

/// What the providers that use the network share: where settings come from, the HTTP
/// client, the clock and the pause between attempts.
struct network_context {
    environment env = process_environment();
    http_fetch fetch{};  ///< empty: the network providers say they cannot run
    std::function<std::chrono::system_clock::time_point()> now = [] { return std::chrono::system_clock::now(); };
    std::function<void(std::chrono::milliseconds)> pause{};  ///< empty: the thread sleeps
};

namespace detail {

/// Sleeps through `context.pause`, or the thread.
MTURK_CROWD_DECL void pause_for(network_context const& context, std::chrono::milliseconds delay);

/** Sends `request` up to `max_attempts` times (100 ms, 200 ms, ... apart) while it is
    answered 5xx or 429, and, when `retry_unreachable`, while it cannot be sent at all.
    Returns the last answer or failure: the caller says what it means. */
MTURK_CROWD_DECL result<http_response> fetch_with_retries(network_context const& context, fetch_request const& request,
                                                          unsigned max_attempts, bool retry_unreachable);

/** The one retry loop of the credential services, for those that need more than
    `fetch_with_retries`: each attempt sends what `build()` makes (a `result<fetch_request>`,
    made again for each attempt: a signature is dated), up to `max_attempts` times (at
    least once), 100 ms, 200 ms, ... apart, while `again(answer)` says so (it is asked of
    every answer, the last one too). Returns the last answer, or `build`'s error at once. */
template <class Build, class Again>
result<http_response> fetch_with_retries(network_context const& context, unsigned max_attempts, Build&& build,
                                         Again&& again)
{
    for (unsigned attempt = 1;; ++attempt) {
        if (attempt > 1)  // short and bounded: credentials are fetched rarely, and a caller is waiting
            pause_for(context, std::chrono::milliseconds(100) * (1u << (attempt - 2)));
        result<fetch_request> request = build();
        if (!request)
            return request.error();
        result<http_response> answer = context.fetch(*request);
        if (!again(answer) || attempt >= max_attempts)  // `again` sees every answer, the last one too
            return answer;
    }
}

/// "true", in any case, as the SDKs read boolean settings.
MTURK_CROWD_DECL bool is_true_setting(std::string_view value) noexcept;

/// A URL split for a fetch: where, and the origin-form target (path and query).
struct split_url_result {
    endpoint where;
    std::string target;
};

/// "http[s]://host[:port][/path][?query]". Errors: `errc::invalid_configuration`, naming
/// `what` (the setting the URL came from).
MTURK_CROWD_DECL result<split_url_result> split_url(std::string_view url, std::string_view what);

}  // namespace detail

}  // namespace mturk::crowd

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/credentials/impl/http_fetch.ipp>
#endif

#endif
