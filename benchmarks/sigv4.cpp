// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// crowd-bench-sigv4: what signing a PUT of a 1 KiB JSON body to the crowd API costs,
// beside the floor (only the hashing SigV4 cannot avoid, done with OpenSSL directly),
// in the same run. Heap allocations are counted by replacing the global operator new.
//
// Usage: crowd-bench-sigv4 [--quick]
// Last line: summary: ns_per_sign=<n> floor_ns=<n> ratio=<x> allocs_per_sign=<n>
#include "allocation_counter.hpp"

#include <mturk/crowd/sigv4/signer.hpp>

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <string_view>
#include <vector>


namespace {

namespace crowd = mturk::crowd;
namespace sigv4 = mturk::crowd::sigv4;
using clock_type = std::chrono::steady_clock;

// A benchmark loop must keep its result, or the optimiser may drop the work.
volatile unsigned char sink_byte;

/// Best of `rounds` rounds of `iterations` calls: ns per call. The best round is the one
/// least disturbed by the rest of the machine.
template <class F>
double ns_per_call(F&& f, int iterations, int rounds)
{
    double best = 1e300;
    for (int r = 0; r != rounds; ++r) {
        auto const start = clock_type::now();
        for (int i = 0; i != iterations; ++i)
            f();
        std::chrono::duration<double, std::nano> const elapsed = clock_type::now() - start;
        best = std::min(best, elapsed.count() / iterations);
    }
    return best;
}

std::string json_body_of(std::size_t size)
{
    std::string body = R"({"input":{"text":")";
    std::string const words = "The service was quick and the staff were friendly; we would come back again. ";
    while (body.size() + words.size() + 4 < size)
        body += words;
    body.append(size - body.size() - 4, 'x');
    body += "\"}}";
    body.resize(size - 1);
    body += '}';
    return body;
}

crowd::http_request crowd_put(std::string const& body)
{
    crowd::http_request r;
    r.method = crowd::http_method::put;
    r.target = "/123456789012/functions/sentiment-analysis/tasks/review-2026-11-28.00042";
    r.fields.add("Host", "crowd.us-east-1.amazonaws.com");
    r.fields.add("Content-Type", "application/json");
    r.fields.add("Content-Length", std::to_string(body.size()));
    r.fields.add("User-Agent", "mturk-crowd-cpp/0.1");
    r.body = body;
    return r;
}

/// The floor: SHA-256 of the body, SHA-256 of a buffer as long as the canonical request,
/// one HMAC-SHA256 of a string to sign, with OpenSSL's EVP interfaces used the fast way
/// (algorithms fetched once, contexts reused).
class openssl_floor {
public:
    openssl_floor(std::string body, std::size_t canonical_size, std::size_t string_to_sign_size)
        : body_(std::move(body)), canonical_(canonical_size, 'c'), string_to_sign_(string_to_sign_size, 's'),
          md_(EVP_MD_fetch(nullptr, "SHA2-256", nullptr)), md_ctx_(EVP_MD_CTX_new()),
          mac_(EVP_MAC_fetch(nullptr, "HMAC", nullptr)), mac_ctx_(EVP_MAC_CTX_new(mac_))
    {
        char digest_name[] = "SHA2-256";
        OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                               OSSL_PARAM_construct_end()};
        EVP_MAC_CTX_set_params(mac_ctx_, params);
        std::memset(key_, 0x5a, sizeof key_);
    }
    ~openssl_floor()
    {
        EVP_MAC_CTX_free(mac_ctx_);
        EVP_MAC_free(mac_);
        EVP_MD_CTX_free(md_ctx_);
        EVP_MD_free(md_);
    }

    void run()
    {
        unsigned char out[EVP_MAX_MD_SIZE];
        unsigned size = 0;
        EVP_DigestInit_ex(md_ctx_, md_, nullptr);
        EVP_DigestUpdate(md_ctx_, body_.data(), body_.size());
        EVP_DigestFinal_ex(md_ctx_, out, &size);
        EVP_DigestInit_ex(md_ctx_, md_, nullptr);
        EVP_DigestUpdate(md_ctx_, canonical_.data(), canonical_.size());
        EVP_DigestFinal_ex(md_ctx_, out, &size);
        std::size_t mac_size = 0;
        EVP_MAC_init(mac_ctx_, key_, sizeof key_, nullptr);
        EVP_MAC_update(mac_ctx_, reinterpret_cast<unsigned char const*>(string_to_sign_.data()), string_to_sign_.size());
        EVP_MAC_final(mac_ctx_, out, &mac_size, sizeof out);
        sink_byte = out[0];
    }

