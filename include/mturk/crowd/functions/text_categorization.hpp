// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_FUNCTIONS_TEXT_CATEGORIZATION_HPP
#define MTURK_CROWD_FUNCTIONS_TEXT_CATEGORIZATION_HPP

#include <mturk/crowd/functions/common.hpp>

namespace mturk::crowd::functions {

/// One category of text: a label (1..50 characters), an optional description, and at
/// most 2 positive and 2 negative examples.
struct text_category {
    std::string label;
    std::optional<std::string> description{};
    std::vector<text_example> positive_examples{};
    std::vector<text_example> negative_examples{};
    friend bool operator==(text_category const&, text_category const&) = default;
};
BOOST_DESCRIBE_STRUCT(text_category, (), (label, description, positive_examples, negative_examples))

/** `{"text": 1..400 characters, "categories": 1..10 categories}`. The reference gives
    only the maximum; at least one category is needed for Workers to choose one. */
struct text_categorization_input {
    std::string text;
    std::vector<text_category> categories;

    void check_limits(detail::limits_check& check) const
    {
        check.text("text", text, 1, 400);
        detail::check_choices(check, "categories", categories, 1, 10, 50);
    }
    result<void> validate() const { return detail::checked(*this); }
    friend bool operator==(text_categorization_input const&, text_categorization_input const&) = default;
};
BOOST_DESCRIBE_STRUCT(text_categorization_input, (), (text, categories))

/// `{"matches": [{"label": ...}]}` (exactly one so far); earlier `applicableCategories`.
using text_categorization_result = label_matches;

/** text-categorization: which of the given categories a text belongs to.
    Specification: docs/text-categorization/readme.md of awslabs/mturk-crowd-beta-client-python; docs/functions.md. */
using text_categorization = function<"text-categorization", text_categorization_input, text_categorization_result>;

}  // namespace mturk::crowd::functions

template <>
inline constexpr bool mturk::crowd::json_optional_arrays<mturk::crowd::functions::text_category> = true;

#endif
