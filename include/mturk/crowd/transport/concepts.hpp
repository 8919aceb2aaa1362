// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TRANSPORT_CONCEPTS_HPP
#define MTURK_CROWD_TRANSPORT_CONCEPTS_HPP

#include <mturk/crowd/error.hpp>
#include <mturk/crowd/http_message.hpp>

#include <concepts>

/* What a transport must be for `basic_client`: the header to read when writing one of
   your own, synchronous or asynchronous. It needs neither Asio nor the client. */
namespace mturk::crowd {

/** What the client asks of a transport: send one request, give back the response or the
    error that prevented one (a connection error, a timeout, a TLS failure).

    | expression     | type                        |
    |----------------|-----------------------------|
    | `t.send(req)`  | `result<http_response>`     |

    Where to connect is the transport's own configuration; `req.fields` has the `Host`.

    A failure says how far the request got, with `error::set_progress`: `not_sent` when
    nothing of it was written (resolve, connect, TLS), `sent_no_answer` when it was written
    in full or in part and no answer came. The client's outcomes depend on it: a DELETE
    that finds no task after an attempt that may have been acted on succeeded. A failure
    left `unknown` is taken as "may have been acted on". A response the transport got by
    sending the request a second time sets `http_response::resent`.
*/
template <class T>
concept sends_requests = requires(T& t, http_request const& request) {
    { t.send(request) } -> std::same_as<result<http_response>>;
};

namespace detail {

/// A handler of the signature an asynchronous transport completes with: what
/// `async_transport` tries `async_send` with.
struct send_completion_probe {
    void operator()(result<http_response>) const {}
};

}  // namespace detail

/** What the client asks of an asynchronous transport (Asio): `async_send(request, token)`
    completing with `void(result<http_response>)`, and `get_executor()`, where the client
    runs its timers. It declares `using is_async_transport = std::true_type;`, so that a
    transport is one kind or the other by its own word. `transport::async_beast_transport`
    is one. A program with its own includes <mturk/crowd/async_operations.hpp>, which
    gives `basic_client` its asynchronous operations. The concept tries `async_send` with a
    callback and `get_executor()`, not only the tag.

    | expression                | meaning                                           |
    |---------------------------|---------------------------------------------------|
    | `T::is_async_transport`   | `std::true_type`                                  |
    | `t.async_send(req, tok)`  | sends `req` (kept alive by the client until completion); completes with `void(result<http_response>)` |
    | `t.get_executor()`        | the executor the client's timers run on           |

    A failure says how far the request got, as for `sends_requests`. A cancellation asked
    for through the token's slot (terminal) ends the exchange with `operation_aborted`;
    a transport that cannot cancel may complete the exchange instead. The handler is
    called exactly once.
*/
template <class T>
concept async_transport = T::is_async_transport::value && requires(T& t, http_request const& request) {
    t.get_executor();
    t.async_send(request, detail::send_completion_probe{});
};

}  // namespace mturk::crowd

#endif
