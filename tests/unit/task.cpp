// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#include <mturk/crowd/task.hpp>

#include "sample_functions.hpp"

#include <catch.hpp>

#include <boost/json/parse.hpp>

#include <string>

namespace crowd = mturk::crowd;
using crowd::errc;
using crowd::task_state;

namespace {

crowd::error task_error(std::string_view text)
{
    auto r = crowd::parse_task<sample::sentiment>(text);
    REQUIRE(r.has_error());
    return r.error();
}

}  // namespace

TEST_CASE("a processing task as the reference shows it", "[task]")
{
    auto const t = crowd::parse_task<sample::sentiment>(R"({
        "taskName": "my-test-task-3f2a",
        "input": {"text": "Everything is wonderful."},
        "problemDetails": null,
        "state": "processing",
        "result": null
    })");
    REQUIRE(t);
    constexpr crowd::task_name expected_name{"my-test-task-3f2a"};  // named: see task_name.cpp on clang 14
    CHECK(t->name == expected_name);
    CHECK(t->input.text == "Everything is wonderful.");
    CHECK(t->state == task_state::processing);
    CHECK(!t->problem);
    CHECK(!t->result);
}

TEST_CASE("a completed task carries its typed result", "[task]")
{
    auto const t = crowd::parse_task<sample::text_categorization>(R"({
        "taskName": "review-17",
        "input": {"text": "They run a touch small.", "categories": [
            {"label": "Fit", "positiveExamples": [{"text": "too tight"}]},
            {"label": "Price", "description": "about cost", "positiveExamples": []}]},
        "problemDetails": null,
        "state": "completed",
        "result": {"matches": [{"label": "Fit"}]}
    })");
    REQUIRE(t);
    CHECK(t->state == task_state::completed);
    REQUIRE(t->result);
    REQUIRE(t->result->matches.size() == 1);
    CHECK(t->result->matches[0].label == "Fit");
    CHECK(t->input.categories.at(1).description == "about cost");
}

TEST_CASE("a failed task carries its problem details", "[task]")
{
    auto const t = crowd::parse_task<sample::sentiment>(R"({
        "taskName": "t1", "input": {"text": "x"}, "state": "failed", "result": null,
        "problemDetails": {"code": "Expired", "message": "Not enough Workers provided answers within the allotted time."}
    })");
    REQUIRE(t);
    CHECK(t->state == task_state::failed);
    REQUIRE(t->problem);
    CHECK(t->problem->code == "Expired");
    CHECK(t->problem->message.starts_with("Not enough Workers"));

    // An unknown code is kept (the set is open), and a missing message is not fatal.
    auto const other = crowd::parse_task<sample::sentiment>(
        R"({"taskName":"t1","input":{"text":"x"},"state":"failed","problemDetails":{"code":"InsufficientFunds"}})");
    REQUIRE(other);
    CHECK(other->problem->code == "InsufficientFunds");
    CHECK(other->problem->message.empty());
}

TEST_CASE("the raw document is kept, keys the types do not know included", "[task]")
{
    auto const t = crowd::parse_task<sample::sentiment>(
        R"({"taskName":"t","input":{"text":"x","lang":"en"},"state":"completed","result":{"sentiment":"positive","votes":3},"createdAt":"2017-10-24"})");
    REQUIRE(t);
    CHECK(t->raw.at("createdAt") == "2017-10-24");
    CHECK(t->raw.at("result").as_object().at("votes") == 3);
    CHECK(t->raw.at("input").as_object().at("lang") == "en");
}

TEST_CASE("absent problemDetails and result read as null", "[task]")
{
    auto const t = crowd::parse_task<sample::sentiment>(R"({"taskName":"t","input":{"text":"x"},"state":"processing"})");
    REQUIRE(t);
    CHECK(!t->result);
    CHECK(!t->problem);
}

TEST_CASE("task_from_json reads an already parsed document", "[task]")
{
    auto const t = crowd::task_from_json<sample::sentiment>(
        boost::json::parse(R"({"taskName":"t","input":{"text":"x"},"state":"completed","result":{"sentiment":"neutral"}})"));
    REQUIRE(t);
    CHECK(t->result->sentiment == "neutral");
}

