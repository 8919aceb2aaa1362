// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// crowd-bench-client: what the client adds to a request, beside what it cannot avoid, in
// the same run.
//
//   1. A GET of a task over a kept-alive loopback HTTP connection to a server in this
//      process: `client.get<sentiment_analysis>()` (sign, send through the Beast
//      transport, check the status, read the typed task) beside plain Beast writing the
//      same request bytes and reading the answer. The difference is the client's work.
//   2. The same GET with the pool held to one connection (`max_connections = 1`): the
//      pool's bookkeeping is the same whatever its size.
//   1 and 2 take turns with plain Beast, round by round (each on its own connection to
//   the same server), so that the machine's changes of speed fall on all of them alike;
//   the ratio is the median of the rounds'. Beside them, where the difference goes: the
//   transport alone sending the pre-signed request, and the client's own work over a
//   transport that answers at once with no I/O.
//   1b. The GET and plain Beast again with the server's threads on the client's
//      processor: no processor wakes another, so the difference is the client's processor
//      time alone. Across processors, on a virtual machine, the time a client spends
//      between two requests costs more than itself (the other processor has gone idle
//      and must be woken), which any work the client does pays.
//   3. The pool's own cost under load: 64 overlapping `async_get`s on one async client
//      whose pool holds 64 connections, beside 64 async clients of one connection each
//      (nothing shared), against one server (transport::http_server) on another thread.
//   4. Reading a task document: `parse_task<sentiment_analysis>` beside Boost.JSON's
//      `parse` of the same text into a DOM, which any reader of the document pays.
//
// Heap allocations are counted per thread (the server's do not count) by replacing the
// global operator new.
//
// Usage: crowd-bench-client [--quick]
// Last lines: summary-get: ..., summary-pool: ... and summary-parse: ...
#include "allocation_counter.hpp"

#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/beast_client.hpp>
#include <mturk/crowd/beast_async_client.hpp>
#include <mturk/crowd/transport/http_server.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

constexpr std::string_view task_document =
    R"({"taskName":"review-42","input":{"text":"The service was quick and the staff were friendly."},)"
    R"("problemDetails":null,"state":"completed","result":{"sentiment":"positive"}})";

/// Best of `rounds` rounds of `iterations` calls: ns per call, and allocations per call
/// on this thread.
struct measured {
    double ns = 1e300;
    double allocations = 0;
};

template <class F>
measured measure(F&& f, int iterations, int rounds)
{
    measured m;
    for (int r = 0; r != rounds; ++r) {
        auto const before = bench::allocation_count();
        auto const start = clock_type::now();
        for (int i = 0; i != iterations; ++i)
            f();
        std::chrono::duration<double, std::nano> const elapsed = clock_type::now() - start;
        m.ns = std::min(m.ns, elapsed.count() / iterations);
        m.allocations = static_cast<double>(bench::allocation_count() - before) / iterations;
    }
    return m;
}

/** The processors the two sides run on. Each side of the comparison talks to a server
    thread of its own (one per connection); where the scheduler puts those threads
    changes a loopback round trip by a third on this machine (a wake-up on the same core
    against one on the other), so every server thread runs on one processor and the
    measuring thread on another, the same for all. One processor: both on it. */
int client_cpu() { return 0; }
int other_cpu() { return std::thread::hardware_concurrency() > 1 ? 1 : 0; }

void pin_to(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);  // best effort: unpinned, it still measures
}

/// Answers every request with the task document, kept alive; a thread per connection,
/// each on processor `cpu`.
class document_server {
public:
    explicit document_server(int cpu) : cpu_(cpu), acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0})
    {
        thread_ = std::thread([this] { run(); });
    }
    ~document_server()
    {
        stopping_ = true;
        boost::system::error_code ignored;
        tcp::socket wake(io_);
        wake.connect(acceptor_.local_endpoint(), ignored);  // unblocks accept()
        thread_.join();
    }
    unsigned short port() const { return acceptor_.local_endpoint().port(); }

private:
    void run()
    {
        http::response<http::string_body> answer{http::status::ok, 11};
        answer.set(http::field::content_type, "application/json");
        answer.set("x-amzn-RequestId", "bench");
        answer.body() = task_document;
        answer.keep_alive(true);
        answer.prepare_payload();
        std::vector<std::thread> sessions;
        while (!stopping_) {
            boost::system::error_code ec;
            tcp::socket socket = acceptor_.accept(ec);
            if (ec || stopping_)
                break;
            socket.set_option(tcp::no_delay(true));
            sessions.emplace_back([this, &answer, socket = std::move(socket)]() mutable {
                pin_to(cpu_);
                beast::flat_buffer buffer;
                for (;;) {
                    boost::system::error_code ec;
                    http::request<http::string_body> request;
                    http::read(socket, buffer, request, ec);
                    if (ec)
                        break;
                    http::write(socket, answer, ec);
                    if (ec)
                        break;
                }
            });
        }
        for (auto& t : sessions)  // each ends when its client closes
            t.join();
    }

    int cpu_;
    asio::io_context io_;
    tcp::acceptor acceptor_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