private:
    std::string body_;
    std::string canonical_;
    std::string string_to_sign_;
    EVP_MD* md_;
    EVP_MD_CTX* md_ctx_;
    EVP_MAC* mac_;
    EVP_MAC_CTX* mac_ctx_;
    unsigned char key_[32];
};

}  // namespace

int main(int argc, char** argv)
{
    bool const quick = argc > 1 && std::string_view(argv[1]) == "--quick";
    int const iterations = quick ? 2000 : 100000;
    int const rounds = quick ? 2 : 7;

    std::string const body = json_body_of(1024);
    auto const creds = sigv4::credentials::make("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").value();
    sigv4::signing_params const params{
        .region = "us-east-1",
        .service = "crowd",
        .time = std::chrono::sys_days{std::chrono::year{2026} / 11 / 28} + std::chrono::hours(13)};

    sigv4::signer signer;
    auto request = crowd_put(body);
    sigv4::signature_details details;
    if (!signer.sign(request, creds, params, &details)) {
        std::fprintf(stderr, "signing failed\n");
        return 1;
    }
    openssl_floor floor(body, details.canonical_request.size(), details.string_to_sign.size());

    auto sign_cached = [&] {
        if (!signer.sign(request, creds, params))
            std::abort();
        sink_byte = static_cast<unsigned char>(request.fields.find("Authorization")->back());
    };
    auto sign_derived = [&] {
        signer.clear_key_cache();
        sign_cached();
    };

    // Warm up, then count the allocations of a batch of warm signatures.
    for (int i = 0; i != 100; ++i)
        sign_cached();
    auto const before = bench::allocation_count();
    int constexpr counted = 1000;
    for (int i = 0; i != counted; ++i)
        sign_cached();
    double const allocs_per_sign = static_cast<double>(bench::allocation_count() - before) / counted;

    auto const fresh_before = bench::allocation_count();
    for (int i = 0; i != counted; ++i) {
        auto fresh = crowd_put(body);
        auto const built = bench::allocation_count();
        if (!signer.sign(fresh, creds, params))
            return 1;
        (void)built;
    }
    auto const fresh_total = bench::allocation_count() - fresh_before;
    auto const build_before = bench::allocation_count();
    for (int i = 0; i != counted; ++i) {
        auto fresh = crowd_put(body);
        sink_byte = static_cast<unsigned char>(fresh.body[0]);
    }
    auto const build_only = bench::allocation_count() - build_before;
    double const allocs_fresh = static_cast<double>(fresh_total - build_only) / counted;

    double const floor_ns = ns_per_call([&] { floor.run(); }, iterations, rounds);
    double const cached_ns = ns_per_call(sign_cached, iterations, rounds);
    double const derived_ns = ns_per_call(sign_derived, iterations, rounds);
    double const floor_again_ns = ns_per_call([&] { floor.run(); }, iterations, rounds);
    double const floor_best = std::min(floor_ns, floor_again_ns);

    std::printf("request: PUT, %zu-byte JSON body, canonical request %zu bytes, string to sign %zu bytes\n",
                body.size(), details.canonical_request.size(), details.string_to_sign.size());
    std::printf("openssl floor (sha256 body + sha256 canonical + hmac)   %8.0f ns\n", floor_best);
    std::printf("sign, cached signing key                               %8.0f ns  (%.2fx floor)\n", cached_ns,
                cached_ns / floor_best);
    std::printf("sign, signing key derived each time                    %8.0f ns  (%.2fx floor)\n", derived_ns,
                derived_ns / floor_best);
    std::printf("heap allocations per signature: re-signing %.2f, a fresh request %.2f (its new header strings)\n",
                allocs_per_sign, allocs_fresh);
    std::printf("summary: ns_per_sign=%.0f floor_ns=%.0f ratio=%.2f allocs_per_sign=%.3f\n", cached_ns, floor_best,
                cached_ns / floor_best, allocs_per_sign);
    return 0;
}
