// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_ENVIRONMENT_PROVIDER_HPP
#define MTURK_CROWD_CREDENTIALS_ENVIRONMENT_PROVIDER_HPP

#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/settings/environment.hpp>
#include <mturk/crowd/sigv4/credentials.hpp>

#include <utility>

namespace mturk::crowd {

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and, for temporary credentials, `AWS_SESSION_TOKEN`.
class environment_credentials_provider {
public:
    explicit environment_credentials_provider(environment env = process_environment()) : env_(std::move(env)) {}

    MTURK_CROWD_DECL result<sigv4::credentials> get() const;

private:
    environment env_;
};

}  // namespace mturk::crowd

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/credentials/impl/environment_provider.ipp>
#endif

#endif
