// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_FUNCTIONS_IMAGE_CONTAINS_HPP
#define MTURK_CROWD_FUNCTIONS_IMAGE_CONTAINS_HPP

#include <mturk/crowd/functions/common.hpp>

namespace mturk::crowd::functions {

/// `{"image": {"url": up to 400 characters}, "target": {"label": non-empty}}` (the
/// reference gives no length for the label).
struct image_contains_input {
    functions::image image;
    functions::target target;

    void check_limits(detail::limits_check& check) const
    {
        check.url("image.url", image.url).text("target.label", target.label, 1, detail::no_limit);
    }
    result<void> validate() const { return detail::checked(*this); }
    friend bool operator==(image_contains_input const&, image_contains_input const&) = default;
};
BOOST_DESCRIBE_STRUCT(image_contains_input, (), (image, target))

/// `{"containsTarget": true | false}`
struct image_contains_result {
    bool contains_target = false;
    friend bool operator==(image_contains_result const&, image_contains_result const&) = default;
};
BOOST_DESCRIBE_STRUCT(image_contains_result, (), (contains_target))

/** image-contains: whether an image shows the target. Specification: docs/image-contains/readme.md of awslabs/mturk-crowd-beta-client-python; docs/functions.md. */
using image_contains = function<"image-contains", image_contains_input, image_contains_result>;

}  // namespace mturk::crowd::functions

#endif
