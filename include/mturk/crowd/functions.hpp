// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_FUNCTIONS_HPP
#define MTURK_CROWD_FUNCTIONS_HPP

// The 13 documented API functions, typed (Specification: crowd-api.md section 3).
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

#include <cstdint>

namespace mturk::crowd::functions {

/** A valid random result of function `F` for `input`: what the emulator answers `-test`
    tasks with. The same seed gives the same result; labels are the input's own where the
    real `-test` functions pick from them.

    @code
    auto r = functions::make_mock_result<functions::sentiment_analysis>({.text = "Great!"}, 42);
    @endcode
*/
template <api_function F>
typename F::result_type make_mock_result(typename F::input_type const& input, std::uint64_t seed)
{
    mock_random random(seed);
    return mock_result(input, random);
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
