// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TRANSPORT_DETAIL_RESPONSE_READER_HPP
#define MTURK_CROWD_TRANSPORT_DETAIL_RESPONSE_READER_HPP

#include <mturk/crowd/http_message.hpp>

#include <boost/beast/http/basic_parser.hpp>

#include <cstdint>
#include <string_view>

/* The parser of what a server answers, on its own so that the fuzz target
   (tests/fuzz) reads bytes exactly as the transport does. */
namespace mturk::crowd::transport::detail {

/** Beast's response parser writing straight into an `http_response`: the status, each
    field, and the body (at most `body_limit` bytes, as Beast's own parser counts them). */
class response_reader : public boost::beast::http::basic_parser<false> {
public:
    explicit response_reader(http_response& out) : out_(out) {}

private:
    void on_request_impl(boost::beast::http::verb, boost::beast::string_view, boost::beast::string_view, int,
                         boost::beast::error_code&) override
    {
    }
    void on_response_impl(int code, boost::beast::string_view, int, boost::beast::error_code&) override
    {
        out_.status = static_cast<unsigned>(code);
    }
    void on_field_impl(boost::beast::http::field, boost::beast::string_view name, boost::beast::string_view value,
                       boost::beast::error_code&) override
    {
        out_.fields.add(std::string_view(name.data(), name.size()), std::string_view(value.data(), value.size()));
    }
    void on_header_impl(boost::beast::error_code&) override {}
    void on_body_init_impl(boost::optional<std::uint64_t> const& length, boost::beast::error_code&) override
    {
        if (length)  // within the body limit: Beast checked it before this call
            out_.body.reserve(static_cast<std::size_t>(*length));
    }
    std::size_t on_body_impl(boost::beast::string_view body, boost::beast::error_code&) override
    {
        out_.body.append(body.data(), body.size());
        return body.size();
    }
    void on_chunk_header_impl(std::uint64_t, boost::beast::string_view, boost::beast::error_code&) override {}
    std::size_t on_chunk_body_impl(std::uint64_t, boost::beast::string_view body, boost::beast::error_code&) override
    {
        out_.body.append(body.data(), body.size());
        return body.size();
    }
    void on_finish_impl(boost::beast::error_code&) override {}

    http_response& out_;
};

}  // namespace mturk::crowd::transport::detail

#endif
