// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The program every consumer test builds: it uses the core types the way a user would,
// and checks that it got the version of the library it was built against.
#include <mturk/crowd.hpp>

#include <boost/describe/class.hpp>

#include <cstdio>
#include <string>
#include <string_view>

namespace consumer {
struct review {
    std::string text;
};
BOOST_DESCRIBE_STRUCT(review, (), (text))
struct verdict {
    std::string sentiment;
};
BOOST_DESCRIBE_STRUCT(verdict, (), (sentiment))
using sentiment = mturk::crowd::function<"sentiment-analysis", review, verdict>;
}  // namespace consumer

#define MTURK_CROWD_STRINGIZE2(x) #x
#define MTURK_CROWD_STRINGIZE(x) MTURK_CROWD_STRINGIZE2(x)

#if defined(MTURK_CROWD_CONSUMER_HAS_CLIENT_PART)
int use_the_client_part();  // client_part.cpp: the client, compiled separately or not
#endif

int main()
{
#if defined(MTURK_CROWD_CONSUMER_HAS_CLIENT_PART)
    if (use_the_client_part() != 0)
        return 1;
#endif
    namespace crowd = mturk::crowd;
    constexpr crowd::task_name fixed{"consumer-1"};
    auto parsed = crowd::task_name::parse("not valid!");
    auto task = crowd::parse_task<consumer::sentiment>(
        R"({"taskName":"consumer-1","input":{"text":"great"},"state":"completed","result":{"sentiment":"positive"}})");

    std::string const version = MTURK_CROWD_STRINGIZE(MTURK_CROWD_VERSION_MAJOR) "." MTURK_CROWD_STRINGIZE(
        MTURK_CROWD_VERSION_MINOR) "." MTURK_CROWD_STRINGIZE(MTURK_CROWD_VERSION_PATCH);
    // The version that runs (the compiled copy's, when there is one) is the headers'.
    bool const same_version_runs = crowd::version() == crowd::header_version && crowd::version_string() == version;
    bool const ok = fixed.view() == "consumer-1" && !parsed && parsed.error() == crowd::errc::task_name_invalid_character &&
                    task && task->name == fixed && task->result && task->result->sentiment == "positive" &&
                    version == MTURK_CROWD_EXPECTED_VERSION && same_version_runs;
    std::printf("mturk-crowd %s (running %.*s): %s\n", version.c_str(), static_cast<int>(crowd::version_string().size()),
                crowd::version_string().data(), ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
