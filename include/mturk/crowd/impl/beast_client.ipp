// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_IMPL_BEAST_CLIENT_IPP
#define MTURK_CROWD_IMPL_BEAST_CLIENT_IPP

#include <mturk/crowd/beast_client.hpp>

namespace mturk::crowd {

MTURK_CROWD_DECL result<client> make_client(client_config config, transport::beast_options options,
                                            std::optional<aws_retry> retry)
{
    auto settings = resolve_settings(config, options.ca_file);
    if (!settings)
        return settings.error();
    options.ca_file = settings->ca_bundle.value;  // the code's, AWS_CA_BUNDLE, or the profile's ca_bundle
    if (!options.logger.sink)
        options.logger = config.logger;  // the pool's records with the client's
    if (!config.credentials && !config.credentials_fetch)
        config.credentials_fetch = transport::make_beast_fetch(options, config.env);
    auto transport = transport::beast_transport::make(settings->service_endpoint, std::move(options), config.env);
    if (!transport)
        return transport.error();
    if (!retry) {
        auto configured = aws_retry_of(*settings);
        if (!configured)
            return configured.error();
        retry = std::move(*configured);
    }
    return client::make(std::move(*settings), std::move(config), std::move(*transport), system_clock{}, std::move(*retry));
}

}  // namespace mturk::crowd

#endif
