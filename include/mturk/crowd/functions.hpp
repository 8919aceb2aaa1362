// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_FUNCTIONS_HPP
#define MTURK_CROWD_FUNCTIONS_HPP

// The 13 documented API functions, typed (Specification: docs/<api>/readme.md of awslabs/mturk-crowd-beta-client-python; docs/functions.md).
#include <mturk/crowd/functions/bounding_box.hpp>
#include <mturk/crowd/functions/coreference_resolution.hpp>
#include <mturk/crowd/functions/collect_utterance_for_intent.hpp>
#include <mturk/crowd/functions/emotion_detection.hpp>
#include <mturk/crowd/functions/image_categorization.hpp>
#include <mturk/crowd/functions/image_contains.hpp>
#include <mturk/crowd/functions/image_similarity.hpp>
#include <mturk/crowd/functions/intent_detection.hpp>
#include <mturk/crowd/functions/key_phrase_extraction.hpp>
#include <mturk/crowd/functions/named_entity_recognition.hpp>
#include <mturk/crowd/functions/semantic_similarity.hpp>
#include <mturk/crowd/functions/sentiment_analysis.hpp>
#include <mturk/crowd/functions/text_categorization.hpp>
#include <mturk/crowd/json_shape.hpp>

#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mturk::crowd::functions {

namespace detail {

/// A value of an outline's shape (json_shape) with one entry in every array and every
/// optional key present: enough to reach each limit check of an input once.
inline boost::json::value sample_of_outline(boost::json::value const& outline)
{
    if (auto const* a = outline.if_array())
        return a->empty() ? boost::json::value(boost::json::array{}) : boost::json::array{sample_of_outline(a->front())};
    if (auto const* o = outline.if_object()) {
        boost::json::object out;
        for (auto const& [key, member] : *o) {
            std::string name(key);
            if (name.ends_with('?'))
                name.pop_back();
            out.emplace(name, sample_of_outline(member));
        }
        return out;
    }
    if (outline == "integer")
        return 1;
    if (outline == "number")
        return 1.0;
    if (outline == "boolean")
        return true;
    if (auto const* choices = outline.if_string(); choices && choices->starts_with("\"")) {
        std::string_view const text = *choices;
        return boost::json::value(text.substr(1, text.find('"', 1) - 1));  // the first allowed value
    }
    return "x";
}

}  // namespace detail

/** The documented limits of `F`'s input, from the same `check_limits` its `validate()`
    runs: "text": 1..400 characters, "categories": 1..10 entries, and so on.

    @code
    for (auto const& rule : functions::input_limits<functions::text_categorization>())
        std::cout << rule.path << ": " << functions::to_string(rule) << '\n';
    @endcode
*/
template <api_function F>
    requires requires(typename F::input_type const& in, detail::limits_check& check) { in.check_limits(check); }
std::vector<input_limit> input_limits()
{
    using input_type = typename F::input_type;
    auto const sample = from_json<input_type>(detail::sample_of_outline(json_shape<input_type>()));
    std::vector<input_limit> rules;
    if (!sample)
        return rules;  // cannot happen for the catalogue: its test reads every sample
    detail::limits_check check(rules);
    sample->check_limits(check);
    return rules;
}

/// "1..400 characters", "at least 1 character", "1..10 entries", "an http(s) URL of at most 400 characters".
inline std::string to_string(input_limit const& rule)
{
    if (rule.what == input_limit::url)
        return "an http(s) URL of at most " + std::to_string(rule.max) + " characters";
    bool const entries = rule.what == input_limit::entries;
    auto const unit = [&](std::size_t n) -> std::string {
        if (entries)
            return n == 1 ? "entry" : "entries";
        return n == 1 ? "character" : "characters";
    };
    if (rule.max == detail::no_limit)
        return "at least " + std::to_string(rule.min) + " " + unit(rule.min);
    return std::to_string(rule.min) + ".." + std::to_string(rule.max) + " " + unit(rule.max);
}

/// Every documented function, for code that works on all of them (the emulator, the CLI).
template <class... F>
struct function_list {};
using all_functions =
    function_list<sentiment_analysis, emotion_detection, named_entity_recognition, coreference_resolution,
                  key_phrase_extraction, semantic_similarity, collect_utterance_for_intent, intent_detection,
                  text_categorization, bounding_box, image_contains, image_categorization, image_similarity>;

}  // namespace mturk::crowd::functions

#endif