/// What `measure_in_turn` found for one of its functions: its best round, and the
/// median over the rounds of its time divided by the first function's in the same round.
struct measured_in_turn : measured {
    double median_ratio = 1;
};

/// `rounds` rounds of `iterations` calls of each of `f...`, taking turns, so that a
/// change of the machine's speed during the run falls on all of them alike. The ratio
/// to the first is taken round by round, between calls a few milliseconds apart, and its
/// median kept: on a machine whose speed moves by a fifth within minutes, the best
/// rounds of two functions may come from different minutes.
template <class... F>
std::array<measured_in_turn, sizeof...(F)> measure_in_turn(int iterations, int rounds, F&... f)
{
    std::array<measured_in_turn, sizeof...(F)> best;
    std::array<std::vector<double>, sizeof...(F)> ratios;
    for (int r = 0; r != rounds; ++r) {
        std::array<measured, sizeof...(F)> round;
        std::size_t i = 0;
        ((round[i] = measure(f, iterations, 1), ++i), ...);
        for (i = 0; i != round.size(); ++i) {
            if (round[i].ns < best[i].ns)
                static_cast<measured&>(best[i]) = round[i];
            ratios[i].push_back(round[i].ns / round[0].ns);
        }
    }
    for (std::size_t i = 0; i != best.size(); ++i) {
        auto& v = ratios[i];
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
        best[i].median_ratio = v[v.size() / 2];
    }
    return best;
}

crowd::client_config config_for(std::string const& endpoint)
{
    static auto const creds =
        crowd::sigv4::credentials::make("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").value();
    return {.account = crowd::account_id("123456789012"),
            .endpoint = endpoint,
            .credentials = [] { return crowd::result<crowd::sigv4::credentials>(creds); },
            .env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; }};
}

/// Best of `rounds` rounds of `batches` batches of 64 overlapping GETs, spread over
/// `clients` (one: all on its pool; 64: one each): ns per GET, allocations per GET.
measured overlapping_gets(std::vector<crowd::async_client>& clients, asio::io_context& io, int batches, int rounds,
                          bool& ok)
{
    constexpr crowd::task_name name{"review-42"};
    auto batch = [&] {
        int done = 0;
        for (int i = 0; i != 64; ++i)
            clients[static_cast<std::size_t>(i) % clients.size()].async_get<fn::sentiment_analysis>(name, [&](auto r) {
                ok = ok && r && r->result->sentiment == fn::sentiment::positive;
                ++done;
            });
        io.restart();
        io.run();
        ok = ok && done == 64;
    };
    batch();  // opens the connections
    auto m = measure(batch, batches, rounds);
    m.ns /= 64;
    m.allocations /= 64;
    return m;
}

}  // namespace

