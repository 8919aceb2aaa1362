// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// A small HTTP(S) server on 127.0.0.1 for transport tests, running in its own thread:
// it answers, or answers and then closes kept-alive connections behind the client's
// back, or reads requests and never answers. Compiled once (test_server.cpp): its Beast
// code would otherwise be compiled again in every test file that starts one.
#ifndef MTURK_CROWD_TESTS_TEST_SERVER_HPP
#define MTURK_CROWD_TESTS_TEST_SERVER_HPP

#include "test_pki.hpp"

#include <mturk/crowd/http_message.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace test_server {

enum class behaviour { answer, answer_then_close, never_answer };

struct reply {
    unsigned status = 200;
    std::string body;
};
/// What the server answers a request with (method, target, fields and body as received).
using handler = std::function<reply(mturk::crowd::http_request const&)>;

class server {
public:
    /// TLS with `tls` as the server's certificate and key; plain HTTP without. Without a
    /// handler it echoes the target and the Host field as JSON.
    server(std::optional<test_pki::identity> tls, behaviour b, handler h = {});
    ~server();
    server(server const&) = delete;
    server& operator=(server const&) = delete;

    unsigned short port() const;
    int connections() const;
    int requests() const;

private:
    struct state;
    std::unique_ptr<state> state_;
};

}  // namespace test_server

#endif
