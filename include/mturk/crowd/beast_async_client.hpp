// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_BEAST_ASYNC_CLIENT_HPP
#define MTURK_CROWD_BEAST_ASYNC_CLIENT_HPP

#include <mturk/crowd/async_operations.hpp>
#include <mturk/crowd/retry.hpp>
#include <mturk/crowd/resolved_settings.hpp>
#include <mturk/crowd/transport/beast.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <optional>

/* `async_client`: the client over `transport::async_beast_transport` (in beast.hpp),
   whose operations (`async_create`, `async_get`, `async_remove`, `async_wait`, members
   of basic_client) take any Asio completion token. */

namespace mturk::crowd {

/// The client for asynchronous programs: `async_create`, `async_get`, `async_remove`, `async_wait`.
using async_client = basic_client<transport::async_beast_transport, system_clock, aws_retry>;

/// Makes an `async_client` running on `executor`; `retry` as `make_client` takes it
/// (shared by copies), else the configured mode. Errors: `errc::invalid_configuration`.
inline result<async_client> make_async_client(boost::asio::any_io_executor executor, client_config config,
                                              transport::beast_options options = {},
                                              std::optional<aws_retry> retry = std::nullopt)
{
    auto settings = resolve_settings(config, options.ca_file);
    if (!settings)
        return settings.error();
    options.ca_file = settings->ca_bundle.value;  // the code's, AWS_CA_BUNDLE, or the profile's ca_bundle
    if (!options.logger.sink)
        options.logger = config.logger;  // the pool's records with the client's
    // The providers' fetches run on a private io_context of their own, never on the
    // executor: the first fetch (and one after expiry) on the engine's own thread while
    // the operations that need it wait, refreshes on the chain's while the kept ones serve.
    if (!config.credentials && !config.credentials_fetch)
        config.credentials_fetch = transport::make_beast_fetch(options, config.env);
    auto transport = transport::async_beast_transport::make(std::move(executor), settings->service_endpoint,
                                                            std::move(options), config.env);
    if (!transport)
        return transport.error();
    if (!retry) {
        auto configured = aws_retry_of(*settings);
        if (!configured)
            return configured.error();
        retry = std::move(*configured);
    }
    return async_client::make(std::move(*settings), std::move(config), std::move(*transport), system_clock{},
                              std::move(*retry));
}

}  // namespace mturk::crowd

#endif
