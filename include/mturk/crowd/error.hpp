// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_ERROR_HPP
#define MTURK_CROWD_ERROR_HPP

#include <boost/system/error_category.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/error_condition.hpp>
#include <boost/system/result.hpp>
#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>

#include <iosfwd>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace mturk::crowd {

/** The library's error codes, in the category `error_category()`.

    Zero is never an error. The values are stable: they may be stored and compared
    across versions. README.md's "Errors" table lists each with what the caller can do.
*/
enum class errc {
    // The caller's input, refused before anything is sent.
    task_name_empty = 1,          ///< a task name needs 1 to 64 characters
    task_name_too_long,           ///< more than 64 characters
    task_name_invalid_character,  ///< a character outside [A-Za-z0-9._-]
    account_id_wrong_length,      ///< an account id has exactly 12 digits
    account_id_not_digit,         ///< an account id has a character that is not 0-9
    function_name_invalid,        ///< a function name outside [a-z0-9-], or not starting with a letter
    invalid_input,                ///< a task input breaks a documented limit
    invalid_request,              ///< a request the signer cannot sign (no Host, a target not in origin form)
    invalid_configuration,        ///< a client setting or environment variable that cannot be used
    task_name_dot_segment,        ///< "." or "..": a URL path would lose them (RFC 3986 dot segments)

    // A document (the service's task JSON) that does not have the documented shape.
    invalid_json = 100,           ///< the text is not JSON
    missing_field,                ///< a required member is absent
    wrong_type,                   ///< a member has the wrong JSON type
    invalid_value,                ///< a member has the right type but a value that is not allowed
    unknown_task_state,           ///< `state` is not processing, completed or failed
    inconsistent_task,            ///< the members contradict the state (a result while processing, ...)

    // The service refused or failed (Specification: the crowd REST API reference (mturk-crowd-beta-client-python docs/REST.md), "HTTP Status Codes").
    bad_request = 200,            ///< 400: the input is syntactically invalid
    task_conflict,                ///< 400: the task name is in use with another input
    unknown_function,             ///< 404 on PUT: no such function (misspelled API name)
    task_not_found,               ///< 404 on GET or DELETE: no such task, or deleted
    task_still_processing,        ///< DELETE of a task that is still processing
    throttled,                    ///< 429: back off and retry
    access_denied,                ///< 403: signature, credentials or permission
    service_unavailable,          ///< 5xx: a fault of the service; retry
    unexpected_status,            ///< a status the reference does not list

    // Credentials (Specification: the AWS SDKs' credential provider chain).
    invalid_credentials = 300,    ///< empty key id, a key id without a secret, a bad character
    credentials_not_found,        ///< no provider of the chain had credentials
    profile_file_invalid,         ///< ~/.aws/config or credentials cannot be parsed (the detail names file and line)
    credential_process_failed,    ///< credential_process did not run, failed, or printed something unusable
    credentials_refused,          ///< a credentials service (STS, SSO, instance metadata, container) said no
    credentials_answer_invalid,   ///< a credentials service's answer cannot be read
    credentials_service_failed,   ///< a credentials service could not be reached, timed out or failed (5xx)

    // The library's own machinery.
    signing_failed = 400,         ///< libcrypto failed to hash (no SHA-256 provider, out of memory)

    // What the client gave up on.
    wait_timed_out = 500,         ///< wait() reached its deadline with the task still processing

    // The connection (the transport's own failures otherwise keep their Asio/OpenSSL codes).
    certificate_rejected = 600,   ///< the server's certificate failed verification (the detail says why)
    proxy_refused,                ///< the HTTP proxy refused the tunnel or the request (407, 403...)
};

