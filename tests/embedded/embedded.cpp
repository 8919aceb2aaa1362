// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// An embedded build: -fno-exceptions -fno-rtti, header-only. The core, the signer and the
// client over a transport of the program's own (here one that hands each request to the
// in-process emulator, as a device's own HTTP stack would send it) report every failure
// through results, so such a program uses them all. Only `.value()` on an error would
// need exceptions; Boost routes that to the handler below, which this program never reaches.
#include <mturk/crowd/core.hpp>

#include <mturk/crowd/client.hpp>
#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/sigv4/signer.hpp>
#include <mturk/crowd/testing/emulator.hpp>
#include <mturk/crowd/testing/manual_clock.hpp>

#include "sample_functions.hpp"

#include <boost/throw_exception.hpp>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#error "this file must be compiled with -fno-exceptions"
#endif
#if defined(__GXX_RTTI) || defined(__cpp_rtti)
#error "this file must be compiled with -fno-rtti"
#endif

namespace boost {
BOOST_NORETURN void throw_exception(std::exception const& e)
{
    std::fprintf(stderr, "unexpected throw: %s\n", e.what());
    std::abort();
}
BOOST_NORETURN void throw_exception(std::exception const& e, boost::source_location const&)
{
    throw_exception(e);
}
}  // namespace boost

namespace {

// A named constant, not a temporary in the initializer: clang 14 crashes generating code
// for a consteval temporary inside a larger expression (docs/testing.md).
constexpr mturk::crowd::account_id test_account{"123456789012"};

namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;
using namespace std::chrono_literals;

int failures = 0;
void expect(bool ok, char const* what)
{
    if (!ok) {
        std::fprintf(stderr, "FAILED: %s\n", what);
        ++failures;
    }
}

void core()
{
    auto const bad_name = crowd::task_name::parse("no spaces allowed");
    expect(!bad_name && bad_name.error() == crowd::errc::task_name_invalid_character, "task_name::parse error");
    auto const bad_task = crowd::parse_task<sample::sentiment>(R"({"taskName":"t","input":{},"state":"processing"})");
    expect(!bad_task && bad_task.error() == crowd::errc::missing_field, "parse_task error");
    auto const good = crowd::parse_task<sample::sentiment>(
        R"({"taskName":"t","input":{"text":"x"},"state":"completed","result":{"sentiment":"positive"}})");
    expect(good && good->result && good->result->sentiment == "positive", "parse_task success");
    expect(crowd::put_body<sample::sentiment>({.text = "x"}) == R"({"input":{"text":"x"}})", "put_body");
}

/// The AWS SigV4 suite's get-vanilla, signed as the suite says.
void signer()
{
    crowd::http_request request;
    request.method = crowd::http_method::get;
    request.target = "/";
    request.fields.add("Host", "example.amazonaws.com");
    auto const creds = crowd::sigv4::credentials::make("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    expect(creds.has_value(), "credentials");
    crowd::sigv4::signer signer;
    auto const signed_ok = signer.sign(
        request, *creds,
        {.region = "us-east-1", .service = "service", .time = std::chrono::sys_days{std::chrono::year{2015} / 8 / 30} + 12h + 36min});
    expect(signed_ok.has_value(), "sign");
    expect(request.fields.find("Authorization") ==
               "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
               "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
           "get-vanilla's signature");
    crowd::http_request no_host;
    no_host.target = "/";
    expect(signer.sign(no_host, *creds, {.region = "us-east-1", .service = "service", .time = {}}).error() ==
               crowd::errc::invalid_request,
           "a request without Host is refused");
}

/// A transport of the program's own: anything with send().
struct device_transport {
    std::shared_ptr<crowd::testing::emulator> service;
    crowd::result<crowd::http_response> send(crowd::http_request const& request) { return service->handle(request); }
};

void client()
{
    crowd::testing::manual_clock clock;
    auto const service = std::make_shared<crowd::testing::emulator>(crowd::testing::emulator_options{},
                                                                     [clock] { return clock.now(); });
    using device_client = crowd::basic_client<device_transport, crowd::testing::manual_clock, crowd::standard_retry>;
    auto made = device_client::make(
        {.account = test_account,
         .credentials = [] { return crowd::sigv4::credentials::make("AKIDCROWDEMULATOR", "crowd-emulator-secret"); },
         .env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; }},
        device_transport{service}, clock);
    expect(made.has_value(), "the client is made");
    if (!made)
        return;
    auto& c = *made;
    using sentiment = fn::sentiment_analysis::test;
    constexpr crowd::task_name name{"embedded-1"};
    auto const created = c.create<sentiment>(name, {.text = "Works without exceptions."});
    expect(created && created->creation == crowd::creation::created, "create");
    auto const done = c.wait<sentiment>(name, {.first_delay = 1s, .max_delay = 1s, .timeout = 1min});
    expect(done && done->state == crowd::task_state::completed && done->result, "wait until completed");
    auto const conflict = c.create<sentiment>(name, {.text = "Another input."});
    expect(!conflict && conflict.error() == crowd::errc::task_conflict, "a name in use with another input");
    expect(c.remove<sentiment>(name).has_value(), "remove");
    auto const gone = c.get<sentiment>(name);
    expect(!gone && gone.error() == crowd::errc::task_not_found, "gone");
}

}  // namespace

int main()
{
    core();
    signer();
    client();
    std::printf("%s\n", failures == 0 ? "embedded (no exceptions, no RTTI): ok" : "embedded: FAILED");
    return failures == 0 ? 0 : 1;
}
