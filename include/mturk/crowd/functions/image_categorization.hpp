// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_FUNCTIONS_IMAGE_CATEGORIZATION_HPP
#define MTURK_CROWD_FUNCTIONS_IMAGE_CATEGORIZATION_HPP

#include <mturk/crowd/functions/common.hpp>

namespace mturk::crowd::functions {

/// One category of image: a label (1..100 characters), an optional description, and at
/// most 2 positive and 2 negative example images.
struct image_category {
    std::string label;
    std::optional<std::string> description{};
    std::vector<image_example> positive_examples{};
    std::vector<image_example> negative_examples{};
    friend bool operator==(image_category const&, image_category const&) = default;
};
BOOST_DESCRIBE_STRUCT(image_category, (), (label, description, positive_examples, negative_examples))

/** `{"image": {"url": up to 400 characters}, "categories": 1..10 categories}`. The
    reference gives only the maximum; at least one is needed to choose one. */
struct image_categorization_input {
    functions::image image;
    std::vector<image_category> categories;

    void check_limits(detail::limits_check& check) const
    {
        check.url("image.url", image.url);
        detail::check_choices(check, "categories", categories, 1, 10, 100);
    }
    result<void> validate() const { return detail::checked(*this); }
    friend bool operator==(image_categorization_input const&, image_categorization_input const&) = default;
};
BOOST_DESCRIBE_STRUCT(image_categorization_input, (), (image, categories))

/// `{"matches": [{"label": ...}]}` (exactly one so far); earlier `applicableCategories`.
using image_categorization_result = label_matches;

/** image-categorization: which of the given categories an image belongs to.
    Specification: docs/image-categorization/readme.md of awslabs/mturk-crowd-beta-client-python; docs/functions.md. */
using image_categorization = function<"image-categorization", image_categorization_input, image_categorization_result>;

}  // namespace mturk::crowd::functions

template <>
inline constexpr bool mturk::crowd::json_optional_arrays<mturk::crowd::functions::image_category> = true;

#endif
