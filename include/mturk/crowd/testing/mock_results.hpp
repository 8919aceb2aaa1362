// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TESTING_MOCK_RESULTS_HPP
#define MTURK_CROWD_TESTING_MOCK_RESULTS_HPP

#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/testing/mock_randomness.hpp>

#include <cstdint>

/* Mock results of the 13 functions: what the emulator answers, and what tests of your
   own can use. Test doubles, so they live with the others under testing/ and cost the
   library's users nothing. */
namespace mturk::crowd::functions {

// bounding_box
/// 1 to 3 boxes, each labelled with one of the input's labels.
inline bounding_box_result mock_result(bounding_box_input const& input, mock_random& random)
{
    bounding_box_result out;
    if (input.labels.empty())
        return out;
    auto const count = detail::between(1, 3, random);
    for (std::int64_t i = 0; i != count; ++i) {
        box const b{detail::between(10, 400, random), detail::between(0, 600, random), detail::between(0, 400, random),
                    detail::between(10, 400, random)};
        out.annotations.push_back({b, detail::pick(input.labels, random).label});
    }
    return out;
}

// collect_utterance_for_intent
inline collect_utterance_for_intent_result mock_result(collect_utterance_for_intent_input const&, mock_random& random)
{
    static std::vector<std::string> const canned = {"Can you help me with this, please?",
                                                    "I would like to sort this out today.",
                                                    "Is there anything you can do about it?"};
    return {{{detail::pick(canned, random)}}};
}

// coreference_resolution
/// Up to 2 entities of up to 3 words of the input each.
inline coreference_resolution_result mock_result(coreference_resolution_input const& input, mock_random& random)
{
    coreference_resolution_result out;
    auto const clusters = detail::between(0, 2, random);
    for (std::int64_t i = 0; i != clusters; ++i) {
        auto words = detail::some_words(input.text, 3, random);
        if (!words.empty())
            out.coreferences.push_back({std::move(words)});
    }
    return out;
}

// emotion_detection
inline emotion_detection_result mock_result(emotion_detection_input const&, mock_random& random)
{
    auto const& table = enum_names<emotion>::table;
    return {table[static_cast<std::size_t>(detail::between(0, std::size(table) - 1, random))].first};
}

// image_categorization
/// One of the input's own labels, as the `-test` function answers.
inline image_categorization_result mock_result(image_categorization_input const& input, mock_random& random)
{
    return detail::mock_match(input.categories, random);
}

// image_contains
inline image_contains_result mock_result(image_contains_input const&, mock_random& random)
{
    return {detail::between(0, 1, random) == 1};
}

// image_similarity
inline image_similarity_result mock_result(image_similarity_input const&, mock_random& random)
{
    return {detail::score(random)};
}

// intent_detection
/// One of the input's own labels, as the `-test` function answers.
inline intent_detection_result mock_result(intent_detection_input const& input, mock_random& random)
{
    return detail::mock_match(input.intents, random);
}

// key_phrase_extraction
/// Up to 3 words of the input.
inline key_phrase_extraction_result mock_result(key_phrase_extraction_input const& input, mock_random& random)
{
    return {detail::some_words(input.text, 3, random)};
}

// named_entity_recognition
/// Up to 3 words of the input, each with a random type.
inline named_entity_recognition_result mock_result(named_entity_recognition_input const& input, mock_random& random)
{
    named_entity_recognition_result out;
    auto const& types = enum_names<entity_type>::table;
    for (auto& word : detail::some_words(input.text, 3, random))
        out.entities.push_back(
            {std::move(word), types[static_cast<std::size_t>(detail::between(0, std::size(types) - 1, random))].first});
    return out;
}

// semantic_similarity
inline semantic_similarity_result mock_result(semantic_similarity_input const&, mock_random& random)
{
    return {detail::score(random)};
}

// sentiment_analysis
/// A random valid result, as the `-test` function gives (unrelated to the input).
inline sentiment_analysis_result mock_result(sentiment_analysis_input const&, mock_random& random)
{
    auto const& table = enum_names<sentiment>::table;
    return {table[static_cast<std::size_t>(detail::between(0, std::size(table) - 1, random))].first};
}

// text_categorization
/// One of the input's own labels, as the `-test` function answers.
inline text_categorization_result mock_result(text_categorization_input const& input, mock_random& random)
{
    return detail::mock_match(input.categories, random);
}

}  // namespace mturk::crowd::functions

namespace mturk::crowd::testing {

/** A valid random result of function `F` for `input`: what the emulator answers tasks
    with. The same seed gives the same result; labels are the input's own where the real
    `-test` functions pick from them.

    @code
    auto r = crowd::testing::make_mock_result<crowd::functions::sentiment_analysis>({.text = "Great!"}, 42);
    @endcode
*/
template <api_function F>
typename F::result_type make_mock_result(typename F::input_type const& input, std::uint64_t seed)
{
    functions::mock_random random(seed);
    return mock_result(input, random);
}

}  // namespace mturk::crowd::testing

#endif
