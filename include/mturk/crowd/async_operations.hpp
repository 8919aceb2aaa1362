// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_ASYNC_OPERATIONS_HPP
#define MTURK_CROWD_ASYNC_OPERATIONS_HPP

/* `basic_client`'s asynchronous operations (`async_create`, `async_get`, `async_remove`,
   `async_wait`) for any transport that is an `async_transport`
   (<mturk/crowd/transport/concepts.hpp> says what one must do): include this header with
   a transport of your own. <mturk/crowd/beast_async_client.hpp> includes it for the Beast
   one. Kept apart from <mturk/crowd/client.hpp> so that a synchronous program does not
   compile the asynchronous runner (engine/async_runner.hpp). */
#include <mturk/crowd/client.hpp>
#include <mturk/crowd/engine/async_runner.hpp>

#endif
