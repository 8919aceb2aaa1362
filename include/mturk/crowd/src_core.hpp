// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_SRC_CORE_HPP
#define MTURK_CROWD_SRC_CORE_HPP

/* The core's non-template code, compiled once (no Asio, no Beast): for a program built
   with MTURK_CROWD_SEPARATE_COMPILATION and a transport of its own. <mturk/crowd/src.hpp>
   includes it. */
#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#error "mturk-crowd: src.hpp and src_core.hpp are for builds that define MTURK_CROWD_SEPARATE_COMPILATION everywhere"
#endif

#include <mturk/crowd/batch/detail/impl/pipeline_core.ipp>
#include <mturk/crowd/batch/impl/schedule.ipp>
#include <mturk/crowd/engine/impl/client_engine.ipp>
#include <mturk/crowd/functions/impl/input_check.ipp>
#include <mturk/crowd/impl/clock.ipp>
#include <mturk/crowd/impl/endpoint.ipp>
#include <mturk/crowd/impl/proxy.ipp>
#include <mturk/crowd/impl/service_response.ipp>
#include <mturk/crowd/impl/resolved_settings.ipp>
#include <mturk/crowd/impl/task.ipp>
#include <mturk/crowd/impl/version.ipp>
#include <mturk/crowd/credentials/impl/container_provider.ipp>
#include <mturk/crowd/credentials/impl/credentials_json.ipp>
#include <mturk/crowd/credentials/impl/default_chain.ipp>
#include <mturk/crowd/credentials/impl/environment_provider.ipp>
#include <mturk/crowd/credentials/impl/file_cache.ipp>
#include <mturk/crowd/credentials/impl/http_fetch.ipp>
#include <mturk/crowd/credentials/impl/instance_metadata_provider.ipp>
#include <mturk/crowd/credentials/impl/process_provider.ipp>
#include <mturk/crowd/credentials/impl/profile_chain.ipp>
#include <mturk/crowd/credentials/impl/profile_provider.ipp>
#include <mturk/crowd/credentials/impl/sso_provider.ipp>
#include <mturk/crowd/credentials/impl/sts.ipp>
#include <mturk/crowd/settings/impl/environment.ipp>
#include <mturk/crowd/settings/impl/profile_file.ipp>
#include <mturk/crowd/sigv4/impl/signer.ipp>
#include <mturk/crowd/impl/log.ipp>
#include <mturk/crowd/telemetry/impl/metrics.ipp>
#include <mturk/crowd/telemetry/impl/traces.ipp>

#endif
