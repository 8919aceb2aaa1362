// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// Small function descriptors shaped like the documented API, for the core tests (the
// real catalogue is in <mturk/crowd/functions.hpp>).
#ifndef MTURK_CROWD_TESTS_SAMPLE_FUNCTIONS_HPP
#define MTURK_CROWD_TESTS_SAMPLE_FUNCTIONS_HPP

#include <mturk/crowd/function.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <optional>
#include <string>
#include <vector>

namespace sample {

struct text_input {
    std::string text;
    friend bool operator==(text_input const&, text_input const&) = default;
};
BOOST_DESCRIBE_STRUCT(text_input, (), (text))

struct sentiment_result {
    std::string sentiment;
    friend bool operator==(sentiment_result const&, sentiment_result const&) = default;
};
BOOST_DESCRIBE_STRUCT(sentiment_result, (), (sentiment))

using sentiment = mturk::crowd::function<"sentiment-analysis", text_input, sentiment_result>;

struct example {
    std::string text;
    friend bool operator==(example const&, example const&) = default;
};
BOOST_DESCRIBE_STRUCT(example, (), (text))

// Members a caller may leave out get `{}`: g++ 12 warns (-Wmissing-field-initializers)
// about a designated initializer that skips a member without one.
struct category {
    std::string label;
    std::optional<std::string> description{};
    std::vector<example> positive_examples{};
    friend bool operator==(category const&, category const&) = default;
};
BOOST_DESCRIBE_STRUCT(category, (), (label, description, positive_examples))

struct categorization_input {
    std::string text;
    std::vector<category> categories;
    friend bool operator==(categorization_input const&, categorization_input const&) = default;
};
BOOST_DESCRIBE_STRUCT(categorization_input, (), (text, categories))

struct match {
    std::string label;
    friend bool operator==(match const&, match const&) = default;
};
BOOST_DESCRIBE_STRUCT(match, (), (label))

struct categorization_result {
    std::vector<match> matches;
    friend bool operator==(categorization_result const&, categorization_result const&) = default;
};
BOOST_DESCRIBE_STRUCT(categorization_result, (), (matches))

using text_categorization = mturk::crowd::function<"text-categorization", categorization_input, categorization_result>;

}  // namespace sample

#endif