TEST_CASE("every malformed shape gets its own error and path", "[task]")
{
    struct malformed {
        char const* document;
        errc code;
        char const* detail;
    };
    malformed const cases[] = {
        {R"({"taskName":"t",)", errc::invalid_json, nullptr},
        {R"([1,2])", errc::wrong_type, "task document: expected an object, got an array"},
        {R"({"input":{"text":"x"},"state":"processing"})", errc::missing_field, "taskName: missing"},
        {R"({"taskName":7,"input":{"text":"x"},"state":"processing"})", errc::wrong_type,
         "taskName: expected a string, got a number"},
        {R"({"taskName":"bad name","input":{"text":"x"},"state":"processing"})", errc::task_name_invalid_character,
         "taskName: \"bad name\""},
        {R"({"taskName":"t","state":"processing"})", errc::missing_field, "input: missing"},
        {R"({"taskName":"t","input":"x","state":"processing"})", errc::wrong_type,
         "input: expected an object, got a string"},
        {R"({"taskName":"t","input":{"text":["x"]},"state":"processing"})", errc::wrong_type,
         "input.text: expected a string, got an array"},
        {R"({"taskName":"t","input":{"text":"x"}})", errc::missing_field, "state: missing"},
        {R"({"taskName":"t","input":{"text":"x"},"state":1})", errc::wrong_type, "state: expected a string, got a number"},
        {R"({"taskName":"t","input":{"text":"x"},"state":"done"})", errc::unknown_task_state,
         "state: \"done\" is not processing, completed or failed"},
        {R"({"taskName":"t","input":{"text":"x"},"state":"processing","result":{"sentiment":"positive"}})",
         errc::inconsistent_task, "result: state is processing but result is set"},
        {R"({"taskName":"t","input":{"text":"x"},"state":"failed","problemDetails":{"code":"Expired"},"result":{"sentiment":"x"}})",
         errc::inconsistent_task, "result: state is failed but result is set"},
        {R"({"taskName":"t","input":{"text":"x"},"state":"completed","result":null})", errc::inconsistent_task,
         "result: state is completed but result is null or missing"},
        {R"({"taskName":"t","input":{"text":"x"},"state":"completed","result":{"sentiment":"p"},"problemDetails":{"code":"X"}})",
         errc::inconsistent_task, "problemDetails: state is completed but problemDetails is set"},
        {R"({"taskName":"t","input":{"text":"x"},"state":"failed"})", errc::inconsistent_task,
         "problemDetails: state is failed but problemDetails is null or missing"},
        {R"({"taskName":"t","input":{"text":"x"},"state":"failed","problemDetails":"Expired"})", errc::wrong_type,
         "problemDetails: expected an object, got a string"},
        {R"({"taskName":"t","input":{"text":"x"},"state":"failed","problemDetails":{"message":"m"}})", errc::missing_field,
         "problemDetails.code: missing"},
        {R"({"taskName":"t","input":{"text":"x"},"state":"failed","problemDetails":{"code":1}})", errc::wrong_type,
         "problemDetails.code: expected a string, got a number"},
        {R"({"taskName":"t","input":{"text":"x"},"state":"completed","result":{"sentiment":true}})", errc::wrong_type,
         "result.sentiment: expected a string, got a boolean"},
        {R"({"taskName":"t","input":{"text":"x"},"state":"completed","result":{}})", errc::missing_field,
         "result.sentiment: missing"},
        {R"({"taskName":"t","input":{"text":"x"},"state":"completed","result":[]})", errc::wrong_type,
         "result: expected an object, got an array"},
    };
    for (auto const& c : cases) {
        INFO(c.document);
        auto const e = task_error(c.document);
        CHECK(e == c.code);
        if (c.detail)
            CHECK(e.detail() == c.detail);
        else
            CHECK(!e.detail().empty());
    }
}
