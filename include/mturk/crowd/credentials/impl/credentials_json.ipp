// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_IMPL_CREDENTIALS_JSON_IPP
#define MTURK_CROWD_CREDENTIALS_IMPL_CREDENTIALS_JSON_IPP

#include <mturk/crowd/detail/iso8601.hpp>
#include <mturk/crowd/credentials/credentials_json.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace mturk::crowd::detail {

MTURK_CROWD_DECL auto read_credentials_json(std::string_view body, std::string const& source) -> result<sigv4::credentials>
{
    boost::system::error_code ec;
    auto doc = boost::json::parse(body, ec);
    if (ec || !doc.is_object())
        return error(errc::credentials_answer_invalid, source + ": the answer is not a JSON object");
    auto const& o = doc.get_object();
    auto string_of = [&](std::string_view key) -> std::optional<std::string> {
        auto const* v = o.if_contains(key);
        if (!v || !v->is_string())
            return std::nullopt;
        return std::string(v->get_string());
    };
    if (auto code = string_of("Code"); code && *code != "Success")
        return error(errc::credentials_refused,
                     source + " answered Code " + *code + (string_of("Message") ? ": " + *string_of("Message") : ""));
    auto key_id = string_of("AccessKeyId");
    auto secret = string_of("SecretAccessKey");
    if (!key_id || !secret)
        return error(errc::credentials_answer_invalid, source + ": the answer lacks AccessKeyId or SecretAccessKey");
    std::optional<sigv4::credentials::time_point> expiration;
    if (auto text = string_of("Expiration")) {
        auto const parsed = crowd::detail::parse_iso8601_utc(*text);
        if (!parsed)
            return error(errc::credentials_answer_invalid, source + ": Expiration is not an ISO 8601 UTC time");
        expiration = *parsed;
    }
    auto made = sigv4::credentials::make(std::move(*key_id), std::move(*secret), string_of("Token").value_or(""), expiration);
    if (!made)
        return error(errc::credentials_answer_invalid, source + ": " + std::string(made.error().detail()));
    if (auto account = string_of("AccountId"); account && !account->empty())
        return made->with_account_id(std::move(*account));
    return made;
}

}  // namespace mturk::crowd::detail

#endif