int main(int argc, char** argv)
{
    pin_to(client_cpu());
    bool const quick = argc > 1 && std::string_view(argv[1]) == "--quick";
    int const requests = quick ? 200 : 2000;
    int const parses = quick ? 2000 : 200000;
    int const rounds = quick ? 2 : 25;

    document_server server(other_cpu());
    std::string const endpoint = "http://127.0.0.1:" + std::to_string(server.port());
    constexpr crowd::account_id account{"123456789012"};
    constexpr crowd::task_name name{"review-42"};
    auto const creds = crowd::sigv4::credentials::make("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").value();
    auto client = crowd::make_client({.account = account,
                                      .endpoint = endpoint,
                                      .credentials = [creds] { return crowd::result<crowd::sigv4::credentials>(creds); },
                                      .env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; }})
                      .value();

    // The floor: plain Beast sending the bytes of a request the client signed once.
    auto pending = crowd::detail::access::engine(client).start_request(crowd::http_method::get, fn::sentiment_analysis::name, name, {});
    if (!crowd::detail::access::engine(client).sign_attempt(pending)) {
        std::fprintf(stderr, "signing failed\n");
        return 1;
    }
    http::request<http::empty_body> raw_request{http::verb::get, pending.message.target, 11};
    for (auto const& f : pending.message.fields)
        raw_request.set(f.name, f.value);
    raw_request.keep_alive(true);
    asio::io_context io;
    auto connect_to = [&](document_server const& to) {
        tcp::socket socket(io);
        socket.connect({asio::ip::make_address("127.0.0.1"), to.port()});
        socket.set_option(tcp::no_delay(true));
        return socket;
    };
    tcp::socket raw = connect_to(server);
    beast::flat_buffer raw_buffer;
    bool ok = true;
    auto plain_beast_on = [&](tcp::socket& socket) {
        boost::system::error_code ec;
        http::write(socket, raw_request, ec);
        http::response<http::string_body> response;
        http::read(socket, raw_buffer, response, ec);
        ok = ok && !ec && response.body().size() == task_document.size();
    };
    auto plain_beast = [&] { plain_beast_on(raw); };
    auto typed_get = [&] {
        auto t = client.get<fn::sentiment_analysis>(name);
        ok = ok && t && t->result->sentiment == fn::sentiment::positive;
    };
    // 2. The pool held to one connection: the pool's bookkeeping is the same whatever its size.
    auto single = crowd::make_client(config_for(endpoint), {.pool = {.max_connections = 1}}).value();
    auto typed_get_single = [&] {
        auto t = single.get<fn::sentiment_analysis>(name);
        ok = ok && t && t->result->sentiment == fn::sentiment::positive;
    };
    // Where the client's extra time goes: the transport alone (the pre-signed request
    // through `beast_transport::send`, in turn with the others), and the client's own
    // work with no I/O at all (the same typed GET over a transport that hands back a
    // canned answer: signing, the request, the status, reading the typed task).
    auto transport_send = [&] {
        auto r = client.transport().send(pending.message);
        ok = ok && r && r->body.size() == task_document.size();
    };
    struct canned_transport {
        crowd::http_response answer;
        crowd::result<crowd::http_response> send(crowd::http_request const&) { return answer; }
    };
    crowd::http_response canned;
    canned.status = 200;
    canned.fields.add("Content-Type", "application/json");
    canned.fields.add("x-amzn-RequestId", "bench");
    canned.body = std::string(task_document);
    auto no_io = crowd::basic_client<canned_transport>::make(config_for(endpoint), canned_transport{canned}).value();
    auto const own_work = measure(
        [&] {
            auto t = no_io.get<fn::sentiment_analysis>(name);
            ok = ok && t && t->result->sentiment == fn::sentiment::positive;
        },
        requests * 10, rounds);
    plain_beast();  // each opens its connection before the rounds begin
    typed_get();
    typed_get_single();
    auto const [floor, get, get_single, transport_only] =
        measure_in_turn(requests, rounds, plain_beast, typed_get, typed_get_single, transport_send);
    raw.close();

    // 1b. Both sides on one processor: the client's processor time alone.
    document_server server_here(client_cpu());
    std::string const endpoint_here = "http://127.0.0.1:" + std::to_string(server_here.port());
    tcp::socket raw_here = connect_to(server_here);
    auto client_here = crowd::make_client(config_for(endpoint_here)).value();
    auto plain_beast_here = [&] { plain_beast_on(raw_here); };
    auto typed_get_here = [&] {
        auto t = client_here.get<fn::sentiment_analysis>(name);
        ok = ok && t && t->result->sentiment == fn::sentiment::positive;
    };
    plain_beast_here();
    typed_get_here();
    auto const [floor_here, get_here] = measure_in_turn(requests, rounds, plain_beast_here, typed_get_here);
    raw_here.close();
    if (!ok) {
        std::fprintf(stderr, "a request failed\n");
        return 1;
    }
    if (client.transport().connections_opened() != 1 || single.transport().connections_opened() != 1 ||
        client_here.transport().connections_opened() != 1) {
        std::fprintf(stderr, "the client did not keep its connection alive\n");
        return 1;
    }

    // 3. 64 overlapping GETs: one pool of 64, or 64 clients of one connection each.
    asio::io_context server_io;
    auto many_server = crowd::transport::http_server::make(server_io.get_executor(), {},
                                                           [](crowd::http_request const&, auto const&) {
                                                               crowd::transport::server_reply reply;
                                                               reply.response.status = 200;
                                                               reply.response.fields.add("Content-Type", "application/json");
                                                               reply.response.body = std::string(task_document);
                                                               return reply;
                                                           })
                           .value();
    many_server.start();
    std::thread server_thread([&] { server_io.run(); });
    asio::io_context client_io;
    std::vector<crowd::async_client> pooled;
    pooled.push_back(crowd::make_async_client(client_io.get_executor(), config_for(many_server.url()),
                                              {.pool = {.max_connections = 64}})
                         .value());
    std::vector<crowd::async_client> separate;
    for (int i = 0; i != 64; ++i)
        separate.push_back(crowd::make_async_client(client_io.get_executor(), config_for(many_server.url()),
                                                    {.pool = {.max_connections = 1}})
                               .value());
    int const batches = quick ? 5 : 300;
    auto const through_pool = overlapping_gets(pooled, client_io, batches, rounds, ok);
    auto const one_each = overlapping_gets(separate, client_io, batches, rounds, ok);
    auto const pool_counters = pooled.front().transport().pool();
    many_server.stop();
    server_io.stop();
    server_thread.join();
    if (!ok || pool_counters.connections_opened > 64) {
        std::fprintf(stderr, "an overlapping request failed, or the pool opened more than 64 connections\n");
        return 1;
    }

    auto const dom = measure(
        [&] {
            auto v = boost::json::parse(task_document);
            ok = ok && v.is_object();
        },
        parses, rounds);
    auto const typed = measure(
        [&] {
            auto t = crowd::parse_task<fn::sentiment_analysis>(task_document);
            ok = ok && t && t->result->sentiment == fn::sentiment::positive;
        },
        parses, rounds);
    if (!ok) {
        std::fprintf(stderr, "a parse failed\n");
        return 1;
    }

    std::printf("GET of a task over kept-alive loopback HTTP, %d requests, best of %d rounds:\n", requests, rounds);
    std::printf("  plain Beast, pre-signed bytes  %9.0f ns  %5.1f allocations per request\n", floor.ns, floor.allocations);
    std::printf("  client.get<F>()                %9.0f ns  %5.1f allocations per request\n", get.ns, get.allocations);
    std::printf("  ratio (median of the rounds)   %9.2f  (of the best rounds: %.2f)\n", get.median_ratio, get.ns / floor.ns);
    std::printf("  client.get<F>(), pool of 1     %9.0f ns  %5.1f allocations per request (ratio %.2f)\n",
                get_single.ns, get_single.allocations, get_single.median_ratio);
    std::printf("  of which the transport alone   %9.0f ns  %5.1f allocations per request (ratio %.2f)\n",
                transport_only.ns, transport_only.allocations, transport_only.median_ratio);
    std::printf("  and the client's own work      %9.0f ns  %5.1f allocations per request (no I/O: a canned answer)\n",
                own_work.ns, own_work.allocations);
    std::printf("  the same, both sides on one processor (the client's processor time alone):\n");
    std::printf("    plain Beast                  %9.0f ns\n", floor_here.ns);
    std::printf("    client.get<F>()              %9.0f ns  (ratio %.2f, difference %.1f us)\n", get_here.ns,
                get_here.median_ratio, (get_here.ns - floor_here.ns) / 1000);
    std::printf("64 overlapping async GETs over kept-alive loopback HTTP, %d batches, best of %d rounds:\n", batches,
                rounds);
    std::printf("  64 clients, one connection each %8.0f ns  %5.1f allocations per request\n", one_each.ns,
                one_each.allocations);
    std::printf("  one client, a pool of 64       %9.0f ns  %5.1f allocations per request (%llu connections opened)\n",
                through_pool.ns, through_pool.allocations,
                static_cast<unsigned long long>(pool_counters.connections_opened));
    std::printf("  ratio                          %9.2f\n", through_pool.ns / one_each.ns);
    std::printf("reading the %zu-byte task document, %d times, best of %d rounds:\n", task_document.size(), parses, rounds);
    std::printf("  boost::json::parse (DOM)       %9.0f ns  %5.1f allocations\n", dom.ns, dom.allocations);
    std::printf("  parse_task<F>                  %9.0f ns  %5.1f allocations\n", typed.ns, typed.allocations);
    std::printf("  ratio                          %9.2f\n", typed.ns / dom.ns);
    std::printf("summary-get: ns_per_get=%.0f floor_ns=%.0f ratio=%.2f allocs_per_get=%.1f floor_allocs=%.1f "
                "one_processor_ratio=%.2f\n",
                get.ns, floor.ns, get.median_ratio, get.allocations, floor.allocations, get_here.median_ratio);
    std::printf("summary-pool: ns_per_get=%.0f unshared_ns=%.0f ratio=%.2f allocs_per_get=%.1f single_connection_ratio=%.2f\n",
                through_pool.ns, one_each.ns, through_pool.ns / one_each.ns, through_pool.allocations,
                get_single.median_ratio);
    std::printf("summary-parse: ns_per_parse=%.0f dom_ns=%.0f ratio=%.2f allocs_per_parse=%.1f dom_allocs=%.1f\n",
                typed.ns, dom.ns, typed.ns / dom.ns, typed.allocations, dom.allocations);
    return 0;
}
