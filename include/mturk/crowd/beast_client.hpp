// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_BEAST_CLIENT_HPP
#define MTURK_CROWD_BEAST_CLIENT_HPP

#include <mturk/crowd/client.hpp>
#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/retry.hpp>
#include <mturk/crowd/transport/beast.hpp>

#include <optional>

/* `client` and `make_client`: the client over the Beast HTTPS transport, as most programs
   use it. <mturk/crowd/beast_async_client.hpp> has the asynchronous one. */
namespace mturk::crowd {

/// The client most programs use: HTTPS over Boost.Beast, the system clock, the standard retry mode.
using client = basic_client<transport::beast_transport, system_clock, aws_retry>;

/** Makes a `client`: resolves the endpoint, builds its transport, and takes `retry`, or
    else reads the retry mode and attempts (AWS_RETRY_MODE / AWS_MAX_ATTEMPTS, or the
    profile's retry_mode / max_attempts). Copies of one `aws_retry` share one quota and,
    in adaptive mode, one rate limiter: pass the same policy to clients that should back
    off together. The default credentials chain reaches STS, SSO, the container endpoint
    and instance metadata through `make_beast_fetch(options)` unless
    `config.credentials_fetch` is given. Errors: `errc::invalid_configuration`; the
    system's error when the transport's io_context cannot be made (no file descriptor left). */
MTURK_CROWD_DECL result<client> make_client(client_config config, transport::beast_options options = {},
                                            std::optional<aws_retry> retry = std::nullopt);

}  // namespace mturk::crowd

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/impl/beast_client.ipp>
#endif

#endif
