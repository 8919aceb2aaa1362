// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_RESOLUTION_HPP
#define MTURK_CROWD_CREDENTIALS_RESOLUTION_HPP

#include <mturk/crowd/error.hpp>

#include <chrono>
#include <optional>
#include <string_view>

namespace mturk::crowd {

/** One resolution of the default chain's credentials (the first, or a refresh), as its
    `credentials_chain_options::on_resolved` and the client's
    `client_hooks::on_credentials_resolved` see it. The metrics' name for its duration is
    `smithy.client.call.auth.resolve_identity_duration`. Nothing secret is in it. */
struct credentials_resolution {
    std::string_view source;                ///< the provider that answered, or was asked last ("environment", "profile \"dev\"", ...)
    std::chrono::milliseconds duration{0};  ///< how long resolving took
    /// When the credentials expire; empty for long-lived ones or on failure.
    std::optional<std::chrono::system_clock::time_point> expiration{};
    std::string_view access_key_tail{};  ///< the access key id's last four characters, for a log
    bool background = false;             ///< a refresh ahead of expiry, while the kept ones were used
    error const* failure = nullptr;      ///< why it failed; null on success
};

}  // namespace mturk::crowd

#endif
