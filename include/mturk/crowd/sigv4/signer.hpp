// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_SIGV4_SIGNER_HPP
#define MTURK_CROWD_SIGV4_SIGNER_HPP

#include <mturk/crowd/detail/small_vector.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/http_message.hpp>
#include <mturk/crowd/sigv4/canonical.hpp>
#include <mturk/crowd/sigv4/credentials.hpp>
#include <mturk/crowd/sigv4/detail/sha256.hpp>

#include <openssl/crypto.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

namespace mturk::crowd::sigv4 {

/// Headers that are sent but not signed by default: proxies and SDK layers change them
/// (the same list botocore keeps). `Authorization` is never signed.
inline constexpr std::string_view default_unsigned_headers[] = {"user-agent", "expect", "x-amzn-trace-id"};

/** How to sign one request. */
struct signing_params {
    std::string_view region;                   ///< "us-east-1"
    std::string_view service;                  ///< "crowd" for this API
    std::chrono::sys_seconds time;             ///< the signing time (UTC); X-Amz-Date and the scope date
    bool normalize_path = true;                ///< remove "." / ".." / empty segments from the canonical URI
    bool add_content_sha256_header = false;    ///< send and sign `x-amz-content-sha256` (S3-style services)
    bool sign_session_token = true;            ///< false: add the token after signing, unsigned (a few services want that)
    std::string_view payload_hash = {};        ///< the body's hex SHA-256 when already known (a retried PUT), else hashed here
    std::span<std::string_view const> unsigned_headers = default_unsigned_headers;  ///< lower-case names
};

/// What a signature was computed from, for a human debugging one ("signature does not match").
struct signature_details {
    std::string canonical_request;
    std::string string_to_sign;
    std::string signature;
};

/** Signs requests with AWS Signature Version 4 (AWS4-HMAC-SHA256).

    The canonical request is streamed into SHA-256 rather than built as a string, the
    derived signing key is cached per (secret, date, region, service), and a payload hash
    the caller already has is reused; once warm, re-signing a request allocates nothing.

    A signer is not thread-safe (it owns a hashing context and the key cache); give each
    thread or client its own.

    @code
    sigv4::signer signer;
    request.fields.set("Host", "crowd.us-east-1.amazonaws.com");
    auto signed_ok = signer.sign(request, credentials,
        {.region = "us-east-1", .service = "crowd", .time = std::chrono::floor<std::chrono::seconds>(now)});
    @endcode

    Specification: AWS General Reference, "Signature Version 4 signing process".
*/
class signer {
public:
    /// The lower-case hex SHA-256 of `body`, to pass as `signing_params::payload_hash`
    /// on every attempt of the same request.
    std::string payload_hash(std::string_view body)
    {
        detail::digest d;
        std::string hex(64, '\0');
        if (hasher_.hash(body, d))
            detail::to_hex(d, hex.data());
        else
            hex.clear();
        return hex;
    }

    /** Signs `request` in place with headers: sets `X-Amz-Date`, `X-Amz-Security-Token`
        (temporary credentials), `x-amz-content-sha256` (when asked) and `Authorization`,
        replacing earlier values, so a request can be signed again for a retry.

        Every header present is signed except `Authorization` and `params.unsigned_headers`.
        Errors: `errc::invalid_request` (no `Host`, a target that does not start with '/',
        a payload hash that is not 64 hex digits), `errc::signing_failed` (libcrypto).
    */
    result<void> sign(http_request& request, credentials const& creds, signing_params const& params,
                      signature_details* details = nullptr)
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

    /** Presigns `request` for `expires` (1 s to 7 days): the signature goes into the query
        string (`X-Amz-Algorithm`, `-Credential`, `-Date`, `-SignedHeaders`, `-Expires`,
        `-Security-Token`, `-Signature`, appended to `request.target` in that order), and
        the headers are left as they are. Errors as `sign`, and `errc::invalid_request`
        for an expiry out of range.
    */
    result<void> presign(http_request& request, credentials const& creds, signing_params const& params,
                         std::chrono::seconds expires, signature_details* details = nullptr)
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

    /// Forgets every cached signing key and wipes the secrets kept to match them; call it
    /// when credentials are revoked. The next signature derives its key again.
    void clear_key_cache() noexcept
    {
        for (auto& entry : cache_)
            wipe(entry);
    }

private:
    using headers_type = crowd::detail::small_vector<header_ref, 24>;

    /// Text of up to N characters on the stack; longer text spills to the heap, so an
    /// unusual request still signs, just not allocation-free.
    template <std::size_t N>
    class text_buffer {
    public:
        void put(char c)
        {
            if (size_ < N)
                inline_[size_] = c;
            else
                spill().push_back(c);
            ++size_;
        }
        void write(std::string_view s)
        {
            if (size_ + s.size() <= N) {
                std::memcpy(inline_ + size_, s.data(), s.size());
            } else {
                spill().append(s);
            }
            size_ += s.size();
        }
        std::string_view view() const noexcept
        {
            return size_ <= N ? std::string_view(inline_, size_) : std::string_view(heap_);
        }

    private:
        std::string& spill()
        {
            if (heap_.empty())
                heap_.assign(inline_, std::min(size_, N));
            return heap_;
        }
        char inline_[N];
        std::size_t size_ = 0;
        std::string heap_;
    };

