// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// README's opening example: a typed function, a checked task name, the PUT body, and
// a task document read back into the types.
#include <mturk/crowd.hpp>

#include <boost/describe/class.hpp>

#include <iostream>
#include <string>

struct review {
    std::string text;
};
BOOST_DESCRIBE_STRUCT(review, (), (text))
struct verdict {
    std::string sentiment;
};
BOOST_DESCRIBE_STRUCT(verdict, (), (sentiment))
using sentiment = mturk::crowd::function<"sentiment-analysis", review, verdict>;

int main()
{
    namespace crowd = mturk::crowd;
    constexpr crowd::account_id account{"123456789012"};
    constexpr crowd::task_name name{"review-42"};  // a bad literal does not compile

    std::cout << "PUT " << crowd::task_path<sentiment>(account, name) << '\n'
              << crowd::put_body<sentiment>({.text = "Everything is wonderful."}) << '\n';

    auto task = crowd::parse_task<sentiment>(R"({"taskName": "review-42",
        "input": {"text": "Everything is wonderful."}, "problemDetails": null,
        "state": "completed", "result": {"sentiment": "positive"}})");
    if (!task) {
        std::cerr << task.error() << '\n';  // e.g. "document lacks a required field: result.sentiment: missing"
        return 1;
    }
    std::cout << task->name << ": " << crowd::to_string(task->state) << ", " << task->result->sentiment << '\n';
}
