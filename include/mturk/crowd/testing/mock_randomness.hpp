// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TESTING_MOCK_RANDOMNESS_HPP
#define MTURK_CROWD_TESTING_MOCK_RANDOMNESS_HPP

#include <mturk/crowd/functions/values.hpp>

#include <cstddef>
#include <cstdint>
#include <random>
#include <string_view>
#include <vector>

/* The randomness of mock results: a seeded source, and the picks the mocks make from it
   (words of the input, a label, a score). */
namespace mturk::crowd::functions {

/// A seeded random source for mock results: the same seed, the same mocks.
using mock_random = std::mt19937_64;

namespace detail {

/// The words of `text` as spans counted in code points: what mock results point into.
inline std::vector<span> words_of(std::string_view text)
{
    std::vector<span> words;
    std::int64_t index = 0;
    std::size_t i = 0;
    std::optional<std::pair<std::size_t, std::int64_t>> open;  // byte offset, code point index
    while (i <= text.size()) {
        bool const at_end = i == text.size();
        bool const space = !at_end && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n');
        if ((at_end || space) && open) {
            words.push_back({std::string(text.substr(open->first, i - open->first)), open->second, index});
            open.reset();
        } else if (!at_end && !space && !open) {
            open.emplace(i, index);
        }
        if (at_end)
            break;
        // Advance one code point.
        ++i;
        while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80)
            ++i;
        ++index;
    }
    return words;
}

template <class T>
T const& pick(std::vector<T> const& from, mock_random& random)
{
    std::uniform_int_distribution<std::size_t> d(0, from.size() - 1);
    return from[d(random)];
}

inline std::int64_t between(std::int64_t low, std::int64_t high, mock_random& random)
{
    return std::uniform_int_distribution<std::int64_t>(low, high)(random);
}

/// One of the choices' own labels, as the real `-test` functions answer.
template <class Choice>
label_matches mock_match(std::vector<Choice> const& choices, mock_random& random)
{
    if (choices.empty())
        return {};
    return {{{pick(choices, random).label}}};
}

/// A score in [0, 1] with two decimals, as the service's look.
inline double score(mock_random& random)
{
    return static_cast<double>(between(0, 100, random)) / 100.0;
}

/// 0 to `most` distinct words of `text`, in order.
inline std::vector<span> some_words(std::string_view text, std::size_t most, mock_random& random)
{
    auto words = words_of(text);
    std::vector<span> out;
    for (auto const& w : words)
        if (out.size() < most && between(0, 2, random) == 0)
            out.push_back(w);
    return out;
}

}  // namespace detail

}  // namespace mturk::crowd::functions

#endif
