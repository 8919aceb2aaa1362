// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_FUNCTIONS_SENTIMENT_ANALYSIS_HPP
#define MTURK_CROWD_FUNCTIONS_SENTIMENT_ANALYSIS_HPP

#include <mturk/crowd/functions/common.hpp>

namespace mturk::crowd::functions {

/// The sentiment Workers read in a text.
enum class sentiment { positive, negative, neutral, cannot_determine };

template <>
struct enum_names<sentiment> {
    static constexpr std::pair<sentiment, std::string_view> table[] = {{sentiment::positive, "positive"},
                                                                      {sentiment::negative, "negative"},
                                                                      {sentiment::neutral, "neutral"},
                                                                      {sentiment::cannot_determine, "cannot determine"}};
};

/// `{"text": 1..400 characters}`
struct sentiment_analysis_input {
    std::string text;

    void check_limits(detail::limits_check& check) const { check.text("text", text, 1, 400); }
    result<void> validate() const { return detail::checked(*this); }
    friend bool operator==(sentiment_analysis_input const&, sentiment_analysis_input const&) = default;
};
BOOST_DESCRIBE_STRUCT(sentiment_analysis_input, (), (text))

/// `{"sentiment": "positive" | "negative" | "neutral" | "cannot determine"}`
struct sentiment_analysis_result {
    open_enum<functions::sentiment> sentiment;
    friend bool operator==(sentiment_analysis_result const&, sentiment_analysis_result const&) = default;
};
BOOST_DESCRIBE_STRUCT(sentiment_analysis_result, (), (sentiment))

/** sentiment-analysis: the sentiment of a text, adjudicated by Worker agreement.
    Specification: docs/sentiment-analysis/readme.md of awslabs/mturk-crowd-beta-client-python; docs/functions.md. */
using sentiment_analysis = function<"sentiment-analysis", sentiment_analysis_input, sentiment_analysis_result>;

}  // namespace mturk::crowd::functions

#endif
