// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_IMPL_INSTANCE_METADATA_PROVIDER_IPP
#define MTURK_CROWD_CREDENTIALS_IMPL_INSTANCE_METADATA_PROVIDER_IPP

#include <mturk/crowd/credentials/credentials_json.hpp>
#include <mturk/crowd/credentials/instance_metadata_provider.hpp>

namespace mturk::crowd {

MTURK_CROWD_DECL auto instance_metadata_credentials_provider::endpoint_url() const -> result<std::string>
{
    auto setting = [&](char const* variable, char const* key) -> std::optional<std::pair<std::string, std::string>> {
        if (auto found = env_or_profile(context_.env, &profile_, {variable}, key))
            return std::pair{std::move(found->value), std::move(found->origin)};
        return std::nullopt;
    };
    auto checked = [](std::string url, std::string const& from) -> result<std::string> {
        auto split = detail::split_url(url, from);
        if (!split)
            return split.error();
        while (!url.empty() && url.back() == '/')
            url.pop_back();
        return url;
    };
    if (options_.endpoint)
        return checked(*options_.endpoint, "instance_metadata_options::endpoint");
    if (auto configured = setting("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint"))
        return checked(configured->first, configured->second);
    auto mode = options_.endpoint_mode ? std::optional(std::pair{*options_.endpoint_mode, std::string("the options")})
                                       : setting("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
                                                 "ec2_metadata_service_endpoint_mode");
    if (!mode)
        return std::string("http://169.254.169.254");
    auto const lowered = detail::lower(mode->first);
    if (lowered == "ipv4")
        return std::string("http://169.254.169.254");
    if (lowered == "ipv6")
        return std::string("http://[fd00:ec2::254]");
    return error(errc::invalid_configuration, mode->second + ": `" + mode->first +
                                                  "` is not a valid endpoint mode for instance metadata (IPv4 or IPv6)");
}

MTURK_CROWD_DECL auto instance_metadata_credentials_provider::get() const -> result<sigv4::credentials>
{
    if (auto disabled = context_.env("AWS_EC2_METADATA_DISABLED"); disabled && detail::is_true_setting(*disabled))
        return error(errc::credentials_not_found, "instance metadata is disabled (AWS_EC2_METADATA_DISABLED)");
    auto url = endpoint_url();
    if (!url)
        return url.error();
    auto base = detail::split_url(*url + "/latest/api/token", "the instance metadata endpoint");
    if (!base)
        return base.error();
    if (!context_.fetch)
        return error(errc::credentials_not_found,
                     "instance metadata was not asked: no HTTP client was given (network_context::fetch)");

    // One request with retries on answered failures (5xx, 429); not on connection
    // failures: off EC2 those only repeat the time-out.
    auto exchange = [&](http_method method, std::string target, std::string_view token_header,
                        std::string const& token_value) -> result<http_response> {
        fetch_request request{base->where, {}, options_.timeout};
        request.message.method = method;
        request.message.target = std::move(target);
        request.message.fields.add("Host", base->where.host_header());
        request.message.fields.add(std::string(token_header), token_value);
        auto answer = detail::fetch_with_retries(context_, request, options_.max_attempts, false);
        if (!answer)
            return error(errc::credentials_not_found,
                         "no instance metadata service answered at " + *url + ": " + answer.error().what());
        if (answer->status >= 500 || answer->status == 429)
            return error(errc::credentials_service_failed, "instance metadata at " + *url + " answered " +
                                                               std::to_string(answer->status) + " " +
                                                               std::to_string(options_.max_attempts) + " times");
        return answer;
    };

    auto token = exchange(http_method::put, "/latest/api/token", "x-aws-ec2-metadata-token-ttl-seconds",
                          std::to_string(options_.token_ttl.count()));
    if (!token)
        return token.error();
    if (token->status == 403)
        return error(errc::credentials_refused,
                     "instance metadata at " + *url +
                         " refused a session token (403): request forbidden: IMDS is disabled for this instance, or "
                         "a container is more hops away than the instance's hop limit allows");
    if (token->status != 200 || token->body.empty())
        return error(errc::credentials_not_found,
                     "instance metadata at " + *url + " gave no IMDSv2 session token (status " +
                         std::to_string(token->status) + "); IMDSv1 is not used");

    constexpr std::string_view roles_path = "/latest/meta-data/iam/security-credentials/";
    auto roles = exchange(http_method::get, std::string(roles_path), "x-aws-ec2-metadata-token", token->body);
    if (!roles)
        return roles.error();
    if (roles->status == 404)
        return error(errc::credentials_not_found, "the instance has no IAM role (instance metadata at " + *url + ")");
    if (roles->status != 200)
        return error(errc::credentials_refused,
                     "instance metadata at " + *url + " answered " + std::to_string(roles->status) + " for the role");
    std::string role = roles->body.substr(0, roles->body.find('\n'));
    while (!role.empty() && (role.back() == '\r' || role.back() == ' '))
        role.pop_back();
    if (role.empty())
        return error(errc::credentials_not_found, "the instance has no IAM role (instance metadata at " + *url + ")");
    for (char c : role)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '=' ||
              c == ',' || c == '.' || c == '@' || c == '_' || c == '-'))
            return error(errc::credentials_answer_invalid,
                         "instance metadata at " + *url + " gave a role name with a character IAM does not allow");

    auto creds = exchange(http_method::get, std::string(roles_path) + role, "x-aws-ec2-metadata-token", token->body);
    if (!creds)
        return creds.error();
    if (creds->status != 200)
        return error(errc::credentials_refused, "instance metadata at " + *url + " answered " +
                                                    std::to_string(creds->status) + " for role " + role);
    return detail::read_credentials_json(creds->body, "instance metadata role " + role);
}

}  // namespace mturk::crowd

#endif
