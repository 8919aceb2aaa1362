// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// Building a typed input, checking it against the documented limits, and reading a
// typed result: README's "The 13 functions" example.
#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/request.hpp>
#include <mturk/crowd/task.hpp>

#include <iostream>

int main()
{
    namespace crowd = mturk::crowd;
    namespace fn = mturk::crowd::functions;

    fn::text_categorization_input const input{
        .text = "These are great. They do run a touch small, so order a size up.",
        .categories = {{.label = "Fit", .positive_examples = {{"Too tight around the toes"}}},
                       {.label = "Price", .description = "Anything about cost"}}};
    if (auto checked = input.validate(); !checked) {  // the client calls this before sending
        std::cerr << checked.error() << '\n';
        return 1;
    }
    std::cout << crowd::put_body<fn::text_categorization>(input) << '\n';

    fn::text_categorization_input too_many = input;
    too_many.categories.resize(11, {.label = "Other"});
    std::cout << too_many.validate().error() << '\n';
    // "task input breaks a documented limit: categories: 11 entries; at most 10"

    // A result as the service sent it in 2017, under the older key.
    auto const task = crowd::parse_task<fn::text_categorization>(R"({"taskName": "review-17",
        "input": {"text": "These are great.", "categories": [{"label": "Fit"}, {"label": "Price"}]},
        "state": "completed", "problemDetails": null,
        "result": {"applicableCategories": [{"label": "Fit"}]}})");
    if (!task) {
        std::cerr << task.error() << '\n';
        return 1;
    }
    std::cout << "chosen: " << task->result->matches.at(0).label << '\n';

    auto const ner = crowd::from_json<fn::named_entity_recognition_result>(boost::json::parse(
        R"({"entities": [{"start": 7, "end": 14, "text": "Grammys", "type": "event"}]})"));
    for (auto const& e : ner.value().entities)
        std::cout << e.span.text << " [" << e.span.start << ", " << e.span.end << ") is an " << e.type << '\n';
}
