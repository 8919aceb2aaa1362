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
