// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_CONTAINER_PROVIDER_HPP
#define MTURK_CROWD_CREDENTIALS_CONTAINER_PROVIDER_HPP

#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/sigv4/credentials.hpp>
#include <mturk/crowd/credentials/http_fetch.hpp>

#include <chrono>
#include <string>

/* The task role of an ECS task, or the pod identity of an EKS pod, from the endpoint the
   platform names in the environment. Specification: AWS SDKs and Tools Reference Guide,
   "Container credential provider". */
namespace mturk::crowd {

struct container_credentials_options {
    std::chrono::milliseconds timeout{std::chrono::seconds(2)};
    unsigned max_attempts = 3;  ///< on 5xx, 429 and connection failures
};

/** Credentials from `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on http://169.254.170.2), else
    `AWS_CONTAINER_CREDENTIALS_FULL_URI`: https to any host, http only to loopback,
    169.254.170.2 (ECS), 169.254.170.23 or fd00:ec2::23 (EKS Pod Identity). The
    `Authorization` header is the content of `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read
    at each fetch: the platform rotates it), else `AWS_CONTAINER_AUTHORIZATION_TOKEN`.

    Errors: `errc::credentials_not_found` when neither variable is set;
    `errc::invalid_configuration` for a URI that is not allowed, a token file that cannot
    be read, or a token with a line break; `errc::credentials_refused` for a 4xx. */
class container_credentials_provider {
public:
    explicit container_credentials_provider(network_context context, container_credentials_options options = {})
        : context_(std::move(context)), options_(options)
    {
    }

    MTURK_CROWD_DECL result<sigv4::credentials> get() const;

    /// The URL the environment gives, checked; `errc::credentials_not_found` when unset.
    MTURK_CROWD_DECL result<std::string> endpoint_url() const;

private:
    network_context context_;
    container_credentials_options options_;
};

}  // namespace mturk::crowd

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/credentials/impl/container_provider.ipp>
#endif

#endif
