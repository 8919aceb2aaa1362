// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_SRC_HPP
#define MTURK_CROWD_SRC_HPP

/* The library's non-template code, compiled once: include this file in exactly one
   translation unit of a program built with MTURK_CROWD_SEPARATE_COMPILATION defined
   everywhere (the Boost.JSON model). Without that macro every header is self-sufficient
   and this file is not needed.

   It compiles the signer, the credential providers (credential_process, STS with Expat,
   IAM Identity Center, containers, instance metadata), the profile files, the endpoint,
   the settings, the proxy rules, the service-response mapping and the Beast transport;
   <mturk/crowd/testing/src.hpp> adds the emulator. It needs Asio, Beast and OpenSSL,
   as the transport does; a program with its own transport includes
   <mturk/crowd/src_core.hpp> instead. */
#include <mturk/crowd/src_core.hpp>
#include <mturk/crowd/transport/impl/beast.ipp>
#include <mturk/crowd/impl/beast_client.ipp>

#endif
