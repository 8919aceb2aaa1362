// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_INSTANCE_METADATA_PROVIDER_HPP
#define MTURK_CROWD_CREDENTIALS_INSTANCE_METADATA_PROVIDER_HPP

#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/sigv4/credentials.hpp>
#include <mturk/crowd/credentials/http_fetch.hpp>
#include <mturk/crowd/settings/profile_file.hpp>

#include <chrono>
#include <optional>
#include <string>

/* The role credentials of an EC2 instance, from its instance metadata service (IMDS),
   IMDSv2 only: a session token first (PUT /latest/api/token), then the role's name and
   its credentials, each with the token. Specification: AWS SDKs and Tools Reference
   Guide, "IMDS credential provider"; Amazon EC2 User Guide, "Use IMDSv2". */
namespace mturk::crowd {

/// How to reach the instance metadata service.
struct instance_metadata_options {
    /// In code; else `AWS_EC2_METADATA_SERVICE_ENDPOINT`, the profile's
    /// `ec2_metadata_service_endpoint`, then the endpoint mode's address.
    std::optional<std::string> endpoint{};
    /// "IPv4" (http://169.254.169.254) or "IPv6" (http://[fd00:ec2::254]), any case; else
    /// `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE`, the profile's `ec2_metadata_service_endpoint_mode`, IPv4.
    std::optional<std::string> endpoint_mode{};
    /// Per request, for connecting and for the exchange: short, since off EC2 nothing answers.
    std::chrono::milliseconds timeout{std::chrono::seconds(1)};
    /// Attempts on 5xx and throttling. A service that cannot be reached is not retried:
    /// off EC2, every attempt would cost the whole time-out.
    unsigned max_attempts = 3;
    std::chrono::seconds token_ttl{21600};
};

/** The instance role's credentials. `errc::credentials_not_found` when IMDS is disabled
    (`AWS_EC2_METADATA_DISABLED=true`), cannot be reached, or the instance has no role,
    which lets the chain go on; `errc::credentials_refused` when IMDS refuses the token
    (IMDS turned off for the instance, or a hop limit too low for a container);
    `errc::invalid_configuration` for a bad endpoint or mode. */
class instance_metadata_credentials_provider {
public:
    /// `selected` is the profile whose IMDS settings apply, if any.
    explicit instance_metadata_credentials_provider(network_context context, instance_metadata_options options = {},
                                                    profile selected = {})
        : context_(std::move(context)), options_(std::move(options)), profile_(std::move(selected))
    {
    }

    MTURK_CROWD_DECL result<sigv4::credentials> get() const;

    /// The endpoint the settings give, as a URL ("http://169.254.169.254").
    MTURK_CROWD_DECL result<std::string> endpoint_url() const;

private:
    network_context context_;
    instance_metadata_options options_;
    profile profile_;
};

}  // namespace mturk::crowd

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/credentials/impl/instance_metadata_provider.ipp>
#endif

#endif
