// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// Certificates made by the tests with OpenSSL: a CA, a server certificate for localhost
// and 127.0.0.1, one that has expired, one for another host, and a self-signed one.
#ifndef MTURK_CROWD_TESTS_TEST_PKI_HPP
#define MTURK_CROWD_TESTS_TEST_PKI_HPP

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>

namespace test_pki {

struct identity {
    std::string certificate_pem;
    std::string key_pem;
};

struct set {
    identity ca;
    identity localhost;    ///< signed by ca; DNS:localhost, IP:127.0.0.1; valid now
    identity expired;      ///< signed by ca; localhost; expired yesterday
    identity other_host;   ///< signed by ca; DNS:other.example only
    identity self_signed;  ///< localhost, signed by itself, not by ca
};

namespace detail {

template <class T, void (*Free)(T*)>
struct deleter {
    void operator()(T* p) const { Free(p); }
};
using key_ptr = std::unique_ptr<EVP_PKEY, deleter<EVP_PKEY, EVP_PKEY_free>>;
using cert_ptr = std::unique_ptr<X509, deleter<X509, X509_free>>;

inline void require(bool ok, char const* what)
{
    if (!ok)
        throw std::runtime_error(std::string("test PKI: ") + what);
}

inline key_ptr new_key()
{
    key_ptr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    require(key != nullptr, "EC key generation");
    return key;
}

inline std::string pem_of(X509* cert)
{
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert);
    char* data = nullptr;
    long const size = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<std::size_t>(size));
    BIO_free(bio);
    return out;
}

inline std::string pem_of(EVP_PKEY* key)
{
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    long const size = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<std::size_t>(size));
    BIO_free(bio);
    return out;
}

inline void add_extension(X509* cert, X509* issuer, int nid, char const* value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    require(ext != nullptr, "extension");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

/// A certificate for `subject_cn`, valid from `from` to `to` seconds from now, signed
/// by `issuer` (itself when null).
inline cert_ptr make_cert(EVP_PKEY* key, char const* subject_cn, X509* issuer, EVP_PKEY* issuer_key, long from,
                          long to, bool ca, char const* san, long serial)
{
    cert_ptr cert(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), from);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), to);
    X509_set_pubkey(cert.get(), key);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<unsigned char const*>(subject_cn), -1, -1, 0);
    X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
    X509* const signer = issuer ? issuer : cert.get();
    add_extension(cert.get(), signer, NID_basic_constraints, ca ? "critical,CA:TRUE" : "CA:FALSE");
    if (ca)
        add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    if (san)
        add_extension(cert.get(), signer, NID_subject_alt_name, san);
    require(X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) > 0, "signing");
    return cert;
}

}  // namespace detail

inline set make()
{
    using namespace detail;
    constexpr long day = 24 * 3600;
    auto const ca_key = new_key();
    auto const ca = make_cert(ca_key.get(), "mturk-crowd test CA", nullptr, nullptr, -day, 30 * day, true, nullptr, 1);
    set out;
    out.ca = {pem_of(ca.get()), pem_of(ca_key.get())};
    auto leaf = [&](char const* cn, long from, long to, char const* san, long serial, bool self) {
        auto key = new_key();
        auto cert = self ? make_cert(key.get(), cn, nullptr, nullptr, from, to, false, san, serial)
                         : make_cert(key.get(), cn, ca.get(), ca_key.get(), from, to, false, san, serial);
        return identity{pem_of(cert.get()), pem_of(key.get())};
    };
    out.localhost = leaf("localhost", -day, 30 * day, "DNS:localhost,IP:127.0.0.1", 2, false);
    out.expired = leaf("localhost", -3 * day, -day, "DNS:localhost,IP:127.0.0.1", 3, false);
    out.other_host = leaf("other.example", -day, 30 * day, "DNS:other.example", 4, false);
    out.self_signed = leaf("localhost", -day, 30 * day, "DNS:localhost,IP:127.0.0.1", 5, true);
    return out;
}

/// One set for the whole test program: key generation is the slow part.
inline set const& shared()
{
    static set const made = make();
    return made;
}

/// The shared CA certificate in a PEM file, as users give theirs; one per process.
inline std::string const& ca_file()
{
    static std::string const path = [] {
        auto const file = std::filesystem::temp_directory_path() /
                          ("mturk-crowd-test-ca-" + std::to_string(::getpid()) + ".pem");
        std::ofstream(file) << shared().ca.certificate_pem;
        return file.string();
    }();
    return path;
}

}  // namespace test_pki

#endif
