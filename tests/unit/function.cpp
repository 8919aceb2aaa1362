// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#include <mturk/crowd/function.hpp>

#include "sample_functions.hpp"

#include <catch.hpp>

#include <boost/json/value.hpp>

#include <string>
#include <type_traits>

namespace crowd = mturk::crowd;

// The descriptor carries the name and both schemas in the type.
static_assert(sample::sentiment::name == "sentiment-analysis");
static_assert(std::is_same_v<sample::sentiment::input_type, sample::text_input>);
static_assert(std::is_same_v<sample::sentiment::result_type, sample::sentiment_result>);
static_assert(!sample::sentiment::is_test);

// The -test twin: the same schemas under the "-test" name; a twin's twin is itself.
static_assert(sample::sentiment::test::name == "sentiment-analysis-test");
static_assert(sample::sentiment::test::is_test);
static_assert(std::is_same_v<sample::sentiment::test::input_type, sample::text_input>);
static_assert(std::is_same_v<sample::sentiment::test::result_type, sample::sentiment_result>);
static_assert(std::is_same_v<sample::sentiment::test::test, sample::sentiment::test>);
static_assert(!std::is_same_v<sample::sentiment::test, sample::sentiment>);

static_assert(crowd::api_function<sample::sentiment>);
static_assert(crowd::api_function<sample::text_categorization::test>);
static_assert(!crowd::api_function<sample::text_input>);

// Names with digits are fine; the API has "text1" style fields but names like this too.
using digits = crowd::function<"image-similarity2", boost::json::object, boost::json::value>;
static_assert(digits::name == "image-similarity2");

namespace {
struct undescribed {
    std::string text;
};
struct has_undescribed_member {
    undescribed inner;
};
BOOST_DESCRIBE_STRUCT(has_undescribed_member, (), (inner))
}  // namespace

static_assert(!crowd::json_mappable<undescribed>);
static_assert(!crowd::json_mappable<has_undescribed_member>);  // every member must be mappable
static_assert(crowd::json_mappable<sample::categorization_input>);

TEST_CASE("the run-time function-name rule matches the compile-time one", "[function]")
{
    using crowd::detail::function_name_problem;
    for (char const* good : {"sentiment-analysis", "bounding-box-test", "a", "x1", "image-similarity"})
        CHECK(function_name_problem(good) == 0);
    for (char const* bad : {"", "Sentiment", "sentiment_analysis", "-lead", "trail-", "1abc", "with space", "caps-X"}) {
        INFO(bad);
        CHECK(function_name_problem(bad) == static_cast<int>(crowd::errc::function_name_invalid));
    }
}

TEST_CASE("a function's name is usable at run time as the path segment", "[function]")
{
    std::string const path_segment(sample::text_categorization::test::name);
    CHECK(path_segment == "text-categorization-test");
}
