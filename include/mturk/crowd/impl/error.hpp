// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_IMPL_ERROR_HPP
#define MTURK_CROWD_IMPL_ERROR_HPP

#include <boost/system/errc.hpp>

#include <cstdio>

namespace mturk::crowd {
namespace detail {

constexpr char const* errc_message(errc e) noexcept
{
    switch (e) {
    case errc::task_name_empty: return "task name is empty (it needs 1 to 64 characters)";
    case errc::task_name_too_long: return "task name is longer than 64 characters";
    case errc::task_name_invalid_character: return "task name has a character outside [A-Za-z0-9._-]";
    case errc::account_id_wrong_length: return "account id does not have exactly 12 digits";
    case errc::account_id_not_digit: return "account id has a character that is not a digit";
    case errc::function_name_invalid:
        return "function name must start with a lower-case letter and have only [a-z0-9-]";
    case errc::invalid_input: return "task input breaks a documented limit";
    case errc::invalid_request: return "invalid request";
    case errc::invalid_configuration: return "invalid client configuration";
    case errc::task_name_dot_segment:
        return "task name \".\" or \"..\" is a dot segment, which URL paths remove (the request would go elsewhere)";
    case errc::invalid_json: return "document is not valid JSON";
    case errc::missing_field: return "document lacks a required field";
    case errc::wrong_type: return "document has a field of the wrong JSON type";
    case errc::invalid_value: return "document has a field with a value that is not allowed";
    case errc::unknown_task_state: return "task state is not processing, completed or failed";
    case errc::inconsistent_task: return "task fields contradict its state";
    case errc::bad_request: return "service refused the request as invalid";
    case errc::task_conflict: return "task name is already in use with a different input";
    case errc::unknown_function: return "service does not know this function";
    case errc::task_not_found: return "no such task";
    case errc::task_still_processing: return "task is still processing and cannot be deleted";
    case errc::throttled: return "request was throttled";
    case errc::access_denied: return "access denied: signature, credentials or permission";
    case errc::service_unavailable: return "service failed or is unavailable";
    case errc::unexpected_status: return "service answered with an unexpected HTTP status";
    case errc::invalid_credentials: return "credentials are invalid";
    case errc::credentials_not_found: return "no credentials were found";
    case errc::profile_file_invalid: return "AWS profile file cannot be parsed";
    case errc::credential_process_failed: return "credential_process failed";
    case errc::credentials_refused: return "a credentials service refused the request";
    case errc::credentials_answer_invalid: return "a credentials service's answer cannot be read";
    case errc::credentials_service_failed: return "a credentials service could not be reached or failed";
    case errc::signing_failed: return "signing failed in libcrypto";
    case errc::wait_timed_out: return "the task was still processing when the wait's deadline passed";
    case errc::certificate_rejected: return "the server's TLS certificate was rejected";
    case errc::proxy_refused: return "the HTTP proxy refused the connection";
    }
    return nullptr;
}

constexpr char const* condition_message(condition c) noexcept
{
    switch (c) {
    case condition::retryable: return "retryable";
    case condition::invalid_argument: return "invalid argument";
    case condition::malformed_document: return "malformed document";
    case condition::service_error: return "service error";
    case condition::credentials_error: return "credentials error";
    case condition::internal_error: return "internal error";
    case condition::timed_out: return "timed out";
    case condition::connection_error: return "connection error";
    }
    return nullptr;
}

inline bool in_errc_range(int value, errc first, errc last) noexcept
{
    return value >= static_cast<int>(first) && value <= static_cast<int>(last);
}

/// A category whose messages come from a table; the two categories differ only in
/// their id, name and table (and the conditions' equivalence).
class table_category : public boost::system::error_category {
public:
    using message_table = char const* (*)(int) noexcept;

    constexpr table_category(unsigned long long id, char const* name, message_table table) noexcept
        : error_category(id), name_(name), table_(table)
    {
    }

    char const* name() const noexcept override { return name_; }

