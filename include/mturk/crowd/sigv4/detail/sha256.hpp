// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_SIGV4_DETAIL_SHA256_HPP
#define MTURK_CROWD_SIGV4_DETAIL_SHA256_HPP

#include <boost/throw_exception.hpp>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>

#include <array>
#include <cstddef>
#include <cstring>
#include <new>
#include <span>
#include <string_view>
#include <utility>

namespace mturk::crowd::sigv4::detail {

using digest = std::array<unsigned char, 32>;

/// SHA-256, fetched once: OpenSSL 3 looks the algorithm up in its providers on every
/// one-shot call (EVP_Q_digest, SHA256(), HMAC()), which costs more than hashing a
/// request. Thread-safe: a function-local static.
inline EVP_MD const* sha256_algorithm() noexcept
{
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
    return md;
#else
    return EVP_sha256();
#endif
}

/** A SHA-256 context that is reused: init, update, finish, again, without allocating
    once created. Not thread-safe; each signer owns one. */
class sha256 {
public:
    sha256() : ctx_(EVP_MD_CTX_new())
    {
        if (!ctx_)  // libcrypto's allocation failed: as new's would (a handler of yours without exceptions)
            boost::throw_exception(std::bad_alloc());
    }
    ~sha256() { EVP_MD_CTX_free(ctx_); }
    sha256(sha256&& other) noexcept : ctx_(std::exchange(other.ctx_, nullptr)) {}
    sha256& operator=(sha256&& other) noexcept
    {
        std::swap(ctx_, other.ctx_);
        return *this;
    }
    sha256(sha256 const&) = delete;
    sha256& operator=(sha256 const&) = delete;

    /// False only when libcrypto itself fails (no SHA-256 provider): callers report it.
    [[nodiscard]] bool init() noexcept { return EVP_DigestInit_ex(ctx_, sha256_algorithm(), nullptr) == 1; }
    void update(void const* data, std::size_t size) noexcept { EVP_DigestUpdate(ctx_, data, size); }
    void update(std::string_view text) noexcept { update(text.data(), text.size()); }
    [[nodiscard]] bool finish(digest& out) noexcept
    {
        unsigned size = 0;
        return EVP_DigestFinal_ex(ctx_, out.data(), &size) == 1 && size == out.size();
    }

    [[nodiscard]] bool hash(std::string_view text, digest& out) noexcept
    {
        if (!init())
            return false;
        update(text);
        return finish(out);
    }

private:
    EVP_MD_CTX* ctx_;
};

/// Zeroes key material. memset alone may be removed as a dead store; the empty asm
/// that "reads" the memory keeps it. (OPENSSL_cleanse does the same through a volatile
/// pointer, byte by byte, which costs more than the HMAC's own arithmetic here.)
inline void secure_zero(void* p, std::size_t n) noexcept
{
#if defined(__GNUC__) || defined(__clang__)
    std::memset(p, 0, n);
    __asm__ __volatile__("" : : "r"(p) : "memory");
#else
    OPENSSL_cleanse(p, n);
#endif
}

/// HMAC-SHA256 (RFC 2104) over the reused context: the same two passes OpenSSL's HMAC
/// makes, without its per-call algorithm fetch and allocation.
[[nodiscard]] inline bool hmac_sha256(sha256& h, std::span<unsigned char const> key, std::string_view message,
                                      digest& out) noexcept
{
    constexpr std::size_t block = 64;
    unsigned char pad[block] = {};
    if (key.size() > block) {
        digest hashed;
        if (!h.init())
            return false;
        h.update(key.data(), key.size());
        if (!h.finish(hashed))
            return false;
        std::memcpy(pad, hashed.data(), hashed.size());
    } else if (!key.empty()) {  // an empty key's data may be null, which memcpy must not be given
        std::memcpy(pad, key.data(), key.size());
    }
    for (auto& b : pad)
        b ^= 0x36;
    digest inner;
    if (!h.init())
        return false;
    h.update(pad, block);
    h.update(message);
    if (!h.finish(inner))
        return false;
    for (auto& b : pad)
        b ^= 0x36 ^ 0x5c;
    if (!h.init())
        return false;
    h.update(pad, block);
    h.update(inner.data(), inner.size());
    bool const ok = h.finish(out);
    secure_zero(pad, sizeof pad);
    return ok;
}

/// Lower-case hex of a digest into exactly 64 characters.
inline void to_hex(digest const& d, char* out) noexcept
{
    constexpr char digits[] = "0123456789abcdef";
    for (std::size_t i = 0; i != d.size(); ++i) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 0x0f];
    }
}

}  // namespace mturk::crowd::sigv4::detail

#endif
