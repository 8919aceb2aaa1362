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

/* The role credentials of an EC2 instance, from its instance metadata service (IMDS):
   a session token first (PUT /latest/api/token), then the role's name and its
   credentials, each with the token (IMDSv2). As the SDKs do, an IMDS that does not know
   tokens (404, 405) or does not answer the token request in time is asked without one
   (IMDSv1), unless `AWS_EC2_METADATA_V1_DISABLED` / `ec2_metadata_v1_disabled` says not
   to; a 403 to the token request is a refusal (IMDS turned off for the instance), as the
   AWS SDK for Rust's conformance data says. Specification: AWS SDKs and Tools Reference
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
    /// Per request, for connecting and for the exchange: short, since off EC2 nothing
    /// answers. Empty: `AWS_METADATA_SERVICE_TIMEOUT`, the profile's
    /// `metadata_service_timeout` (seconds, decimals allowed), else 1 s.
    std::optional<std::chrono::milliseconds> timeout{};
    /// Attempts on 5xx and throttling. A service that cannot be reached is not retried:
    /// off EC2, every attempt would cost the whole time-out. Empty:
    /// `AWS_METADATA_SERVICE_NUM_ATTEMPTS`, the profile's `metadata_service_num_attempts`,
    /// else 3.
    std::optional<unsigned> max_attempts{};
    /// Whether IMDSv1 (requests without a session token) is never used. Empty:
    /// `AWS_EC2_METADATA_V1_DISABLED`, the profile's `ec2_metadata_v1_disabled`, else false.
    std::optional<bool> v1_disabled{};
    std::chrono::seconds token_ttl{21600};
};

/// The instance metadata settings in force, each resolved from the options, the
/// environment and the profile.
struct instance_metadata_settings {
    std::chrono::milliseconds timeout{std::chrono::seconds(1)};
    unsigned max_attempts = 3;
    bool v1_disabled = false;
    std::string v1_disabled_by{};  ///< where `v1_disabled` came from ("env AWS_EC2_METADATA_V1_DISABLED", ...)
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

    /** The time-out, attempts and IMDSv1 policy in force. Errors:
        `errc::invalid_configuration` naming the variable or the file and line (a time-out
        that is not a number of seconds from 0.001 to 3600, attempts not from 1 to 10, a
        policy not true or false). */
    MTURK_CROWD_DECL result<instance_metadata_settings> settings() const;

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
