// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_IMPL_ENVIRONMENT_PROVIDER_IPP
#define MTURK_CROWD_CREDENTIALS_IMPL_ENVIRONMENT_PROVIDER_IPP

#include <mturk/crowd/credentials/environment_provider.hpp>
#include <mturk/crowd/settings/profile_file.hpp>  // detail::trim_blanks

namespace mturk::crowd {

MTURK_CROWD_DECL auto environment_credentials_provider::get() const -> result<sigv4::credentials>
{
    // A variable of blanks is unset, as the SDKs read it (a template that left it empty).
    auto read = [&](char const* name) -> std::optional<std::string> {
        auto v = env_(name);
        if (v && detail::trim_blanks(*v).empty())
            return std::nullopt;
        return v;
    };
    auto key_id = read("AWS_ACCESS_KEY_ID");
    auto secret = read("AWS_SECRET_ACCESS_KEY");
    auto token = read("AWS_SESSION_TOKEN");
    bool const has_key = key_id.has_value();
    bool const has_secret = secret.has_value();
    if (!has_key && !has_secret) {
        if (token && !token->empty())
            return error(errc::invalid_credentials,
                         "AWS_SESSION_TOKEN is set without AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        return error(errc::credentials_not_found, "AWS_ACCESS_KEY_ID is not set");
    }
    if (!has_key)
        return error(errc::invalid_credentials, "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
    if (!has_secret)
        return error(errc::invalid_credentials, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
    auto made = sigv4::credentials::make(std::move(*key_id), std::move(*secret), token ? std::move(*token) : std::string());
    if (!made)
        return error(made.error().code(), "environment: " + std::string(made.error().detail()));
    if (auto account = read("AWS_ACCOUNT_ID"))
        return made->with_account_id(std::move(*account));
    return made;
}

}  // namespace mturk::crowd

#endif