    std::string message(int value) const override
    {
        char buffer[64];
        return message(value, buffer, sizeof buffer);
    }

    char const* message(int value, char* buffer, std::size_t size) const noexcept override
    {
        if (char const* text = table_(value))
            return text;
        std::snprintf(buffer, size, "unknown %s value %d", name_, value);
        return buffer;
    }

private:
    char const* name_;
    message_table table_;
};

inline char const* errc_table(int value) noexcept { return errc_message(static_cast<errc>(value)); }
inline char const* condition_table(int value) noexcept { return condition_message(static_cast<condition>(value)); }

class errc_category final : public table_category {
public:
    constexpr errc_category() noexcept : table_category(0x6d7475726b637277ULL, "mturk.crowd", errc_table) {}
};

class condition_category_impl final : public table_category {
public:
    constexpr condition_category_impl() noexcept
        : table_category(0x6d7475726b636f6eULL, "mturk.crowd.condition", condition_table)
    {
    }

    // Conditions also take codes of other categories: a reset connection is as
    // retryable as a 503, and a retry policy should not have to know both lists.
    bool equivalent(boost::system::error_code const& code, int value) const noexcept override
    {
        if (code.category() == crowd::error_category()) {
            int const e = code.value();
            switch (static_cast<condition>(value)) {
            case condition::retryable:
                return e == static_cast<int>(errc::throttled) || e == static_cast<int>(errc::service_unavailable);
            case condition::invalid_argument:
                return in_errc_range(e, errc::task_name_empty, errc::task_name_dot_segment);
            case condition::malformed_document:
                return in_errc_range(e, errc::invalid_json, errc::inconsistent_task);
            case condition::service_error:
                return in_errc_range(e, errc::bad_request, errc::unexpected_status);
            case condition::credentials_error:
                return in_errc_range(e, errc::invalid_credentials, errc::credentials_service_failed);
            case condition::internal_error:
                return e == static_cast<int>(errc::signing_failed);
            case condition::timed_out:
                return e == static_cast<int>(errc::wait_timed_out);
            case condition::connection_error:
                return in_errc_range(e, errc::certificate_rejected, errc::proxy_refused);
            }
            return false;
        }
        // Codes of other categories reach the caller only from a transport: connection errors.
        if (static_cast<condition>(value) == condition::connection_error)
            return static_cast<bool>(code);
        if (static_cast<condition>(value) != condition::retryable)
            return false;
        namespace sys = boost::system;
        auto const generic = code.default_error_condition();
        // resource_unavailable_try_again: a temporary resolver failure (EAI_AGAIN), as the
        // Beast transport reports it. No file descriptor left (EMFILE, ENFILE): nothing was
        // sent, and other connections may close meanwhile.
        return generic == sys::errc::too_many_files_open || generic == sys::errc::too_many_files_open_in_system ||
               generic == sys::errc::connection_reset || generic == sys::errc::connection_aborted ||
               generic == sys::errc::connection_refused || generic == sys::errc::timed_out ||
               generic == sys::errc::resource_unavailable_try_again ||
               generic == sys::errc::broken_pipe || generic == sys::errc::network_unreachable ||
               generic == sys::errc::host_unreachable;
    }
};

}  // namespace detail

inline boost::system::error_category const& error_category() noexcept
{
    static constexpr detail::errc_category instance;
    return instance;
}

inline boost::system::error_category const& condition_category() noexcept
{
    static constexpr detail::condition_category_impl instance;
    return instance;
}

inline std::string error::what() const
{
    std::string out = code_.message();
    if (http_status_ != 0) {
        out += " (HTTP ";
        out += std::to_string(http_status_);
        out += ')';
    }
    if (!detail_.empty()) {
        out += ": ";
        out += detail_;
    }
    if (!request_id_.empty()) {
        out += " [request id ";
        out += request_id_;
        out += ']';
    }
    if (!hint_.empty()) {
        out += " (";
        out += hint_;
        out += ')';
    }
    return out;
}

}  // namespace mturk::crowd

#endif