/// The enumerator's name ("throttled", "task_not_found"): what metrics and structured
/// logs give as an error's type.
constexpr std::string_view errc_name(errc e) noexcept
{
    switch (e) {
    case errc::task_name_empty: return "task_name_empty";
    case errc::task_name_too_long: return "task_name_too_long";
    case errc::task_name_invalid_character: return "task_name_invalid_character";
    case errc::account_id_wrong_length: return "account_id_wrong_length";
    case errc::account_id_not_digit: return "account_id_not_digit";
    case errc::function_name_invalid: return "function_name_invalid";
    case errc::invalid_input: return "invalid_input";
    case errc::invalid_request: return "invalid_request";
    case errc::invalid_configuration: return "invalid_configuration";
    case errc::task_name_dot_segment: return "task_name_dot_segment";
    case errc::invalid_json: return "invalid_json";
    case errc::missing_field: return "missing_field";
    case errc::wrong_type: return "wrong_type";
    case errc::invalid_value: return "invalid_value";
    case errc::unknown_task_state: return "unknown_task_state";
    case errc::inconsistent_task: return "inconsistent_task";
    case errc::bad_request: return "bad_request";
    case errc::task_conflict: return "task_conflict";
    case errc::unknown_function: return "unknown_function";
    case errc::task_not_found: return "task_not_found";
    case errc::task_still_processing: return "task_still_processing";
    case errc::throttled: return "throttled";
    case errc::access_denied: return "access_denied";
    case errc::service_unavailable: return "service_unavailable";
    case errc::unexpected_status: return "unexpected_status";
    case errc::invalid_credentials: return "invalid_credentials";
    case errc::credentials_not_found: return "credentials_not_found";
    case errc::profile_file_invalid: return "profile_file_invalid";
    case errc::credential_process_failed: return "credential_process_failed";
    case errc::credentials_refused: return "credentials_refused";
    case errc::credentials_answer_invalid: return "credentials_answer_invalid";
    case errc::credentials_service_failed: return "credentials_service_failed";
    case errc::signing_failed: return "signing_failed";
    case errc::wait_timed_out: return "wait_timed_out";
    case errc::certificate_rejected: return "certificate_rejected";
    case errc::proxy_refused: return "proxy_refused";
    }
    return "unknown";
}


/** Groups of `errc` (and of other categories' codes) that callers decide on.

    Compare a code with a condition, never with a list of codes:
    `if (ec == mturk::crowd::condition::retryable) ...`
*/
enum class condition {
    retryable = 1,       ///< trying the same request again later may succeed
    invalid_argument,    ///< the caller's input, refused before sending
    malformed_document,  ///< a document does not have the documented shape
    service_error,       ///< the service answered with an error status
    credentials_error,   ///< no usable credentials
    internal_error,      ///< the library or a library it uses failed
    timed_out,           ///< a deadline the caller set has passed
    connection_error,    ///< no response: the transport failed (DNS, connect, TLS, reset, timeout)
};

/// The category of `errc`. Its id is fixed (0x6d7475726b637277), so codes compare equal
/// across shared libraries that each carry a copy of these headers.
boost::system::error_category const& error_category() noexcept;

/// The category of `condition`; its id is fixed (0x6d7475726b636f6e).
boost::system::error_category const& condition_category() noexcept;

inline boost::system::error_code make_error_code(errc e) noexcept
{
    return {static_cast<int>(e), error_category()};
}

inline boost::system::error_condition make_error_condition(condition c) noexcept
{
    return {static_cast<int>(c), condition_category()};
}

}  // namespace mturk::crowd

template <>
struct boost::system::is_error_code_enum<mturk::crowd::errc> : std::true_type {};
template <>
struct boost::system::is_error_condition_enum<mturk::crowd::condition> : std::true_type {};

namespace mturk::crowd {

/** How far a request got before its attempt failed, which decides whether the service
    can have acted on it. A transport says it for every failure it reports; a transport
    that says nothing leaves `unknown`, which the client takes as "may have been acted on".

    | value            | what happened                                                    | acted on? |
    |------------------|------------------------------------------------------------------|-----------|
    | `not_sent`       | resolve, connect or TLS failed, or nothing of the request was written | no    |
    | `sent_no_answer` | written in full or in part, then a reset, EOF or timeout          | maybe     |
    | `answered`       | the service answered (the error carries its status)               | per status|
    | `unknown`        | the transport did not say                                         | maybe     |
*/
enum class request_progress : unsigned char { unknown, not_sent, sent_no_answer, answered };

/** A failure as the caller sees it: the code, and what the service or the parser said.

    Design: the code decides (compare it with `errc` or `condition`); the rest explains.
    A `boost::system::error_code` alone cannot carry the service's message, its request
    id or the place in a document where parsing failed, and callers need those to act
    and to report. So every operation that talks to the service or reads its documents
    returns `crowd::result<T>`, a `boost::system::result<T, error>`. Validation of a
    single name has nothing to add to its code and returns `boost::system::result<T>`;
    both convert, since `error` is built implicitly from an `error_code`.

    `error` never holds a secret: the detail is a document path or the service's message.
*/
class error {
public:
    /// No failure (code 0): what `result<T>::error()` gives for a result that holds a value.
    error() = default;

