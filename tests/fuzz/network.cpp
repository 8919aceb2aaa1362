// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// Fuzz targets for what crosses the network: the HTTP response parser behind the
// transport with what the client reads of an answer, and crowd-emulator's handling of
// requests and of its state file.
#include "fuzz_target.hpp"

#include <mturk/crowd/client_types.hpp>
#include <mturk/crowd/engine/client_engine.hpp>
#include <mturk/crowd/service_response.hpp>
#include <mturk/crowd/sigv4/signer.hpp>
#include <mturk/crowd/testing/emulator.hpp>
#include <mturk/crowd/transport/detail/response_reader.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <memory>

namespace crowd = mturk::crowd;
namespace sigv4 = mturk::crowd::sigv4;
using namespace std::chrono_literals;

namespace {

/// The bytes of a response, read as the transport reads them: the first byte says where
/// the bytes are cut in two (as two reads from the socket would give them).
void http_response(std::string_view input)
{
    if (input.empty())
        return;
    std::size_t const cut = std::min<std::size_t>(static_cast<unsigned char>(input[0]), input.size() - 1);
    input.remove_prefix(1);
    crowd::http_response response;
    crowd::transport::detail::response_reader reader(response);
    reader.body_limit(1u << 16);
    reader.eager(true);
    std::string buffer(input.substr(0, cut));
    std::string_view rest = input.substr(cut);
    boost::system::error_code ec;
    for (;;) {
        auto const used = reader.put(boost::asio::buffer(buffer), ec);
        FUZZ_CHECK(used <= buffer.size());
        buffer.erase(0, used);
        if (ec == boost::beast::http::error::need_more && !rest.empty()) {
            buffer.append(rest);
            rest = {};
            ec = {};
            continue;
        }
        if (!ec && !reader.is_done() && used != 0)
            continue;
        break;
    }
    // The end of the stream, as Beast's read gives it: the end of a message without a length
    // once something was read (put_eof's precondition), else end_of_stream.
    if (ec == boost::beast::http::error::need_more && reader.got_some())
        reader.put_eof(ec);
    if (!reader.is_header_done())
        return;
    FUZZ_CHECK(response.status <= 999);  // three digits, "000" included (Beast reads what it is sent)
    FUZZ_CHECK(response.body.size() <= (1u << 16));
    // What the client makes of an answer.
    (void)crowd::read_service_message(response);
    (void)crowd::error_from_response(crowd::http_method::get, response);
    (void)crowd::error_from_response(crowd::http_method::put, response);
    if (auto const date = response.fields.find("Date"))
        (void)crowd::parse_http_date(*date);
    (void)response.request_id();
    if (response.status / 100 == 2)
        (void)crowd::detail::read_task<crowd::untyped_function>(response);
}

struct clocked_emulator {
    std::shared_ptr<crowd::testing::emulator::time_point> now =
        std::make_shared<crowd::testing::emulator::time_point>(std::chrono::sys_days{std::chrono::year{2026} / 12 / 5});
    crowd::testing::emulator emulator{make_options(), [now = now] { return *now; }};

    static crowd::testing::emulator_options make_options()
    {
        crowd::testing::emulator_options options;
        options.fail_share = 0.3;
        options.complete_after = 3s;
        return options;
    }
};

/// Fields, four a request: the method (its first byte; 'u' after it: unsigned), the
/// target, the body, "name:value" header lines; each request comes a second after the
/// one before. The emulator's state after them reads back as itself.
void emulator_requests(std::string_view input)
{
    auto const parts = fuzz::fields(input);
    clocked_emulator server;
    sigv4::signer signer;
    auto const creds = sigv4::credentials::make("AKIDCROWDEMULATOR", "crowd-emulator-secret");
    FUZZ_CHECK(creds.has_value());
    for (std::size_t i = 0; i < parts.size() && i < 64; i += 4) {
        auto const method = fuzz::field(parts, i);
        crowd::http_request request;
        request.method =
            static_cast<crowd::http_method>((method.empty() ? 0u : static_cast<unsigned char>(method[0])) % 4u);
        request.target = std::string(fuzz::field(parts, i + 1));
        request.body = std::string(fuzz::field(parts, i + 2));
        request.fields.add("Host", "crowd.us-east-1.amazonaws.com");
        auto lines = fuzz::field(parts, i + 3);
        while (!lines.empty()) {
            auto const end = lines.find('\n');
            auto const line = lines.substr(0, end);
            lines = end == std::string_view::npos ? std::string_view{} : lines.substr(end + 1);
            if (auto const colon = line.find(':'); colon != std::string_view::npos)
                request.fields.add(line.substr(0, colon), line.substr(colon + 1));
        }
        if (method.substr(std::min<std::size_t>(1, method.size())).find('u') == std::string_view::npos)
            (void)signer.sign(request, *creds,
                              {.region = "us-east-1", .service = "crowd",
                               .time = std::chrono::floor<std::chrono::seconds>(*server.now)});
        auto const response = server.emulator.handle(request);
        FUZZ_CHECK(response.status >= 200 && response.status <= 599);
        if (response.status >= 400) {  // every refusal says why, in JSON, as the service does
            boost::system::error_code ec;
            auto const body = boost::json::parse(response.body, ec);
            if (ec || !body.is_object())
                std::fprintf(stderr, "answer %u: %s\n", response.status, response.body.c_str());
            FUZZ_CHECK(!ec && body.is_object());
        }
        *server.now += 1s;
    }
    auto const saved = server.emulator.save_state();
    clocked_emulator restarted;
    auto const loaded = restarted.emulator.load_state(saved);
    FUZZ_CHECK(loaded.has_value());
    FUZZ_CHECK(restarted.emulator.save_state() == saved);
}

/// A state file (a save_state document or a journal): read, or refused whole.
void emulator_state(std::string_view input)
{
    clocked_emulator server;
    auto const before = server.emulator.save_state();
    auto const loaded = server.emulator.load_state(input);
    if (!loaded) {
        FUZZ_CHECK(server.emulator.save_state() == before);  // all or nothing
        return;
    }
    auto const saved = server.emulator.save_state();
    clocked_emulator restarted;
    FUZZ_CHECK(restarted.emulator.load_state(saved).has_value());
    FUZZ_CHECK(restarted.emulator.save_state() == saved);
}

fuzz::target const targets[] = {
    {"http_response", &http_response},
    {"emulator_requests", &emulator_requests},
    {"emulator_state", &emulator_state},
};

}  // namespace

std::span<fuzz::target const> fuzz::network_targets()
{
    return targets;
}
