// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_IMPL_SSO_PROVIDER_IPP
#define MTURK_CROWD_CREDENTIALS_IMPL_SSO_PROVIDER_IPP

#include <mturk/crowd/detail/iso8601.hpp>
#include <mturk/crowd/detail/utf8.hpp>
#include <mturk/crowd/sigv4/canonical.hpp>
#include <mturk/crowd/credentials/file_cache.hpp>
#include <mturk/crowd/credentials/sso_provider.hpp>
#include <mturk/crowd/credentials/sts.hpp>
#include <mturk/crowd/detail/json_text.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <openssl/evp.h>

#include <fstream>
#include <iterator>

namespace mturk::crowd {

MTURK_CROWD_DECL auto sso_credentials_provider::token_file() const -> result<std::string>
{
    std::string home = options_.home;
    if (home.empty())
        home = context_.env("HOME").value_or("");
    if (home.empty())
        return error(errc::credentials_not_found, "the SSO token cache needs a home folder: HOME is not set");
    std::string const& key = settings_.session_name ? *settings_.session_name : settings_.start_url;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(key.data(), key.size(), digest, &length, EVP_sha1(), nullptr) != 1)
        return error(errc::signing_failed, "libcrypto could not compute the SHA-1 of the SSO cache key");
    std::string name;
    for (unsigned i = 0; i != length; ++i)
        crowd::detail::append_hex(name, digest[i]);
    return home + "/.aws/sso/cache/" + name + ".json";
}

MTURK_CROWD_DECL auto sso_credentials_provider::refresh_token(boost::json::object const& cached, std::string const& file,
                                                             std::string& why) const
    -> std::optional<std::pair<std::string, std::chrono::system_clock::time_point>>
{
    auto text_of = [&](char const* key) -> std::optional<std::string> {
        auto const* v = cached.if_contains(key);
        return v && v->is_string() ? std::optional<std::string>(std::string(v->get_string())) : std::nullopt;
    };
    auto const refresh = text_of("refreshToken");
    auto const client_id = text_of("clientId");
    auto const client_secret = text_of("clientSecret");
    auto const registration = text_of("registrationExpiresAt");
    if (!refresh || !client_id || !client_secret || !registration)
        return std::nullopt;  // nothing to refresh with (`why` stays empty: not a failure)
    auto const registered_until = crowd::detail::parse_iso8601_utc(*registration);
    if (!registered_until || *registered_until <= context_.now()) {
        why = "the client registration of the cached token has expired";
        return std::nullopt;
    }
    auto where = resolve_service_endpoint("SSO_OIDC", "oidc", settings_.region, context_.env, nullptr,
                                          &options_.selected_profile);
    if (!where) {
        why = std::string(where.error().detail());
        return std::nullopt;
    }
    std::string body = "{\"grantType\":\"refresh_token\",\"clientId\":";
    crowd::detail::append_json_string(body, *client_id);
    body += ",\"clientSecret\":";
    crowd::detail::append_json_string(body, *client_secret);
    body += ",\"refreshToken\":";
    crowd::detail::append_json_string(body, *refresh);
    body += "}";
    fetch_request request{*where, {}, options_.timeout};
    request.message.method = http_method::post;
    request.message.target = (where->base_path.empty() ? std::string() : where->base_path) + "/token";
    request.message.fields.add("Host", where->host_header());
    request.message.fields.add("Content-Type", "application/json");
    request.message.fields.add("Accept", "application/json");
    request.message.body = std::move(body);
    auto const answer = detail::fetch_with_retries(context_, request, options_.max_attempts, true);
    if (!answer) {
        why = "SSO-OIDC at " + where->url() + " cannot be reached: " + answer.error().what();
        return std::nullopt;
    }
    boost::system::error_code ec;
    auto const doc = boost::json::parse(answer->body, ec);
    auto const* o = !ec ? doc.if_object() : nullptr;
    if (answer->status != 200 || !o) {
        std::string code;
        if (o && o->if_contains("error") && o->at("error").is_string())
            code = " " + std::string(o->at("error").get_string());
        why = "SSO-OIDC CreateToken answered " + std::to_string(answer->status) + code;
        return std::nullopt;
    }
    auto const* access = o->if_contains("accessToken");
    auto const* expires_in = o->if_contains("expiresIn");
    std::int64_t seconds = 0;
    if (expires_in && expires_in->is_number())
        seconds = expires_in->to_number<std::int64_t>(ec);
    if (!access || !access->is_string() || access->get_string().empty() || ec || seconds <= 0 || seconds > 7 * 86400) {
        why = "SSO-OIDC CreateToken's answer lacks accessToken and expiresIn (1 s to 7 days)";
        return std::nullopt;
    }
    auto const expires = std::chrono::floor<std::chrono::seconds>(context_.now()) + std::chrono::seconds(seconds);
    // Written back as botocore writes it, so `aws` and crowd share the refreshed token.
    auto const* new_refresh = o->if_contains("refreshToken");
    std::string out = "{\"startUrl\":";
    crowd::detail::append_json_string(out, settings_.start_url);
    out += ",\"region\":";
    crowd::detail::append_json_string(out, settings_.region);
    out += ",\"accessToken\":";
    crowd::detail::append_json_string(out, access->get_string());
    out += ",\"expiresAt\":\"" + crowd::detail::format_iso8601_utc(expires) + "\",\"clientId\":";
    crowd::detail::append_json_string(out, *client_id);
    out += ",\"clientSecret\":";
    crowd::detail::append_json_string(out, *client_secret);
    out += ",\"registrationExpiresAt\":";
    crowd::detail::append_json_string(out, *registration);
    out += ",\"refreshToken\":";
    crowd::detail::append_json_string(out, new_refresh && new_refresh->is_string() ? std::string_view(new_refresh->get_string())
                                                                                   : std::string_view(*refresh));
    out += "}";
    auto const folder = file.substr(0, file.rfind('/'));
    if (auto written = detail::write_private_file(folder, file, out); !written)
        why = "the refreshed token could not be written back: " + std::string(written.error().detail());
    return std::pair{std::string(access->get_string()), std::chrono::system_clock::time_point(expires)};
}