    /// An error with a code only. Implicit, so that `return errc::x;` works in a function returning `result<T>`.
    error(boost::system::error_code code) noexcept : code_(code) {}  // NOLINT(google-explicit-constructor)
    error(errc code) noexcept : code_(make_error_code(code)) {}      // NOLINT(google-explicit-constructor)

    /// An error with a detail: where in a document, or what exactly was wrong.
    error(boost::system::error_code code, std::string detail) : code_(code), detail_(std::move(detail)) {}

    /// An error answered by the service: its HTTP status, its `message` and the request id it gave.
    error(boost::system::error_code code, unsigned http_status, std::string message, std::string request_id)
        : code_(code), http_status_(http_status), detail_(std::move(message)), request_id_(std::move(request_id))
    {
    }

    boost::system::error_code const& code() const noexcept { return code_; }

    /// The HTTP status of the response that carried the error; 0 when no response did.
    unsigned http_status() const noexcept { return http_status_; }

    /// The service's `message`, or the place and problem in a document; may be empty.
    std::string_view detail() const noexcept { return detail_; }

    /// The service's request id (`x-amzn-RequestId`); empty when there was none.
    std::string_view request_id() const noexcept { return request_id_; }

    /** How far the failed request got: `answered` when a response carried this error,
        else what the transport said (`not_sent`, `sent_no_answer`), else `unknown`. */
    request_progress progress() const noexcept
    {
        return http_status_ != 0 ? request_progress::answered : progress_;
    }

    /** What to do about it, when the library can tell: the setting to check, where its
        value came from, the likely fix ("signed for region us-west-2 (env AWS_REGION) ...").
        Empty for most errors. `what()` ends with it. */
    std::string_view hint() const noexcept { return hint_; }

    /// Sets the hint (replacing one).
    error& set_hint(std::string hint)
    {
        hint_ = std::move(hint);
        return *this;
    }

    /// For transports: records how far the request got (see `request_progress`).
    error& set_progress(request_progress p) noexcept
    {
        progress_ = p;
        return *this;
    }

    /// One line for a human: the code's message, then status, detail and request id where known.
    std::string what() const;

    friend bool operator==(error const& e, boost::system::error_code const& code) noexcept { return e.code_ == code; }

    template <class Enum>
        requires boost::system::is_error_code_enum<Enum>::value || boost::system::is_error_condition_enum<Enum>::value
    friend bool operator==(error const& e, Enum value) noexcept
    {
        return e.code_ == value;
    }

    /// Prints `what()`; a template so that this header needs no <ostream>.
    template <class Char, class Traits>
    friend std::basic_ostream<Char, Traits>& operator<<(std::basic_ostream<Char, Traits>& out, error const& e)
    {
        return out << e.what();
    }

private:
    boost::system::error_code code_;
    unsigned http_status_ = 0;
    request_progress progress_ = request_progress::unknown;
    std::string detail_;
    std::string request_id_;
    std::string hint_;
};

/// What `result<T>::value()` throws: a `system_error` that keeps the whole `error`.
class exception : public boost::system::system_error {
public:
    explicit exception(crowd::error e) : system_error(e.code(), e.what()), error_(std::move(e)) {}
    crowd::error const& error() const noexcept { return error_; }

private:
    crowd::error error_;
};

/// Found by `boost::system::result` through argument-dependent lookup.
[[noreturn]] inline void throw_exception_from_error(error const& e, boost::source_location const& where)
{
    boost::throw_exception(exception(e), where);
}

/// The result of every operation that talks to the service or reads its documents.
template <class T>
using result = boost::system::result<T, error>;

}  // namespace mturk::crowd

#include <mturk/crowd/impl/error.hpp>

#endif
