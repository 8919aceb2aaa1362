// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// A terminal cancellation landing after a chosen number of handlers: the sweep of the
// cancellation tests, over a scripted transport and over a real HTTPS exchange.
#ifndef MTURK_CROWD_TESTS_CANCEL_AFTER_HPP
#define MTURK_CROWD_TESTS_CANCEL_AFTER_HPP

#include <catch.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>

#include <optional>

/// What one operation ended with, and how many times its handler ran.
template <class Result>
struct cancelled_outcome {
    std::optional<Result> result;
    int completions = 0;
};

/** Starts an operation with `start(token)`, runs `steps` handlers of `io`, emits a terminal
    cancellation, and runs `io` to its end (checking that nothing escapes it). */
template <class Result, class Start>
cancelled_outcome<Result> cancel_after(boost::asio::io_context& io, int steps, Start start)
{
    boost::asio::cancellation_signal cancel;
    cancelled_outcome<Result> out;
    start(boost::asio::bind_cancellation_slot(cancel.slot(), [&out](Result r) {
        ++out.completions;
        out.result = std::move(r);
    }));
    for (int ran = 0; ran < steps && io.run_one() != 0;)
        ++ran;
    cancel.emit(boost::asio::cancellation_type::terminal);
    CHECK_NOTHROW(io.run());
    return out;
}

#endif
