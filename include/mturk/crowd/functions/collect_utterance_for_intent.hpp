// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_FUNCTIONS_COLLECT_UTTERANCE_FOR_INTENT_HPP
#define MTURK_CROWD_FUNCTIONS_COLLECT_UTTERANCE_FOR_INTENT_HPP

#include <mturk/crowd/functions/common.hpp>

namespace mturk::crowd::functions {

/// `{"context": 1..400 characters, "intent": 1..400 characters}`
struct collect_utterance_for_intent_input {
    std::string context;
    std::string intent;

    void check_limits(detail::limits_check& check) const
    {
        check.text("context", context, 1, 400).text("intent", intent, 1, 400);
    }
    result<void> validate() const { return detail::checked(*this); }
    friend bool operator==(collect_utterance_for_intent_input const&, collect_utterance_for_intent_input const&) = default;
};
BOOST_DESCRIBE_STRUCT(collect_utterance_for_intent_input, (), (context, intent))

/// Something a Worker wrote that a person in that context might say.
struct utterance {
    std::string text;
    friend bool operator==(utterance const&, utterance const&) = default;
};
BOOST_DESCRIBE_STRUCT(utterance, (), (text))

/// `{"utterances": [{"text": ...}...]}`. Workers write them; expect typos and, now and
/// then, garbage (some were URL-encoded JSON in the observed responses).
struct collect_utterance_for_intent_result {
    std::vector<utterance> utterances;
    friend bool operator==(collect_utterance_for_intent_result const&, collect_utterance_for_intent_result const&) = default;
};
BOOST_DESCRIBE_STRUCT(collect_utterance_for_intent_result, (), (utterances))

/** collect-utterance-for-intent: what a person would say in a context, to express an
    intent. Specification: docs/collect-utterance-for-intent/readme.md of awslabs/mturk-crowd-beta-client-python; docs/functions.md. */
using collect_utterance_for_intent =
    function<"collect-utterance-for-intent", collect_utterance_for_intent_input, collect_utterance_for_intent_result>;

}  // namespace mturk::crowd::functions

#endif
