// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_FUNCTIONS_IMAGE_SIMILARITY_HPP
#define MTURK_CROWD_FUNCTIONS_IMAGE_SIMILARITY_HPP

#include <mturk/crowd/functions/common.hpp>

namespace mturk::crowd::functions {

/// `{"image1": {"url": up to 400 characters}, "image2": {"url": up to 400 characters}}`
struct image_similarity_input {
    image image1;
    image image2;

    void check_limits(detail::limits_check& check) const
    {
        check.url("image1.url", image1.url).url("image2.url", image2.url);
    }
    result<void> validate() const { return detail::checked(*this); }
    friend bool operator==(image_similarity_input const&, image_similarity_input const&) = default;
};
BOOST_DESCRIBE_STRUCT(image_similarity_input, (), (image1, image2))

/// `{"similarityScore": 0..1}`, 1 the most similar (fractional: the reference's example is 0.5).
struct image_similarity_result {
    double similarity_score = 0;
    friend bool operator==(image_similarity_result const&, image_similarity_result const&) = default;
};
BOOST_DESCRIBE_STRUCT(image_similarity_result, (), (similarity_score))

/** image-similarity: how alike two images are. Specification: docs/image-similarity/readme.md of awslabs/mturk-crowd-beta-client-python; docs/functions.md. */
using image_similarity = function<"image-similarity", image_similarity_input, image_similarity_result>;

}  // namespace mturk::crowd::functions

#endif
