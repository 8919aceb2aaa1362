// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#include <mturk/crowd/request.hpp>

#include "sample_functions.hpp"

#include <catch.hpp>

#include <boost/json/parse.hpp>

namespace crowd = mturk::crowd;

TEST_CASE("task_path follows the reference's URL structure", "[request]")
{
    constexpr crowd::account_id account{"123456789012"};
    CHECK(crowd::task_path<sample::sentiment>(account, "my-task_1.v2") ==
          "/123456789012/functions/sentiment-analysis/tasks/my-task_1.v2");
    CHECK(crowd::task_path<sample::sentiment::test>(account, crowd::task_name::parse("x").value()) ==
          "/123456789012/functions/sentiment-analysis-test/tasks/x");
}

TEST_CASE("parse_task_path reads what append_task_path writes, and nothing else", "[request]")
{
    std::string path = "/prefix";
    crowd::append_task_path(path, "123456789012", "ImageContains-test", "t.1");
    CHECK(path == "/prefix/123456789012/functions/ImageContains-test/tasks/t.1");
    auto const parts = crowd::parse_task_path(std::string_view(path).substr(7));
    REQUIRE(parts);
    CHECK(parts->account == "123456789012");
    CHECK(parts->function == "ImageContains-test");
    CHECK(parts->name == "t.1");
    static_assert(crowd::parse_task_path("/a/functions/f/tasks/n").has_value());

    // An empty part is returned empty, for the caller to name what is wrong.
    CHECK(crowd::parse_task_path("/a/functions/f/tasks/").value().name.empty());
    for (std::string_view bad : {"", "/", "a/functions/f/tasks/n", "/a/function/f/tasks/n", "/a/functions/f/task/n",
                                 "/a/functions/f/tasks/n/", "/a/functions/f/tasks/n/x", "/a/functions/f/tasks",
                                 "//a/functions/f/tasks/n"}) {
        INFO(bad);
        CHECK_FALSE(crowd::parse_task_path(bad));
    }
}

TEST_CASE("put_body wraps the typed input as {\"input\": ...}", "[request]")
{
    auto const body = crowd::put_body<sample::text_categorization>(
        {.text = "They run small.", .categories = {{.label = "Fit", .positive_examples = {{"tight"}}}, {.label = "Price"}}});
    CHECK(boost::json::parse(body) == boost::json::parse(R"({"input":{"text":"They run small.","categories":[
        {"label":"Fit","positiveExamples":[{"text":"tight"}]},{"label":"Price","positiveExamples":[]}]}})"));

    // Non-ASCII text is sent as UTF-8 and survives the trip.
    auto const unicode = crowd::put_body<sample::sentiment>({.text = "caf\xc3\xa9 \xe2\x9c\x93"});
    CHECK(boost::json::parse(unicode).at("input").at("text") == "caf\xc3\xa9 \xe2\x9c\x93");
}