MTURK_CROWD_DECL auto sso_credentials_provider::get() const -> result<sigv4::credentials>
{
    auto file = token_file();
    if (!file)
        return file.error();
    std::string const login = settings_.session_name ? "aws sso login --sso-session " + *settings_.session_name
                                                     : std::string("aws sso login");
    std::ifstream in(*file, std::ios::binary);
    if (!in)
        return error(errc::credentials_not_found, "failed to read `" + *file +
                                                      "` (No such file or directory?): no SSO token is cached; run `" +
                                                      login + "`");
    std::string const text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    boost::system::error_code ec;
    auto const doc = boost::json::parse(text, ec);
    auto const* object = !ec ? doc.if_object() : nullptr;
    auto const* token = object ? object->if_contains("accessToken") : nullptr;
    auto const* expires = object ? object->if_contains("expiresAt") : nullptr;
    if (!token || !token->is_string() || !expires || !expires->is_string())
        return error(errc::credentials_answer_invalid,
                     *file + " is not an SSO token cache (a JSON object with accessToken and expiresAt)");
    auto const expiry = crowd::detail::parse_iso8601_utc(expires->get_string());
    if (!expiry)
        return error(errc::credentials_answer_invalid, *file + ": expiresAt is not an ISO 8601 UTC time");
    std::string access_token(token->get_string());
    // A session's token near its expiry is refreshed first (botocore's rules); a legacy
    // profile's (sso_start_url alone) has no refresh token, as `aws sso login` makes it.
    std::string refresh_failed;
    if (settings_.session_name && *expiry - options_.refresh_window <= context_.now()) {
        if (auto fresh = refresh_token(*object, *file, refresh_failed)) {
            access_token = std::move(fresh->first);
        } else if (*expiry <= context_.now()) {
            return error(errc::credentials_refused,
                         "the SSO token in " + *file + " has expired" +
                             (refresh_failed.empty() ? std::string() : " and refreshing it failed (" + refresh_failed + ")") +
                             "; run `" + login + "`");
        }
    } else if (*expiry <= context_.now()) {
        return error(errc::credentials_refused, "the SSO token in " + *file + " has expired; run `" + login + "`");
    }

    auto where = resolve_service_endpoint("SSO", "portal.sso", settings_.region, context_.env, nullptr,
                                          &options_.selected_profile);
    if (!where)
        return where.error();
    if (!context_.fetch)
        return error(errc::credentials_not_found,
                     "the SSO portal was not asked: no HTTP client was given (network_context::fetch)");
    fetch_request request{*where, {}, options_.timeout};
    request.message.method = http_method::get;
    request.message.target = (where->base_path.empty() ? std::string() : where->base_path) +
                             "/federation/credentials?account_id=";
    sigv4::detail::string_sink sink{request.message.target};
    sigv4::detail::uri_encode(sink, settings_.account_id, false);
    request.message.target += "&role_name=";
    sigv4::detail::uri_encode(sink, settings_.role_name, false);
    request.message.fields.add("Host", where->host_header());
    request.message.fields.add("x-amz-sso_bearer_token", access_token);
    request.message.fields.add("Accept", "application/json");

    auto const answer = detail::fetch_with_retries(context_, request, options_.max_attempts, true);
    std::string const portal = "the SSO portal " + where->url();
    if (!answer)
        return error(errc::credentials_service_failed, portal + " cannot be reached: " + answer.error().what());
    if (answer->status >= 500 || answer->status == 429)
        return error(errc::credentials_service_failed,
                     "an error occurred while loading credentials: " + portal + " answered " +
                         std::to_string(answer->status));
    if (answer->status == 401 || answer->status == 403)
        return error(errc::credentials_refused, portal + " refused the cached token (" +
                                                    std::to_string(answer->status) + "); run `" + login + "`");
    if (answer->status != 200)
        return error(errc::credentials_refused, portal + " answered " + std::to_string(answer->status) +
                                                    " for account " + settings_.account_id + ", role " +
                                                    settings_.role_name);
    auto const body = boost::json::parse(answer->body, ec);
    auto const* role = !ec && body.is_object() ? body.get_object().if_contains("roleCredentials") : nullptr;
    auto const* creds = role ? role->if_object() : nullptr;
    auto string_of = [&](char const* key) -> std::string {
        auto const* v = creds ? creds->if_contains(key) : nullptr;
        return v && v->is_string() ? std::string(v->get_string()) : std::string();
    };
    auto const* expiration = creds ? creds->if_contains("expiration") : nullptr;
    if (!creds || !expiration || !expiration->is_number())
        return error(errc::credentials_answer_invalid,
                     portal + ": the answer lacks roleCredentials with accessKeyId, secretAccessKey, sessionToken and "
                              "expiration");
    auto const ms = expiration->to_number<std::int64_t>(ec);
    // Milliseconds since 1970 that the system clock can hold (years 1970 to 2200): a larger
    // number overflowed its nanoseconds (found by fuzzing).
    constexpr std::int64_t latest_ms = 7'258'118'400'000;  // 2200-01-01T00:00:00Z
    if (ec || ms < 0 || ms > latest_ms)
        return error(errc::credentials_answer_invalid,
                     portal + ": expiration is not a time in milliseconds since 1970 (up to the year 2200)");
    auto made = sigv4::credentials::make(string_of("accessKeyId"), string_of("secretAccessKey"), string_of("sessionToken"),
                                  sigv4::credentials::time_point(std::chrono::milliseconds(ms)));
    if (!made)
        return error(errc::credentials_answer_invalid, portal + ": " + std::string(made.error().detail()));
    return made->with_account_id(settings_.account_id);
}

}  // namespace mturk::crowd

#endif
