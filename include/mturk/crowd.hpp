// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_HPP
#define MTURK_CROWD_HPP

// Everything the library offers without Asio: the core, the catalogue, the client
// template, signing and the credential providers. The clients over Beast are in
// <mturk/crowd/beast_client.hpp> and <mturk/crowd/beast_async_client.hpp>. Include the
// single headers instead to compile less.
#include <mturk/crowd/client.hpp>
#include <mturk/crowd/core.hpp>
#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/http_text.hpp>
#include <mturk/crowd/log_redaction.hpp>
#include <mturk/crowd/credentials/container_provider.hpp>
#include <mturk/crowd/credentials/default_chain.hpp>
#include <mturk/crowd/credentials/environment_provider.hpp>
#include <mturk/crowd/credentials/file_cache.hpp>
#include <mturk/crowd/credentials/instance_metadata_provider.hpp>
#include <mturk/crowd/credentials/process_provider.hpp>
#include <mturk/crowd/credentials/profile_chain.hpp>
#include <mturk/crowd/credentials/profile_provider.hpp>
#include <mturk/crowd/credentials/provider.hpp>
#include <mturk/crowd/credentials/sso_provider.hpp>
#include <mturk/crowd/credentials/sts.hpp>
#include <mturk/crowd/sigv4/signer.hpp>
#include <mturk/crowd/sigv4/signing_context.hpp>
#include <mturk/crowd/log.hpp>
#include <mturk/crowd/telemetry/metrics.hpp>
#include <mturk/crowd/telemetry/traces.hpp>

#endif
