// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_FUNCTIONS_INTENT_DETECTION_HPP
#define MTURK_CROWD_FUNCTIONS_INTENT_DETECTION_HPP

#include <mturk/crowd/functions/common.hpp>

namespace mturk::crowd::functions {

/// One intent to choose from: a label (1..100 characters), an optional description, and
/// at most 2 positive and 2 negative examples.
struct intent {
    std::string label;
    std::optional<std::string> description{};
    std::vector<text_example> positive_examples{};
    std::vector<text_example> negative_examples{};
    friend bool operator==(intent const&, intent const&) = default;
};
BOOST_DESCRIBE_STRUCT(intent, (), (label, description, positive_examples, negative_examples))

/** `{"text": 1..1600 characters, "intents": 2..10 intents}`.
    The reference contradicts itself on the text: its table says 1600 characters, its
    introduction 400; the looser limit, 1600, is checked. The introduction asks for 2 to
    10 intents and the table for "up to ten": 2..10. */
struct intent_detection_input {
    std::string text;
    std::vector<intent> intents;

    void check_limits(detail::limits_check& check) const
    {
        check.text("text", text, 1, 1600);
        detail::check_choices(check, "intents", intents, 2, 10, 100);
    }
    result<void> validate() const { return detail::checked(*this); }
    friend bool operator==(intent_detection_input const&, intent_detection_input const&) = default;
};
BOOST_DESCRIBE_STRUCT(intent_detection_input, (), (text, intents))

/// `{"matches": [{"label": ...}]}` (exactly one so far); earlier `applicableIntents`.
using intent_detection_result = label_matches;

/** intent-detection: which of the given intents a text expresses.
    Specification: docs/intent-detection/readme.md of awslabs/mturk-crowd-beta-client-python; docs/functions.md. */
using intent_detection = function<"intent-detection", intent_detection_input, intent_detection_result>;

}  // namespace mturk::crowd::functions

template <>
inline constexpr bool mturk::crowd::json_optional_arrays<mturk::crowd::functions::intent> = true;

#endif
