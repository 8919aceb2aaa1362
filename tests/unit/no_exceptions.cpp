// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// Built with -fno-exceptions: the core reports every failure through result, so a
// program without exceptions can use it. Only `.value()` on an error would need them,
// and here Boost routes that to the handler below, which this program never reaches.
#include <mturk/crowd/core.hpp>

#include "sample_functions.hpp"

#include <boost/throw_exception.hpp>

#include <cstdio>
#include <cstdlib>
#include <exception>

#ifdef __cpp_exceptions
#error "this file must be compiled with -fno-exceptions"
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

int main()
{
    namespace crowd = mturk::crowd;
    int failures = 0;
    auto expect = [&](bool ok, char const* what) {
        if (!ok) {
            std::fprintf(stderr, "FAILED: %s\n", what);
            ++failures;
        }
    };
    auto const bad_name = crowd::task_name::parse("no spaces allowed");
    expect(!bad_name && bad_name.error() == crowd::errc::task_name_invalid_character, "task_name::parse error");
    auto const bad_task = crowd::parse_task<sample::sentiment>(R"({"taskName":"t","input":{},"state":"processing"})");
    expect(!bad_task && bad_task.error() == crowd::errc::missing_field, "parse_task error");
    auto const good = crowd::parse_task<sample::sentiment>(
        R"({"taskName":"t","input":{"text":"x"},"state":"completed","result":{"sentiment":"positive"}})");
    expect(good && good->result && good->result->sentiment == "positive", "parse_task success");
    expect(crowd::put_body<sample::sentiment>({.text = "x"}) == R"({"input":{"text":"x"}})", "put_body");
    std::printf("%s\n", failures == 0 ? "no-exceptions core: ok" : "no-exceptions core: FAILED");
    return failures == 0 ? 0 : 1;
}
