// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TRANSPORT_DETAIL_TIMED_TCP_STREAM_HPP
#define MTURK_CROWD_TRANSPORT_DETAIL_TIMED_TCP_STREAM_HPP

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/system/system_error.hpp>

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstddef>

// Used by the Beast transport (impl/beast.ipp) and, through http_stream, the server.
namespace mturk::crowd::transport::detail {

/// A peer that closed is an EPIPE from `sendmsg`, never a SIGPIPE: MSG_NOSIGNAL where it
/// exists; elsewhere (BSDs, macOS) Asio set SO_NOSIGPIPE on the socket when it made it.
#if defined(MSG_NOSIGNAL)
inline constexpr int no_sigpipe = MSG_NOSIGNAL;
#else
inline constexpr int no_sigpipe = 0;
#endif

/// A synchronous read's or write's count, or its error thrown: the throwing form of a call
/// that takes an error_code, as Asio's synchronous streams have both.
template <class Call>
std::size_t count_or_throw(Call&& call)
{
    boost::system::error_code ec;
    auto const n = call(ec);
    if (ec)
        throw boost::system::system_error(ec);
    return n;
}

/** Beast's `tcp_stream` (whose timeouts apply to asynchronous operations only) with
    synchronous reads and writes that keep a deadline too. They are blocking system calls
    bounded by the socket's own time-outs (SO_RCVTIMEO, SO_SNDTIMEO): no `poll`, no
    reactor, the same two calls as a blocking program makes, and a deadline that passes
    fails with `beast::error::timeout`, as an asynchronous operation's would. The socket
    time-outs follow the deadline within `deadline_slack`: they are set again only when
    they are further from it than that, so an exchange that is quick (every one of a busy
    program) costs no `setsockopt`.

    Asio keeps its sockets non-blocking; `block_until` makes this one blocking, and
    `resume_async` gives it back its non-blocking mode before the reactor uses it again
    (a connection can be used by a blocked thread one time and by the reactor the next:
    the synchronous transport, docs/architecture.md). Under TLS, this is the layer
    OpenSSL's records are read from and written to.

    A write is never left half done inside a call that returns success: `write_some`
    writes some bytes or fails, and Asio's `write` loops, so a TLS record's bytes are
    either all written or the connection is failed (and never reused). */
class timed_tcp_stream : public boost::beast::tcp_stream {
public:
    using time_point = std::chrono::steady_clock::time_point;
    /// How far the socket's time-outs may run past the deadline.
    static constexpr std::chrono::milliseconds deadline_slack{10};

    using boost::beast::tcp_stream::tcp_stream;

    /** The synchronous reads and writes from now on block, until `deadline` at the
        latest (past it by `deadline_slack` at most). False, with the system's error, when
        the socket cannot be made blocking. */
    bool block_until(time_point deadline, boost::system::error_code& ec)
    {
        ec = {};
        deadline_ = deadline;
        if (blocking_)
            return true;
        int off = 0;
        if (::ioctl(socket().native_handle(), FIONBIO, &off) != 0) {
            ec.assign(errno, boost::system::system_category());
            return false;
        }
        blocking_ = true;
        return true;
    }

    /// Non-blocking again, as Asio's operations need it (a no-op when it is).
    void resume_async() noexcept
    {
        if (!blocking_)
            return;
        int on = 1;
        ::ioctl(socket().native_handle(), FIONBIO, &on);
        blocking_ = false;
    }

    template <class MutableBufferSequence>
    std::size_t read_some(MutableBufferSequence const& buffers, boost::system::error_code& ec)
    {
        auto v = io_vectors::of(buffers);
        return transfer(v, false, ec);
    }

    template <class ConstBufferSequence>
    std::size_t write_some(ConstBufferSequence const& buffers, boost::system::error_code& ec)
    {
        auto v = io_vectors::of(buffers);
        return transfer(v, true, ec);
    }

    // The throwing forms complete what Beast and Asio ask of a synchronous stream.
    template <class MutableBufferSequence>
    std::size_t read_some(MutableBufferSequence const& buffers)
    {
        return count_or_throw([&](boost::system::error_code& ec) { return read_some(buffers, ec); });
    }
    template <class ConstBufferSequence>
    std::size_t write_some(ConstBufferSequence const& buffers)
    {
        return count_or_throw([&](boost::system::error_code& ec) { return write_some(buffers, ec); });
    }

private:
    struct io_vectors {
        std::array<iovec, 16> items{};
        std::size_t count = 0;
        std::size_t bytes = 0;
        /// The first 16 non-empty buffers of a sequence, read from or written to alike
        /// (iovec has no const; a write only reads them).
        template <class BufferSequence>
        static io_vectors of(BufferSequence const& buffers)
        {
            io_vectors v;
            for (auto it = boost::asio::buffer_sequence_begin(buffers);
                 it != boost::asio::buffer_sequence_end(buffers) && v.count < v.items.size(); ++it) {
                boost::asio::const_buffer const b(*it);
                if (b.size() == 0)
                    continue;
                v.items[v.count++] = iovec{const_cast<void*>(b.data()), b.size()};
                v.bytes += b.size();
            }
            return v;
        }
    };

    /// The socket's time-out for one direction (SO_SNDTIMEO or SO_RCVTIMEO) brought
    /// within `deadline_slack` of the deadline; false with `timeout` once it has passed.
    bool arm(bool sending, boost::system::error_code& ec)
    {
        auto const left =
            std::chrono::duration_cast<std::chrono::microseconds>(deadline_ - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            ec = boost::beast::error::timeout;
            return false;
        }
        auto& armed = sending ? send_timeout_ : receive_timeout_;
        if (armed.count() > 0 && armed >= left && armed - left <= deadline_slack)
            return true;
        timeval const limit{static_cast<time_t>(left.count() / 1000000), static_cast<suseconds_t>(left.count() % 1000000)};
        if (::setsockopt(socket().native_handle(), SOL_SOCKET, sending ? SO_SNDTIMEO : SO_RCVTIMEO, &limit,
                         sizeof limit) != 0) {
            ec.assign(errno, boost::system::system_category());
            return false;
        }
        armed = left;
        return true;
    }

    std::size_t transfer(io_vectors& v, bool sending, boost::system::error_code& ec)
    {
        ec = {};
        if (v.bytes == 0)
            return 0;
        if (!blocking_) {  // only after block_until: never a blocking call on a socket Asio owns
            ec = boost::asio::error::operation_not_supported;
            return 0;
        }
        int const fd = socket().native_handle();
        for (;;) {
            if (!arm(sending, ec))
                return 0;
            msghdr message{};
            message.msg_iov = v.items.data();
            message.msg_iovlen = v.count;
            auto const done = sending ? ::sendmsg(fd, &message, no_sigpipe) : ::recvmsg(fd, &message, 0);
            if (done > 0)
                return static_cast<std::size_t>(done);
            if (done == 0) {  // the peer closed (a send of some bytes never returns 0)
                ec = boost::asio::error::eof;
                return 0;
            }
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                // The socket's time-out ran out: the deadline has passed, or is at most
                // `deadline_slack` away; the next round sets exactly what is left, or fails.
                (sending ? send_timeout_ : receive_timeout_) = std::chrono::microseconds{0};
                continue;
            }
            ec.assign(errno, boost::system::system_category());
            return 0;
        }
    }

    time_point deadline_ = time_point::min();
    std::chrono::microseconds send_timeout_{0};     // as set on the socket: 0 none yet
    std::chrono::microseconds receive_timeout_{0};
    bool blocking_ = false;
};

}  // namespace mturk::crowd::transport::detail

#endif
