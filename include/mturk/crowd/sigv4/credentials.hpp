// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_SIGV4_CREDENTIALS_HPP
#define MTURK_CROWD_SIGV4_CREDENTIALS_HPP

#include <mturk/crowd/error.hpp>

#include <openssl/crypto.h>

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace mturk::crowd::sigv4 {

/** A string that never prints: `<<` writes `<redacted>`. The value is wiped from
    memory when the object goes. Read it with `reveal()`, and only to sign. */
class secret_string {
public:
    secret_string() = default;
    explicit secret_string(std::string value) noexcept : value_(std::move(value)) {}
    secret_string(secret_string const&) = default;
    secret_string(secret_string&& other) noexcept : value_(std::move(other.value_)) { other.wipe(); }
    secret_string& operator=(secret_string const& other)
    {
        if (this != &other) {
            wipe();
            value_ = other.value_;
        }
        return *this;
    }
    secret_string& operator=(secret_string&& other) noexcept
    {
        if (this != &other) {
            wipe();
            value_ = std::move(other.value_);
            other.wipe();
        }
        return *this;
    }
    ~secret_string() { wipe(); }

    std::string_view reveal() const noexcept { return value_; }
    bool empty() const noexcept { return value_.empty(); }

    friend bool operator==(secret_string const& a, secret_string const& b) noexcept { return a.value_ == b.value_; }

    template <class Char, class Traits>
    friend std::basic_ostream<Char, Traits>& operator<<(std::basic_ostream<Char, Traits>& out, secret_string const& s)
    {
        return out << (s.empty() ? "<empty>" : "<redacted>");
    }

private:
    void wipe() noexcept
    {
        if (!value_.empty())
            OPENSSL_cleanse(value_.data(), value_.size());
        value_.clear();
    }
    std::string value_;
};

/** AWS credentials: an access key id, its secret, and for temporary credentials a
    session token and an expiry. Printing shows the key id and the expiry, never the
    secret or the token.

    Make them with `credentials::make`, which refuses half credentials.
*/
class credentials {
public:
    using time_point = std::chrono::system_clock::time_point;

    /// Errors: `errc::invalid_credentials` when the key id or the secret is empty (a key id
    /// without a secret is an error, never half credentials), or has white space or a
    /// control character.
    static result<credentials> make(std::string access_key_id, std::string secret_access_key,
                                    std::string session_token = {}, std::optional<time_point> expiration = {})
    {
        if (access_key_id.empty())
            return error(errc::invalid_credentials, "the access key id is empty");
        if (secret_access_key.empty())
            return error(errc::invalid_credentials, "access key id " + access_key_id + " has no secret access key");
        auto printable = [](std::string_view s) {
            for (unsigned char c : s)
                if (c <= 0x20 || c == 0x7f)
                    return false;
            return true;
        };
        if (!printable(access_key_id))
            return error(errc::invalid_credentials, "the access key id has white space or a control character");
        if (!printable(secret_access_key))
            return error(errc::invalid_credentials, "the secret access key has white space or a control character");
        if (!printable(session_token))
            return error(errc::invalid_credentials, "the session token has white space or a control character");
        credentials c;
        c.access_key_id_ = std::move(access_key_id);
        c.secret_access_key_ = secret_string(std::move(secret_access_key));
        c.session_token_ = secret_string(std::move(session_token));
        c.expiration_ = expiration;
        return c;
    }

    std::string_view access_key_id() const noexcept { return access_key_id_; }
    secret_string const& secret_access_key() const noexcept { return secret_access_key_; }
    /// Empty for long-term credentials.
    secret_string const& session_token() const noexcept { return session_token_; }
    std::optional<time_point> expiration() const noexcept { return expiration_; }
    /// The 12-digit account the credentials belong to, when their source said so (STS,
    /// SSO, container and instance metadata, `credential_process`, `aws_account_id`).
    std::optional<std::string> const& account_id() const noexcept { return account_id_; }

    /// The same credentials, said to belong to `account`.
    credentials with_account_id(std::string account) const&
    {
        credentials c = *this;
        c.account_id_ = std::move(account);
        return c;
    }

    friend bool operator==(credentials const&, credentials const&) = default;

    template <class Char, class Traits>
    friend std::basic_ostream<Char, Traits>& operator<<(std::basic_ostream<Char, Traits>& out, credentials const& c)
    {
        out << "credentials{access_key_id=" << c.access_key_id_ << ", secret_access_key=" << c.secret_access_key_
            << ", session_token=" << c.session_token_;
        if (c.account_id_)
            out << ", account " << *c.account_id_;
        if (c.expiration_)
            out << ", expires " << std::chrono::duration_cast<std::chrono::seconds>(c.expiration_->time_since_epoch()).count()
                << " s after the epoch";
        return out << '}';
    }

private:
    credentials() = default;

    std::string access_key_id_;
    secret_string secret_access_key_;
    secret_string session_token_;
    std::optional<time_point> expiration_;
    std::optional<std::string> account_id_;
};

}  // namespace mturk::crowd::sigv4

#endif
