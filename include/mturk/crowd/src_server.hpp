// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_SRC_SERVER_HPP
#define MTURK_CROWD_SRC_SERVER_HPP

/* transport::http_server's code (<mturk/crowd/transport/http_server.hpp>), compiled once,
   for a program built with MTURK_CROWD_SEPARATE_COMPILATION that serves stand-ins of the
   service (crowd-emulator, tests): include it in one translation unit beside
   <mturk/crowd/src.hpp>. Kept apart, as the emulator is (testing/src.hpp), so that a
   program that runs no server carries none of it; it needs Asio, Beast and OpenSSL. */
#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#error "mturk-crowd: src_server.hpp is for builds that define MTURK_CROWD_SEPARATE_COMPILATION everywhere"
#endif

#include <mturk/crowd/transport/impl/http_server.ipp>

#endif
