// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_RESOLVED_SETTINGS_HPP
#define MTURK_CROWD_RESOLVED_SETTINGS_HPP

#include <mturk/crowd/account_id.hpp>
#include <mturk/crowd/client_types.hpp>
#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/endpoint.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/retry.hpp>
#include <mturk/crowd/settings/profile_file.hpp>

#include <optional>
#include <string>
#include <vector>

/* The client's settings as the AWS SDKs resolve them (AWS SDKs and Tools Reference
   Guide, "Settings reference"): what the code gives, then the environment, then the
   selected profile of the shared config file, then the default; each value with where it
   came from, which `crowd config` prints (as `aws configure list` does). */
namespace mturk::crowd {

/// Where a value came from.
struct setting_origin {
    enum class kind { default_value, code, environment, profile, credentials } where = kind::default_value;
    std::string detail{};  ///< the variable ("AWS_REGION"), or "<file> line <n>" of the profile

    /// "default", "code", "env AWS_REGION", "/home/u/.aws/config line 3"
    std::string text() const
    {
        switch (where) {
        case kind::default_value: return "default";
        case kind::code: return "code";
        case kind::environment: return "env " + detail;
        case kind::profile: return detail;
        case kind::credentials: return "credentials (" + detail + ")";
        }
        return detail;
    }
};

/// One resolved value; empty `value` when nothing set it and it has no default.
struct resolved_setting {
    std::string value;
    setting_origin origin;
};

/** Every setting of a client, resolved. `settings()` lists them in display order (name,
    value, origin); nothing secret is among them. */
struct resolved_settings {
    resolved_setting profile;        ///< AWS_PROFILE, else "default"
    resolved_setting region;         ///< client_config::region, AWS_REGION, AWS_DEFAULT_REGION, profile `region`, us-east-1
    resolved_setting endpoint;       ///< code, AWS_ENDPOINT_URL_CROWD, AWS_ENDPOINT_URL, `[services]` crowd, profile `endpoint_url`
    resolved_setting account;        ///< code, AWS_ACCOUNT_ID, profile `aws_account_id` (else the credentials' account, later)
    resolved_setting app_id;         ///< code, AWS_SDK_UA_APP_ID, profile `sdk_ua_app_id` (at most 50 characters)
    resolved_setting ca_bundle;      ///< code (`beast_options::ca_file`), AWS_CA_BUNDLE, profile `ca_bundle`
    resolved_setting retry_mode;     ///< AWS_RETRY_MODE, profile `retry_mode`, standard
    resolved_setting max_attempts;   ///< AWS_MAX_ATTEMPTS, profile `max_attempts`, 3
    /// AWS_USE_FIPS_ENDPOINT, profile `use_fips_endpoint`, false: the crowd service
    /// publishes no FIPS endpoint, so true is refused (naming where it came from).
    resolved_setting use_fips_endpoint;
    /// AWS_USE_DUALSTACK_ENDPOINT, profile `use_dualstack_endpoint`, false: refused when
    /// true, as above.
    resolved_setting use_dualstack_endpoint;

    crowd::endpoint service_endpoint;      ///< `endpoint` parsed
    std::optional<crowd::account_id> account_id;  ///< `account` parsed, if set

    /// (name, setting) in the order `crowd config` prints them.
    std::vector<std::pair<std::string, resolved_setting const*>> settings() const
    {
        return {{"profile", &profile},     {"region", &region},       {"endpoint", &endpoint},
                {"account", &account},     {"app id", &app_id},       {"ca bundle", &ca_bundle},
                {"retry mode", &retry_mode}, {"max attempts", &max_attempts},
                {"fips endpoint", &use_fips_endpoint}, {"dual-stack", &use_dualstack_endpoint}};
    }
};

/** Resolves `config`'s settings against its environment and the selected profile;
    `ca_file_in_code` is the transport's `ca_file`, if any.
    Errors: `errc::invalid_configuration` naming the setting and its source (a bad endpoint,
    region, account id, or an app id over 50 characters; FIPS or dual-stack asked for, which
    the crowd service does not publish, or asked for beside an endpoint of one's own:
    "FIPS and custom endpoint are not supported", as the SDKs' endpoint rules say);
    `errc::profile_file_invalid`. */
MTURK_CROWD_DECL result<resolved_settings> resolve_settings(client_config const& config,
                                                            std::string const& ca_file_in_code = {});

/** The retry policy the resolved `retry_mode` and `max_attempts` name
    (`aws_retry::from_settings`), without reading the environment or the files again.
    Errors: `errc::invalid_configuration` naming the variable, or the file, line and key. */
MTURK_CROWD_DECL result<aws_retry> aws_retry_of(resolved_settings const& settings,
                                                standard_retry::random_source random = standard_retry::default_random());

}  // namespace mturk::crowd

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/impl/resolved_settings.ipp>
#endif

#endif
