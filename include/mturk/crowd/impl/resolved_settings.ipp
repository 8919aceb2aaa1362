// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_IMPL_RESOLVED_SETTINGS_IPP
#define MTURK_CROWD_IMPL_RESOLVED_SETTINGS_IPP

#include <mturk/crowd/resolved_settings.hpp>
#include <mturk/crowd/credentials/sts.hpp>

namespace mturk::crowd {
namespace detail {

inline setting_origin origin_from_text(std::string const& text)
{
    if (text == "code")
        return {setting_origin::kind::code, {}};
    if (text == "default")
        return {setting_origin::kind::default_value, {}};
    if (text.starts_with("env "))
        return {setting_origin::kind::environment, text.substr(4)};
    return {setting_origin::kind::profile, text};
}

}  // namespace detail

MTURK_CROWD_DECL auto resolve_settings(client_config const& config, std::string const& ca_file_in_code)
    -> result<resolved_settings>
{
    resolved_settings out;
    auto const& env = config.env;
    auto locations = locate_profile_files(env);
    out.profile = env("AWS_PROFILE") && !env("AWS_PROFILE")->empty()
                      ? resolved_setting{locations.profile, {setting_origin::kind::environment, "AWS_PROFILE"}}
                      : resolved_setting{locations.profile, {}};
    auto files = load_profile_files(locations);
    if (!files)
        return files.error();
    profile const* selected = nullptr;
    if (auto const it = files->profiles.find(locations.profile); it != files->profiles.end())
        selected = &it->second;

    // code, then the variables in order, then the profile's key, then the default.
    auto resolve = [&](std::string const& in_code, std::initializer_list<char const*> variables, char const* key,
                       std::string default_value) -> resolved_setting {
        if (!in_code.empty())
            return {in_code, {setting_origin::kind::code, {}}};
        if (auto found = env_or_profile(env, selected, variables, key))
            return {std::move(found->value),
                    {found->from_environment ? setting_origin::kind::environment : setting_origin::kind::profile,
                     std::move(found->origin)}};
        return {std::move(default_value), {}};
    };
    auto where = [](resolved_setting const& s) {
        return s.origin.where == setting_origin::kind::code ? std::string("client_config") : s.origin.text();
    };

    out.region = resolve(config.region, {"AWS_REGION", "AWS_DEFAULT_REGION"}, "region", "us-east-1");
    for (char c : out.region.value)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return error(errc::invalid_configuration,
                         where(out.region) + ": region \"" + out.region.value + "\" is not like us-east-1");

    // FIPS and dual-stack, as the SDKs' endpoint rules decide them: the variant where one
    // is published (none is, for crowd), never beside an endpoint of one's own.
    for (auto* flag : {&out.use_fips_endpoint, &out.use_dualstack_endpoint}) {
        bool const fips = flag == &out.use_fips_endpoint;
        *flag = resolve({}, {fips ? "AWS_USE_FIPS_ENDPOINT" : "AWS_USE_DUALSTACK_ENDPOINT"},
                        fips ? "use_fips_endpoint" : "use_dualstack_endpoint", "false");
        auto const lowered = detail::lower(flag->value);
        if (lowered != "true" && lowered != "false")
            return error(errc::invalid_configuration, where(*flag) + ": \"" + flag->value + "\" is not true or false");
        flag->value = lowered;
    }
    std::string endpoint_from;
    auto endpoint = resolve_service_endpoint("CROWD", "crowd", out.region.value, env, &*files, selected,
                                                    config.endpoint, &endpoint_from);
    if (!endpoint)
        return endpoint.error();
    for (auto* flag : {&out.use_fips_endpoint, &out.use_dualstack_endpoint}) {
        if (flag->value != "true")
            continue;
        bool const fips = flag == &out.use_fips_endpoint;
        std::string const variant = fips ? "FIPS" : "Dualstack";
        if (endpoint_from != "default")
            return error(errc::invalid_configuration,
                         where(*flag) + ": " + variant + " and custom endpoint are not supported (the endpoint " +
                             endpoint->url() + " comes from " + (endpoint_from == "code" ? "client_config" : endpoint_from) +
                             ")");
        return error(errc::invalid_configuration,
                     where(*flag) + ": " + variant + " is enabled, but the crowd service publishes no " +
                         (fips ? "FIPS" : "dual-stack") + " endpoint (its endpoint is https://crowd." +
                         out.region.value + ".amazonaws.com): turn the setting off for this client");
    }
    out.service_endpoint = *endpoint;
    out.endpoint = {endpoint->url(), detail::origin_from_text(endpoint_from)};

    out.account = resolve(config.account ? std::string(config.account->view()) : std::string(), {"AWS_ACCOUNT_ID"},
                          "aws_account_id", {});
    if (!out.account.value.empty()) {
        auto parsed = account_id::parse(out.account.value);
        if (!parsed)
            return error(errc::invalid_configuration, where(out.account) + ": " + parsed.error().message());
        out.account_id = *parsed;
    }

    out.app_id = resolve(config.app_id, {"AWS_SDK_UA_APP_ID"}, "sdk_ua_app_id", {});
    if (out.app_id.value.size() > 50)
        return error(errc::invalid_configuration, where(out.app_id) + ": the app id has " +
                                                      std::to_string(out.app_id.value.size()) +
                                                      " characters; the SDKs allow at most 50");
    for (char c : out.app_id.value)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
            return error(errc::invalid_configuration,
                         where(out.app_id) + ": the app id has white space or a control character");

    out.ca_bundle = resolve(ca_file_in_code, {"AWS_CA_BUNDLE"}, "ca_bundle", {});
    out.retry_mode = resolve({}, {"AWS_RETRY_MODE"}, "retry_mode", "standard");
    out.max_attempts = resolve({}, {"AWS_MAX_ATTEMPTS"}, "max_attempts", "3");
    return out;
}

MTURK_CROWD_DECL result<aws_retry> aws_retry_of(resolved_settings const& settings,
                                                standard_retry::random_source random)
{
    auto named = [](resolved_setting const& s, char const* key) -> std::optional<aws_retry::named_setting> {
        switch (s.origin.where) {
        case setting_origin::kind::environment: return aws_retry::named_setting{s.value, s.origin.detail};
        case setting_origin::kind::profile: return aws_retry::named_setting{s.value, s.origin.detail + ": " + key};
        case setting_origin::kind::code: return aws_retry::named_setting{s.value, "code"};
        default: return std::nullopt;  // the default: standard, 3 attempts
        }
    };
    return aws_retry::from_settings(named(settings.retry_mode, "retry_mode"), named(settings.max_attempts, "max_attempts"),
                                    std::move(random));
}

}  // namespace mturk::crowd

#endif
