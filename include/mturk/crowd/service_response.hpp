// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_SERVICE_RESPONSE_HPP
#define MTURK_CROWD_SERVICE_RESPONSE_HPP

#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/http_message.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

/* What an error response of the service means (Specification: the crowd REST API reference,
   docs/REST.md of mturk-crowd-beta-client-python, "HTTP Status Codes"; docs/architecture.md "Status mapping"). Kept apart from the client so
   the synchronous and the asynchronous drivers share one reading. */
namespace mturk::crowd {

/// The `message` (or `Message`) and error code (`code`, `__type`) of an error body; the
/// body itself, shortened, when it is not JSON.
struct service_message {
    std::string message;
    std::string code;
};

MTURK_CROWD_DECL service_message read_service_message(std::string_view body);

/** The body's message and code, and, when the body names no code, the code an AWS
    gateway puts in a header: `x-amzn-ErrorType` ("ThrottlingException:http://..."; the
    text before the first ':') or `x-amzn-query-error` ("Throttling;Sender"; before ';'). */
MTURK_CROWD_DECL service_message read_service_message(http_response const& response);

namespace detail {

MTURK_CROWD_DECL bool contains_nocase(std::string_view text, std::string_view word) noexcept;

/// The throttling error codes the AWS SDKs know; this service sends a bare 429, but a
/// proxy or a future version may send these.
MTURK_CROWD_DECL bool is_throttling_code(std::string_view code) noexcept;

}  // namespace detail

/// True when a refusal says the request was signed too far from the service's time:
/// the usual cause of rejected signatures on devices without a synchronised clock.
MTURK_CROWD_DECL bool is_clock_skew(service_message const& m) noexcept;

/** The error an unsuccessful response means, for the method that was sent; the HTTP
    status, the service's message and the request id are kept. Success statuses are the
    caller's to check; this is for the others.

    A 400 to a PUT is a conflict when the service's message says the name is in use (the
    reference gives both meanings the same status); a refused DELETE of a task that is
    still processing has no documented status, so 409, or a 400 whose message says
    "processing", reads as `task_still_processing`.
*/
MTURK_CROWD_DECL error error_from_response(http_method method, http_response const& response);

/// Reads an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 IMF-fixdate).
MTURK_CROWD_DECL std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view text) noexcept;

/// Writes an HTTP date (IMF-fixdate), as `parse_http_date` reads it: the one formatter,
/// for the emulator's `Date` header and the tests. Years 0 to 9999.
MTURK_CROWD_DECL std::string format_http_date(std::chrono::sys_seconds time);

}  // namespace mturk::crowd

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/impl/service_response.ipp>
#endif

#endif
