// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TRANSPORT_DETAIL_HTTP_STREAM_HPP
#define MTURK_CROWD_TRANSPORT_DETAIL_HTTP_STREAM_HPP

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <mturk/crowd/transport/detail/timed_tcp_stream.hpp>

#include <array>
#include <cstddef>

// Used by the Beast transport (impl/beast.ipp) and the server (impl/http_server.ipp).
namespace mturk::crowd::transport::detail {

/** A connection's stream, TLS or plain TCP, as one type: Beast's HTTP reading and writing
    (and each layer under them) are compiled once for it, instead of once for each stream
    type and again for each operation stacked on them. Reads and writes go to the stream
    under it behind an `any_completion_handler`, so the streams' own operations are
    compiled once each too. The timeouts stay the tcp_stream's. The synchronous reads and
    writes (the synchronous transport's exchange on a kept connection) go to the same
    streams, with `timed_tcp_stream`'s deadline. */
class http_stream {
public:
    using executor_type = boost::asio::any_io_executor;
    using tls_stream = boost::beast::ssl_stream<timed_tcp_stream>;
    using io_handler = boost::asio::any_completion_handler<void(boost::system::error_code, std::size_t)>;

    explicit http_stream(tls_stream& tls) : tls_(&tls) {}
    explicit http_stream(timed_tcp_stream& tcp) : tcp_(&tcp) {}

    executor_type get_executor() const { return tls_ ? tls_->get_executor() : tcp_->get_executor(); }

    /// At most 16 of a sequence's buffers, as one type; a write may write part of what it
    /// is given, and Beast writes the rest next.
    struct buffer_list {
        std::array<boost::asio::const_buffer, 16> items{};
        std::size_t count = 0;
        boost::asio::const_buffer const* begin() const noexcept { return items.data(); }
        boost::asio::const_buffer const* end() const noexcept { return items.data() + count; }

        template <class ConstBufferSequence>
        static buffer_list of(ConstBufferSequence const& buffers)
        {
            buffer_list list;
            for (auto it = boost::asio::buffer_sequence_begin(buffers);
                 it != boost::asio::buffer_sequence_end(buffers) && list.count < list.items.size(); ++it)
                list.items[list.count++] = boost::asio::const_buffer(*it);
            return list;
        }
    };

    /// The first buffer only: a read may read less than it is offered.
    template <class MutableBufferSequence>
    static boost::asio::mutable_buffer first_of(MutableBufferSequence const& buffers)
    {
        auto it = boost::asio::buffer_sequence_begin(buffers);
        return it != boost::asio::buffer_sequence_end(buffers) ? boost::asio::mutable_buffer(*it)
                                                                : boost::asio::mutable_buffer();
    }

    template <class ConstBufferSequence, class Token>
    auto async_write_some(ConstBufferSequence const& buffers, Token&& token)
    {
        return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
            [this](auto handler, buffer_list const& l) { start_write(l, io_handler(std::move(handler))); }, token,
            buffer_list::of(buffers));
    }

    template <class MutableBufferSequence, class Token>
    auto async_read_some(MutableBufferSequence const& buffers, Token&& token)
    {
        return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
            [this](auto handler, boost::asio::mutable_buffer b) { start_read(b, io_handler(std::move(handler))); },
            token, first_of(buffers));
    }

    /// Synchronous, until the deadline given to the `timed_tcp_stream` under it.
    template <class ConstBufferSequence>
    std::size_t write_some(ConstBufferSequence const& buffers, boost::system::error_code& ec)
    {
        auto const list = buffer_list::of(buffers);
        return tls_ ? tls_->write_some(list, ec) : tcp_->write_some(list, ec);
    }

    template <class MutableBufferSequence>
    std::size_t read_some(MutableBufferSequence const& buffers, boost::system::error_code& ec)
    {
        auto const first = first_of(buffers);
        return tls_ ? tls_->read_some(first, ec) : tcp_->read_some(first, ec);
    }

    // The throwing forms complete what Beast asks of a synchronous stream.
    template <class ConstBufferSequence>
    std::size_t write_some(ConstBufferSequence const& buffers)
    {
        return count_or_throw([&](boost::system::error_code& ec) { return write_some(buffers, ec); });
    }
    template <class MutableBufferSequence>
    std::size_t read_some(MutableBufferSequence const& buffers)
    {
        return count_or_throw([&](boost::system::error_code& ec) { return read_some(buffers, ec); });
    }

private:
    /** The erased handler as the stream's own operations get it: on the stream's executor
        (Boost 1.81's any_completion_executor cannot be asked for `blocking.never`, which
        Beast's operations ask of a handler's executor), with the handler's cancellation
        slot and allocator. The operations above run on that same executor. */
    struct on_stream_executor {
        using executor_type = boost::asio::any_io_executor;
        io_handler handler;
        executor_type executor;

        using cancellation_slot_type = boost::asio::associated_cancellation_slot_t<io_handler>;
        using allocator_type = boost::asio::associated_allocator_t<io_handler>;
        executor_type get_executor() const noexcept { return executor; }
        cancellation_slot_type get_cancellation_slot() const noexcept
        {
            return boost::asio::get_associated_cancellation_slot(handler);
        }
        allocator_type get_allocator() const noexcept { return boost::asio::get_associated_allocator(handler); }
        void operator()(boost::system::error_code ec, std::size_t n) { std::move(handler)(ec, n); }
    };

    void start_write(buffer_list const& buffers, io_handler handler)
    {
        on_stream_executor h{std::move(handler), get_executor()};
        if (tls_)
            tls_->async_write_some(buffers, std::move(h));
        else
            tcp_->async_write_some(buffers, std::move(h));
    }
    void start_read(boost::asio::mutable_buffer buffer, io_handler handler)
    {
        on_stream_executor h{std::move(handler), get_executor()};
        if (tls_)
            tls_->async_read_some(buffer, std::move(h));
        else
            tcp_->async_read_some(buffer, std::move(h));
    }

    tls_stream* tls_ = nullptr;
    timed_tcp_stream* tcp_ = nullptr;
};

}  // namespace mturk::crowd::transport::detail

#endif
