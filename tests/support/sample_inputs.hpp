// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// One valid input per documented function, as JSON, for tests that cover all of them.
#ifndef MTURK_CROWD_TESTS_SAMPLE_INPUTS_HPP
#define MTURK_CROWD_TESTS_SAMPLE_INPUTS_HPP

#include <string_view>
#include <utility>

inline constexpr std::pair<std::string_view, std::string_view> sample_inputs[] = {
    {"sentiment-analysis", R"({"text":"Great"})"},
    {"emotion-detection", R"({"text":"Great"})"},
    {"named-entity-recognition", R"({"text":"Ada met Alan in London"})"},
    {"coreference-resolution", R"({"text":"Ada said she would come"})"},
    {"key-phrase-extraction", R"({"text":"I love this album"})"},
    {"semantic-similarity", R"({"text1":"a","text2":"b"})"},
    {"collect-utterance-for-intent", R"({"context":"a bill","intent":"lower it"})"},
    {"intent-detection", R"({"text":"book me in","intents":[{"label":"Book"},{"label":"Cancel"}]})"},
    {"text-categorization", R"({"text":"runs small","categories":[{"label":"Fit","positiveExamples":[{"text":"tight"}]}]})"},
    {"bounding-box", R"({"image":{"url":"https://example.com/a.jpg"},"labels":[{"label":"car"}]})"},
    {"image-contains", R"({"image":{"url":"https://example.com/a.jpg"},"target":{"label":"dog"}})"},
    {"image-categorization", R"({"image":{"url":"https://example.com/a.jpg"},"categories":[{"label":"Boot"}]})"},
    {"image-similarity", R"({"image1":{"url":"https://example.com/a.jpg"},"image2":{"url":"https://example.com/b.jpg"}})"},
};

/// The sample input of a documented function; empty for another name.
constexpr std::string_view sample_input_of(std::string_view function)
{
    for (auto const& [name, input] : sample_inputs)
        if (name == function)
            return input;
    return {};
}

#endif
