// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_PROVIDER_HPP
#define MTURK_CROWD_CREDENTIALS_PROVIDER_HPP

#include <mturk/crowd/error.hpp>
#include <mturk/crowd/sigv4/credentials.hpp>

#include <concepts>
#include <utility>

/* Where credentials come from, in the order the AWS SDKs look (Specification: AWS SDKs
   and Tools Reference Guide, "Standardized credential providers"): given in code, the
   environment, the shared profile files (static keys, credential_process, assumed roles,
   web identity, IAM Identity Center), web identity from the environment, the container
   endpoint, and EC2 instance metadata.

   A provider's get() gives credentials, or errc::credentials_not_found when it has none,
   which lets the chain ask the next one. Any other error stops the chain: a source that
   is set up wrong must be fixed, not silently passed over for another identity. */
namespace mturk::crowd {

/// What the chain asks of a provider.
template <class P>
concept credentials_provider = requires(P& p) {
    { p.get() } -> std::same_as<result<sigv4::credentials>>;
};

/// Credentials given in code.
class static_credentials_provider {
public:
    explicit static_credentials_provider(sigv4::credentials c) : credentials_(std::move(c)) {}
    result<sigv4::credentials> get() const { return credentials_; }

private:
    sigv4::credentials credentials_;
};

}  // namespace mturk::crowd

#endif