    /// Feeds SHA-256 in chunks (one EVP call per few hundred bytes, not per character),
    /// and a string too when the caller asked to see the canonical request.
    class canonical_sink {
    public:
        canonical_sink(detail::sha256& hash, std::string* copy) noexcept : hash_(hash), copy_(copy) {}
        void put(char c)
        {
            if (used_ == sizeof buffer_)
                flush();
            buffer_[used_++] = c;
        }
        void write(std::string_view s)
        {
            if (s.size() > sizeof buffer_ - used_) {
                flush();
                if (s.size() >= sizeof buffer_) {
                    emit(s);
                    return;
                }
            }
            std::memcpy(buffer_ + used_, s.data(), s.size());
            used_ += s.size();
        }
        void flush()
        {
            emit({buffer_, used_});
            used_ = 0;
        }

    private:
        void emit(std::string_view s)
        {
            hash_.update(s);
            if (copy_)
                copy_->append(s);
        }
        detail::sha256& hash_;
        std::string* copy_;
        char buffer_[512];
        std::size_t used_ = 0;
    };

    struct cached_key {
        std::string secret;  // compared, never printed; wiped when replaced or destroyed
        char date[8] = {};
        std::string region;
        std::string service;
        detail::digest key{};
        bool valid = false;
    };

    static void wipe(cached_key& entry) noexcept
    {
        OPENSSL_cleanse(entry.key.data(), entry.key.size());
        if (!entry.secret.empty())
            OPENSSL_cleanse(entry.secret.data(), entry.secret.size());
        entry.secret.clear();
        entry.valid = false;
    }

    static result<void> check(http_request const& request, signing_params const& params)
    {
        if (request.target.empty() || request.target.front() != '/')
            return error(errc::invalid_request, "the target must be in origin form, starting with '/'");
        if (!request.fields.contains("Host"))
            return error(errc::invalid_request, "the request has no Host header, which SigV4 signs");
        if (params.region.empty() || params.service.empty())
            return error(errc::invalid_request, "signing needs a region and a service name");
        return {};
    }

    result<void> resolve_payload_hash(http_request const& request, signing_params const& params, char* out)
    {
        if (!params.payload_hash.empty()) {
            if (params.payload_hash.size() != 64 ||
                params.payload_hash.find_first_not_of("0123456789abcdef") != std::string_view::npos)
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

    static void collect_headers(http_request const& request, signing_params const& params, bool skip_token,
                                headers_type& out)
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

    template <class Sink>
    static void write_request_line_parts(Sink& sink, http_request const& request, signing_params const& params,
                                         std::vector<query_parameter> extra_query)
    {
        sink.write(to_string(request.method));
        sink.put('\n');
        write_canonical_uri(sink, detail::target_path(request.target), params.normalize_path);
        sink.put('\n');
        std::string_view const query = detail::target_query(request.target);
        if (!query.empty() || !extra_query.empty()) {
            auto params_list = parse_query(query);
            for (auto& p : extra_query)
                params_list.push_back(std::move(p));
            write_canonical_query(sink, std::move(params_list));
        }
        sink.put('\n');
    }

    /// The inputs every signature starts from: the checked request, X-Amz-Date, the payload hash.
    struct prepared {
        char amz_date[16];
        char body_hash[64];
        std::string_view date_time() const noexcept { return {amz_date, 16}; }
        std::string_view payload() const noexcept { return {body_hash, 64}; }
    };

    result<void> prepare(http_request const& request, signing_params const& params, prepared& out)
    {
        if (auto checked = check(request, params); !checked)
            return checked;
        format_amz_date(params.time, out.amz_date);
        return resolve_payload_hash(request, params, out.body_hash);
    }

    /// `<date>/<region>/<service>/aws4_request`
    template <class Sink>
    static void write_scope(Sink& out, std::string_view date_time, signing_params const& params)
    {
        out.write(date_time.substr(0, 8));
        out.put('/');
        out.write(params.region);
        out.put('/');
        out.write(params.service);
        out.write("/aws4_request");
    }

    /// Streams the canonical request into SHA-256 (and into `details`, when given).
    result<void> hash_canonical_request(http_request const& request, signing_params const& params,
                                        headers_type const& headers, std::string_view signed_headers,
                                        std::string_view payload, std::vector<query_parameter> extra_query,
                                        signature_details* details, detail::digest& out)
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

    result<void> compute_signature(credentials const& creds, signing_params const& params, std::string_view date_time,
                                   detail::digest const& canonical_hash, text_buffer<160>& scope, char* signature,
                                   signature_details* details)
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

    /// The derived key for (secret, date, region, service): from the cache, or derived and
    /// cached in the least recently filled slot.
    detail::digest const* signing_key(std::string_view secret, std::string_view date, signing_params const& params)
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

    static void format_amz_date(std::chrono::sys_seconds time, char* out) noexcept
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

    detail::sha256 hasher_;
    std::array<cached_key, 4> cache_;
    std::size_t next_slot_ = 0;

public:
    signer() = default;
    signer(signer&&) noexcept = default;
    signer& operator=(signer&&) noexcept = default;
    ~signer() { clear_key_cache(); }
};

}  // namespace mturk::crowd::sigv4

#endif
