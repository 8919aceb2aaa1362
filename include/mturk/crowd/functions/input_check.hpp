// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_FUNCTIONS_INPUT_CHECK_HPP
#define MTURK_CROWD_FUNCTIONS_INPUT_CHECK_HPP

#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/error.hpp>

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

/* An input given as JSON for a function named at run time (a file, a line of a batch),
   checked before anything is sent: what `crowd put` and `crowd batch` check. Compiled
   once (the 13 typed readings behind one function). */
namespace mturk::crowd::functions {

/// Whether `function` is one of the 13 documented functions or a -test twin of one.
MTURK_CROWD_DECL bool is_documented(std::string_view function);

/** Checks `input` for the function named `function`. For a documented one (or its -test
    twin): a JSON object with only the keys of that function's input (a misspelt optional
    key, which the typed reading would drop without a word, is refused), that reads as its
    input type and passes its `validate()` (the documented limits). For any other name: a
    JSON object (the service judges the rest).
    Errors: `errc::invalid_input`, the detail naming the offending key's path
    ("categories[0].descripton: not a key of the text-categorization input", "not a
    sentiment-analysis input: text: missing"). */
MTURK_CROWD_DECL result<void> check_input(std::string_view function, boost::json::value const& input);

/// The path of the first key of `input` that `outline` (a `json_shape`) does not have.
MTURK_CROWD_DECL std::optional<std::string> first_unknown_key(boost::json::value const& input,
                                                              boost::json::value const& outline);

}  // namespace mturk::crowd::functions

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/functions/impl/input_check.ipp>
#endif

#endif
