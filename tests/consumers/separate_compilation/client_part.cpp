// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// A second translation unit that uses what src.hpp compiles: the endpoint, the status
// mapping and the Beast transport, through make_client.
#include <mturk/crowd/beast_client.hpp>

#include <cstdio>

int use_the_client_part()
{
    namespace crowd = mturk::crowd;
    constexpr crowd::account_id account{"123456789012"};
    auto client = crowd::make_client({.account = account,
                                      .endpoint = "http://127.0.0.1:9",
                                      .credentials = [] { return crowd::sigv4::credentials::make("AKIDEXAMPLE", "s"); },
                                      .env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; }});
    if (!client || client->service_endpoint().url() != "http://127.0.0.1:9") {
        std::puts("make_client failed");
        return 1;
    }
    crowd::http_response throttled{429, {}, R"({"message":"Rate exceeded"})"};
    return crowd::error_from_response(crowd::http_method::get, throttled) == crowd::errc::throttled ? 0 : 1;
}
