// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_IMPL_INSTANCE_METADATA_PROVIDER_IPP
#define MTURK_CROWD_CREDENTIALS_IMPL_INSTANCE_METADATA_PROVIDER_IPP

#include <mturk/crowd/credentials/credentials_json.hpp>
#include <mturk/crowd/credentials/instance_metadata_provider.hpp>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <string>

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

MTURK_CROWD_DECL auto instance_metadata_credentials_provider::settings() const -> result<instance_metadata_settings>
{
    instance_metadata_settings out;
    // Each with where it came from: "env VARIABLE", or "<file> line <n>".
    auto setting = [&](char const* variable, char const* key) {
        auto found = env_or_profile(context_.env, &profile_, {variable}, key);
        if (found && found->from_environment)
            found->origin = "env " + found->origin;
        return found;
    };
    if (options_.timeout) {
        out.timeout = *options_.timeout;
    } else if (auto found = setting("AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout")) {
        // Seconds, as the SDKs read it; decimals allowed ("0.5").
        double seconds = -1;
        std::size_t used = 0;
        bool const digits = !found->value.empty() &&
                            found->value.find_first_not_of("0123456789.") == std::string::npos;
        if (digits) {
#if MTURK_CROWD_HAS_EXCEPTIONS
            try {
                seconds = std::stod(found->value, &used);
            } catch (std::exception const&) {
                seconds = -1;
            }
#else
            seconds = std::strtod(found->value.c_str(), nullptr);
            used = found->value.size();
#endif
        }
        if (!digits || used != found->value.size() || seconds < 0.001 || seconds > 3600)
            return error(errc::invalid_configuration, found->origin + ": the instance metadata time-out \"" +
                                                          found->value + "\" is not a number of seconds from 0.001 to 3600");
        out.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000 + 0.5));
    }
    if (options_.max_attempts) {
        out.max_attempts = std::max(1u, *options_.max_attempts);
    } else if (auto found = setting("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts")) {
        bool const ok = found->value.size() <= 2 && !found->value.empty() &&
                        found->value.find_first_not_of("0123456789") == std::string::npos &&
                        std::stoi(found->value) >= 1 && std::stoi(found->value) <= 10;
        if (!ok)
            return error(errc::invalid_configuration, found->origin + ": the instance metadata attempts \"" +
                                                          found->value + "\" are not a number from 1 to 10");
        out.max_attempts = static_cast<unsigned>(std::stoi(found->value));
    }
    if (options_.v1_disabled) {
        out.v1_disabled = *options_.v1_disabled;
        out.v1_disabled_by = "instance_metadata_options::v1_disabled";
    } else if (auto found = setting("AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled")) {
        auto const lowered = detail::lower(found->value);
        if (lowered != "true" && lowered != "false")
            return error(errc::invalid_configuration, found->origin + ": \"" + found->value + "\" is not true or false");
        out.v1_disabled = lowered == "true";
        out.v1_disabled_by = found->origin;
    }
    return out;
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
    auto const policy = settings();
    if (!policy)
        return policy.error();
    if (!context_.fetch)
        return error(errc::credentials_not_found,
                     "instance metadata was not asked: no HTTP client was given (network_context::fetch)");

    // One request with retries on answered failures (5xx, 429); not on connection
    // failures: off EC2 those only repeat the time-out.
    auto exchange = [&](http_method method, std::string target, std::string_view token_header,
                        std::string const& token_value) -> result<http_response> {
        fetch_request request{base->where, {}, policy->timeout};
        request.message.method = method;
        request.message.target = std::move(target);
        request.message.fields.add("Host", base->where.host_header());
        if (!token_value.empty())  // IMDSv1: no token at all
            request.message.fields.add(std::string(token_header), token_value);
        auto answer = detail::fetch_with_retries(context_, request, policy->max_attempts, false);
        if (!answer)
            return error(errc::credentials_not_found,
                         "no instance metadata service answered at " + *url + ": " + answer.error().what())
                .set_progress(answer.error().progress());
        if (answer->status >= 500 || answer->status == 429)
            return error(errc::credentials_service_failed, "instance metadata at " + *url + " answered " +
                                                               std::to_string(answer->status) + " " +
                                                               std::to_string(policy->max_attempts) + " times");
        return answer;
    };

    auto token = exchange(http_method::put, "/latest/api/token", "x-aws-ec2-metadata-token-ttl-seconds",
                          std::to_string(options_.token_ttl.count()));
    // No token to be had: an IMDS without tokens (404, 405), or one whose answer does not
    // come back (a container past the hop limit: the request went, no answer came). The
    // SDKs then ask without a token (IMDSv1), unless that is disabled.
    std::string why_no_token;
    if (!token && token.error() == errc::credentials_not_found && token.error().progress() != request_progress::not_sent)
        why_no_token = "did not answer the token request: " + token.error().what();
    else if (!token)
        return token.error();
    else if (token->status == 403)
        return error(errc::credentials_refused,
                     "instance metadata at " + *url +
                         " refused a session token (403): request forbidden: IMDS is disabled for this instance, or "
                         "a container is more hops away than the instance's hop limit allows");
    else if (token->status == 404 || token->status == 405)
        why_no_token = "answered " + std::to_string(token->status) + " to the token request";
    else if (token->status != 200 || token->body.empty())
        return error(errc::credentials_not_found, "instance metadata at " + *url +
                                                      " gave no IMDSv2 session token (status " +
                                                      std::to_string(token->status) + ")");
    if (!why_no_token.empty() && policy->v1_disabled)
        return error(errc::credentials_not_found, "instance metadata at " + *url + " " + why_no_token +
                                                      ", and IMDSv1 is disabled (" + policy->v1_disabled_by + ")");
    std::string const session_token = why_no_token.empty() ? token->body : std::string();

    constexpr std::string_view roles_path = "/latest/meta-data/iam/security-credentials/";
    auto roles = exchange(http_method::get, std::string(roles_path), "x-aws-ec2-metadata-token", session_token);
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

    auto creds = exchange(http_method::get, std::string(roles_path) + role, "x-aws-ec2-metadata-token", session_token);
    if (!creds)
        return creds.error();
    if (creds->status != 200)
        return error(errc::credentials_refused, "instance metadata at " + *url + " answered " +
                                                    std::to_string(creds->status) + " for role " + role);
    return detail::read_credentials_json(creds->body, "instance metadata role " + role);
}

}  // namespace mturk::crowd

#endif
