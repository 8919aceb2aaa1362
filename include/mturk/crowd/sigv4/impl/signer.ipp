// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_SIGV4_IMPL_SIGNER_IPP
#define MTURK_CROWD_SIGV4_IMPL_SIGNER_IPP

#include <mturk/crowd/sigv4/signer.hpp>

namespace mturk::crowd::sigv4 {

MTURK_CROWD_DECL auto signer::payload_hash(std::string_view body) -> std::string
{
    std::array<char, 64> hex;
    if (!payload_hash(body, hex))
        return {};
    return std::string(hex.data(), hex.size());
}

MTURK_CROWD_DECL auto signer::payload_hash(std::string_view body, std::array<char, 64>& hex) -> bool
{
    // Every GET and DELETE: SHA-256 of nothing, known in advance (the test suites' GETs
    // check it).
    constexpr std::string_view empty_body_hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    if (body.empty()) {
        std::memcpy(hex.data(), empty_body_hash.data(), hex.size());
        return true;
    }
    detail::digest d;
    if (!hasher_.hash(body, d))
        return false;
    detail::to_hex(d, hex.data());
    return true;
}

MTURK_CROWD_DECL auto signer::sign(http_request& request, credentials const& creds, signing_params const& params, signature_details* details) -> result<void>
{
    prepared p;
    if (auto ready = prepare(request, params, p); !ready)
        return ready;
    std::string_view const date_time = p.date_time();
    std::string_view const payload = p.payload();

    bool const has_token = !creds.session_token().empty();
    request.fields.set("X-Amz-Date", date_time);
    if (has_token)
        request.fields.set("X-Amz-Security-Token", creds.session_token().reveal());
    if (params.add_content_sha256_header)
        request.fields.set("x-amz-content-sha256", payload);
    // A stale Authorization must not survive a failed attempt; on success it is
    // overwritten in place (no allocation when re-signing).
    auto fail = [&request](error e) -> result<void> {
        request.fields.erase("Authorization");
        return e;
    };

    headers_type headers;
    collect_headers(request, params, has_token && !params.sign_session_token, headers);
    text_buffer<512> signed_headers;
    write_signed_headers(signed_headers, headers);

    detail::digest canonical_hash;
    if (auto hashed = hash_canonical_request(request, params, headers, signed_headers.view(), payload, {}, details,
                                             canonical_hash);
        !hashed)
        return fail(hashed.error());

    char signature[64];
    text_buffer<160> scope;
    if (auto signed_ok = compute_signature(creds, params, date_time, canonical_hash, scope, signature, details);
        !signed_ok)
        return fail(signed_ok.error());

    text_buffer<512> authorization;
    authorization.write("AWS4-HMAC-SHA256 Credential=");
    authorization.write(creds.access_key_id());
    authorization.put('/');
    authorization.write(scope.view());
    authorization.write(", SignedHeaders=");
    authorization.write(signed_headers.view());
    authorization.write(", Signature=");
    authorization.write({signature, 64});
    request.fields.set("Authorization", authorization.view());
    return {};
}

MTURK_CROWD_DECL auto signer::presign(http_request& request, credentials const& creds, signing_params const& params, std::chrono::seconds expires, signature_details* details) -> result<void>
{
    if (expires < std::chrono::seconds(1) || expires > std::chrono::hours(24 * 7))
        return error(errc::invalid_request, "a presigned request expires after 1 s to 7 days");
    prepared p;
    if (auto ready = prepare(request, params, p); !ready)
        return ready;
    std::string_view const date_time = p.date_time();

    headers_type headers;
    collect_headers(request, params, false, headers);
    std::string signed_headers;
    detail::string_sink signed_sink{signed_headers};
    write_signed_headers(signed_sink, headers);

    std::string credential(creds.access_key_id());
    credential += '/';
    detail::string_sink credential_sink{credential};
    write_scope(credential_sink, date_time, params);
    std::string const expires_text = std::to_string(expires.count());
    bool const has_token = !creds.session_token().empty();

    std::vector<query_parameter> added = {
        {"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
        {"X-Amz-Credential", detail::encoded(credential)},
        {"X-Amz-Date", std::string(date_time)},
        {"X-Amz-SignedHeaders", detail::encoded(signed_headers)},
        {"X-Amz-Expires", expires_text},
    };
    if (has_token)
        added.push_back({"X-Amz-Security-Token", detail::encoded(creds.session_token().reveal())});

    auto signed_params = added;
    if (has_token && !params.sign_session_token)
        signed_params.pop_back();  // an unsigned token joins the query after signing
    detail::digest canonical_hash;
    if (auto hashed = hash_canonical_request(request, params, headers, signed_headers, p.payload(),
                                             std::move(signed_params), details, canonical_hash);
        !hashed)
        return hashed;
    char signature[64];
    text_buffer<160> scope_buffer;
    if (auto signed_ok =
            compute_signature(creds, params, date_time, canonical_hash, scope_buffer, signature, details);
        !signed_ok)
        return signed_ok;

    std::string& target = request.target;
    target += target.find('?') == std::string::npos ? '?' : '&';
    // The order of the aws-c-auth suite's presigned requests.
    for (auto const* name : {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders",
                             "X-Amz-Expires", "X-Amz-Security-Token"}) {
        for (auto const& p : added) {
            if (p.key == name) {
                target += p.key;
                target += '=';
                target += p.value;
                target += '&';
            }
        }
    }
    target += "X-Amz-Signature=";
    target.append(signature, 64);
    return {};
}

MTURK_CROWD_DECL auto signer::clear_key_cache() noexcept -> void
{
    for (auto& entry : cache_)
        wipe(entry);
}

MTURK_CROWD_DECL auto signer::wipe(cached_key& entry) noexcept -> void
{
    OPENSSL_cleanse(entry.key.data(), entry.key.size());
    if (!entry.secret.empty())
        OPENSSL_cleanse(entry.secret.data(), entry.secret.size());
    entry.secret.clear();
    entry.valid = false;
}

MTURK_CROWD_DECL auto signer::check(http_request const& request, signing_params const& params) -> result<void>
{
    if (request.target.empty() || request.target.front() != '/')
        return error(errc::invalid_request, "the target must be in origin form, starting with '/'");
    if (!request.fields.contains("Host"))
        return error(errc::invalid_request, "the request has no Host header, which SigV4 signs");
    if (params.region.empty() || params.service.empty())
        return error(errc::invalid_request, "signing needs a region and a service name");
    return {};
}

MTURK_CROWD_DECL auto signer::resolve_payload_hash(http_request const& request, signing_params const& params, char* out) -> result<void>
{
    if (!params.payload_hash.empty()) {
        // A loop, not find_first_not_of: that asks memchr about each of the 64 characters.
        bool const hex = params.payload_hash.size() == 64 &&
                         std::all_of(params.payload_hash.begin(), params.payload_hash.end(),
                                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
        if (!hex)
            return error(errc::invalid_request, "payload_hash must be 64 lower-case hex digits");
        std::memcpy(out, params.payload_hash.data(), 64);
        return {};
    }
    detail::digest d;
    if (!hasher_.hash(request.body, d))
        return error(errc::signing_failed, "SHA-256 of the body failed");
    detail::to_hex(d, out);
    return {};
}

MTURK_CROWD_DECL auto signer::collect_headers(http_request const& request, signing_params const& params, bool skip_token, headers_type& out) -> void
{
    for (auto const& f : request.fields) {
        if (crowd::detail::iequals(f.name, "authorization"))
            continue;
        if (skip_token && crowd::detail::iequals(f.name, "x-amz-security-token"))
            continue;
        bool excluded = false;
        for (auto name : params.unsigned_headers)
            excluded = excluded || crowd::detail::iequals(f.name, name);
        if (!excluded)
            out.push_back({f.name, f.value});
    }
    sort_headers(out);
}

MTURK_CROWD_DECL auto signer::prepare(http_request const& request, signing_params const& params, prepared& out) -> result<void>
{
    if (auto checked = check(request, params); !checked)
        return checked;
    format_amz_date(params.time, out.amz_date);
    return resolve_payload_hash(request, params, out.body_hash);
}

MTURK_CROWD_DECL auto signer::hash_canonical_request(http_request const& request, signing_params const& params, headers_type const& headers, std::string_view signed_headers, std::string_view payload, std::vector<query_parameter> extra_query, signature_details* details, detail::digest& out) -> result<void>
{
    if (details)
        details->canonical_request.clear();
    canonical_sink sink(hasher_, details ? &details->canonical_request : nullptr);
    if (!hasher_.init())
        return error(errc::signing_failed, "SHA-256 could not be initialised");
    write_request_line_parts(sink, request, params, std::move(extra_query));
    write_canonical_headers(sink, headers);
    sink.put('\n');
    sink.write(signed_headers);
    sink.put('\n');
    sink.write(payload);
    sink.flush();
    if (!hasher_.finish(out))
        return error(errc::signing_failed, "SHA-256 of the canonical request failed");
    return {};
}

MTURK_CROWD_DECL auto signer::compute_signature(credentials const& creds, signing_params const& params, std::string_view date_time, detail::digest const& canonical_hash, text_buffer<160>& scope, char* signature, signature_details* details) -> result<void>
{
    write_scope(scope, date_time, params);

    text_buffer<256> string_to_sign;
    string_to_sign.write("AWS4-HMAC-SHA256\n");
    string_to_sign.write(date_time);
    string_to_sign.put('\n');
    string_to_sign.write(scope.view());
    string_to_sign.put('\n');
    char hex[64];
    detail::to_hex(canonical_hash, hex);
    string_to_sign.write({hex, 64});

    detail::digest const* key = signing_key(creds.secret_access_key().reveal(), date_time.substr(0, 8), params);
    if (!key)
        return error(errc::signing_failed, "HMAC-SHA256 of the signing key failed");
    detail::digest sig;
    if (!detail::hmac_sha256(hasher_, *key, string_to_sign.view(), sig))
        return error(errc::signing_failed, "HMAC-SHA256 of the string to sign failed");
    detail::to_hex(sig, signature);
    if (details) {
        details->string_to_sign.assign(string_to_sign.view());
        details->signature.assign(signature, 64);
    }
    return {};
}

MTURK_CROWD_DECL auto signer::signing_key(std::string_view secret, std::string_view date, signing_params const& params) -> detail::digest const*
{
    for (auto& entry : cache_) {
        if (entry.valid && std::string_view(entry.date, 8) == date && entry.region == params.region &&
            entry.service == params.service && entry.secret == secret)
            return &entry.key;
    }
    cached_key& slot = cache_[next_slot_];
    next_slot_ = (next_slot_ + 1) % cache_.size();
    wipe(slot);
    slot.secret.assign(secret);
    std::memcpy(slot.date, date.data(), 8);
    slot.region.assign(params.region);
    slot.service.assign(params.service);

    std::string k_secret = "AWS4";
    k_secret += secret;
    auto const* bytes = reinterpret_cast<unsigned char const*>(k_secret.data());
    detail::digest k_date, k_region, k_service;
    bool const ok = detail::hmac_sha256(hasher_, {bytes, k_secret.size()}, date, k_date) &&
                    detail::hmac_sha256(hasher_, k_date, params.region, k_region) &&
                    detail::hmac_sha256(hasher_, k_region, params.service, k_service) &&
                    detail::hmac_sha256(hasher_, k_service, "aws4_request", slot.key);
    OPENSSL_cleanse(k_secret.data(), k_secret.size());
    if (!ok)
        return nullptr;
    slot.valid = true;
    return &slot.key;
}

MTURK_CROWD_DECL auto signer::format_amz_date(std::chrono::sys_seconds time, char* out) noexcept -> void
{
    auto const days = std::chrono::floor<std::chrono::days>(time);
    std::chrono::year_month_day const ymd{days};
    std::chrono::hh_mm_ss const hms{time - days};
    auto put = [&](int value, int width, int at) {
        for (int i = width - 1; i >= 0; --i) {
            out[at + i] = static_cast<char>('0' + value % 10);
            value /= 10;
        }
    };
    put(static_cast<int>(ymd.year()), 4, 0);
    put(static_cast<int>(static_cast<unsigned>(ymd.month())), 2, 4);
    put(static_cast<int>(static_cast<unsigned>(ymd.day())), 2, 6);
    out[8] = 'T';
    put(static_cast<int>(hms.hours().count()), 2, 9);
    put(static_cast<int>(hms.minutes().count()), 2, 11);
    put(static_cast<int>(hms.seconds().count()), 2, 13);
    out[15] = 'Z';
}

}  // namespace mturk::crowd::sigv4

#endif
