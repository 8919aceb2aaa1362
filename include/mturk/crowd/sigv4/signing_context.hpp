// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_SIGV4_SIGNING_CONTEXT_HPP
#define MTURK_CROWD_SIGV4_SIGNING_CONTEXT_HPP

#include <mturk/crowd/detail/iso8601.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/sigv4/credentials.hpp>
#include <mturk/crowd/sigv4/signer.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace mturk::crowd::sigv4 {

/** The inputs of one signature as a JSON file: the format of the AWS test suites'
    `context.json` and of `crowd sign --context`.

    @code{.json}
    {"credentials": {"access_key_id": "AKIA...", "secret_access_key": "...", "token": "..."},
     "region": "us-east-1", "service": "crowd", "timestamp": "2019-03-14T02:18:57Z",
     "normalize": true, "sign_body": false, "omit_session_token": false,
     "expiration_in_seconds": 3600}
    @endcode
    Only `credentials` (key id and secret), `region`, `service` and `timestamp` are required.
*/
struct signing_context {
    sigv4::credentials credentials;
    std::string region;
    std::string service;
    std::chrono::sys_seconds time;
    bool normalize = true;
    bool sign_body = false;
    bool omit_session_token = false;
    std::optional<std::chrono::seconds> expiration;

    /// The signer's parameters; they refer to this context's strings.
    signing_params params() const
    {
        return {.region = region,
                .service = service,
                .time = time,
                .normalize_path = normalize,
                .add_content_sha256_header = sign_body,
                .sign_session_token = !omit_session_token};
    }
};

/// Reads a context. Errors: `errc::invalid_json`, and `missing_field` / `wrong_type` /
/// `invalid_value` naming the member; `invalid_credentials` for half credentials.
inline result<signing_context> parse_signing_context(std::string_view json_text)
{
    boost::system::error_code ec;
    auto doc = boost::json::parse(json_text, ec);
    if (ec)
        return error(errc::invalid_json, ec.message());
    auto const* root = doc.if_object();
    if (!root)
        return error(errc::wrong_type, "the context must be a JSON object");

    auto string_member = [](boost::json::object const& o, std::string_view key, std::string_view path,
                            bool required) -> result<std::string> {
        auto const* v = o.if_contains(key);
        if (!v || v->is_null()) {
            if (required)
                return error(errc::missing_field, std::string(path) + ": missing");
            return std::string();
        }
        if (!v->is_string())
            return error(errc::wrong_type, std::string(path) + ": expected a string");
        return std::string(v->get_string());
    };
    auto bool_member = [](boost::json::object const& o, std::string_view key, bool fallback) -> result<bool> {
        auto const* v = o.if_contains(key);
        if (!v)
            return fallback;
        if (!v->is_bool())
            return error(errc::wrong_type, std::string(key) + ": expected true or false");
        return v->get_bool();
    };

    auto const* creds_value = root->if_contains("credentials");
    if (!creds_value || !creds_value->is_object())
        return error(creds_value ? errc::wrong_type : errc::missing_field, "credentials: expected an object");
    auto const& creds = creds_value->get_object();
    auto key_id = string_member(creds, "access_key_id", "credentials.access_key_id", true);
    if (!key_id)
        return key_id.error();
    auto secret = string_member(creds, "secret_access_key", "credentials.secret_access_key", true);
    if (!secret)
        return secret.error();
    auto token = string_member(creds, "token", "credentials.token", false);
    if (!token)
        return token.error();
    auto made = credentials::make(std::move(*key_id), std::move(*secret), std::move(*token));
    if (!made)
        return made.error();

    auto region = string_member(*root, "region", "region", true);
    if (!region)
        return region.error();
    auto service = string_member(*root, "service", "service", true);
    if (!service)
        return service.error();
    auto timestamp = string_member(*root, "timestamp", "timestamp", true);
    if (!timestamp)
        return timestamp.error();
    auto time = crowd::detail::parse_iso8601_utc(*timestamp);
    if (!time)
        return error(errc::invalid_value, "timestamp: \"" + *timestamp + "\" is not YYYY-MM-DDTHH:MM:SSZ");

    auto normalize = bool_member(*root, "normalize", true);
    auto sign_body = bool_member(*root, "sign_body", false);
    auto omit = bool_member(*root, "omit_session_token", false);
    for (auto const* r : {&normalize, &sign_body, &omit})
        if (!*r)
            return r->error();

    std::optional<std::chrono::seconds> expiration;
    if (auto const* e = root->if_contains("expiration_in_seconds")) {
        if (!e->is_int64() && !e->is_uint64())
            return error(errc::wrong_type, "expiration_in_seconds: expected a whole number");
        expiration = std::chrono::seconds(e->to_number<long long>());
    }
    return signing_context{std::move(*made), std::move(*region), std::move(*service), *time, *normalize,
                           *sign_body,        *omit,             expiration};
}

}  // namespace mturk::crowd::sigv4

#endif
