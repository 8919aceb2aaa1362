// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_SIGV4_SIGNER_HPP
#define MTURK_CROWD_SIGV4_SIGNER_HPP

#include <mturk/crowd/detail/small_vector.hpp>
#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/http_message.hpp>
#include <mturk/crowd/sigv4/canonical.hpp>
#include <mturk/crowd/sigv4/credentials.hpp>
#include <mturk/crowd/sigv4/detail/sha256.hpp>

#include <openssl/crypto.h>

#include <algorithm>
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
    MTURK_CROWD_DECL std::string payload_hash(std::string_view body);

    /// The same into a buffer of the caller's (no allocation); false when hashing failed.
    MTURK_CROWD_DECL bool payload_hash(std::string_view body, std::array<char, 64>& hex);

    /** Signs `request` in place with headers: sets `X-Amz-Date`, `X-Amz-Security-Token`
        (temporary credentials), `x-amz-content-sha256` (when asked) and `Authorization`,
        replacing earlier values, so a request can be signed again for a retry.

        Every header present is signed except `Authorization` and `params.unsigned_headers`.
        Errors: `errc::invalid_request` (no `Host`, a target that does not start with '/',
        a payload hash that is not 64 hex digits), `errc::signing_failed` (libcrypto).
    */
    MTURK_CROWD_DECL result<void> sign(http_request& request, credentials const& creds, signing_params const& params, signature_details* details = nullptr);

    /** Presigns `request` for `expires` (1 s to 7 days): the signature goes into the query
        string (`X-Amz-Algorithm`, `-Credential`, `-Date`, `-SignedHeaders`, `-Expires`,
        `-Security-Token`, `-Signature`, appended to `request.target` in that order), and
        the headers are left as they are. Errors as `sign`, and `errc::invalid_request`
        for an expiry out of range.
    */
    MTURK_CROWD_DECL result<void> presign(http_request& request, credentials const& creds, signing_params const& params, std::chrono::seconds expires, signature_details* details = nullptr);

    /// Forgets every cached signing key and wipes the secrets kept to match them; call it
    /// when credentials are revoked. The next signature derives its key again.
    MTURK_CROWD_DECL void clear_key_cache() noexcept;

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
            if (s.empty())  // a default view's data is null, which memcpy must not be given
                return;
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
            if (!s.empty())  // a default view's data is null, which memcpy must not be given
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

    MTURK_CROWD_DECL static void wipe(cached_key& entry) noexcept;

    MTURK_CROWD_DECL static result<void> check(http_request const& request, signing_params const& params);

    MTURK_CROWD_DECL result<void> resolve_payload_hash(http_request const& request, signing_params const& params, char* out);

    MTURK_CROWD_DECL static void collect_headers(http_request const& request, signing_params const& params, bool skip_token, headers_type& out);

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

    MTURK_CROWD_DECL result<void> prepare(http_request const& request, signing_params const& params, prepared& out);

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
    MTURK_CROWD_DECL result<void> hash_canonical_request(http_request const& request, signing_params const& params, headers_type const& headers, std::string_view signed_headers, std::string_view payload, std::vector<query_parameter> extra_query, signature_details* details, detail::digest& out);

    MTURK_CROWD_DECL result<void> compute_signature(credentials const& creds, signing_params const& params, std::string_view date_time, detail::digest const& canonical_hash, text_buffer<160>& scope, char* signature, signature_details* details);

    /// The derived key for (secret, date, region, service): from the cache, or derived and
    /// cached in the least recently filled slot.
    MTURK_CROWD_DECL detail::digest const* signing_key(std::string_view secret, std::string_view date, signing_params const& params);

    MTURK_CROWD_DECL static void format_amz_date(std::chrono::sys_seconds time, char* out) noexcept;

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

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/sigv4/impl/signer.ipp>
#endif

#endif
