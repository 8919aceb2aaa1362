// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_FUNCTIONS_SEMANTIC_SIMILARITY_HPP
#define MTURK_CROWD_FUNCTIONS_SEMANTIC_SIMILARITY_HPP

#include <mturk/crowd/functions/common.hpp>

namespace mturk::crowd::functions {

/// `{"text1": 1..400 characters, "text2": 1..400 characters}`
struct semantic_similarity_input {
    std::string text1;
    std::string text2;

    void check_limits(detail::limits_check& check) const
    {
        check.text("text1", text1, 1, 400).text("text2", text2, 1, 400);
    }
    result<void> validate() const { return detail::checked(*this); }
    friend bool operator==(semantic_similarity_input const&, semantic_similarity_input const&) = default;
};
BOOST_DESCRIBE_STRUCT(semantic_similarity_input, (), (text1, text2))

/// `{"similarityScore": 0..1}`, 1 the most similar. The reference's table says
/// "Integer", but every example and response is fractional (0.75, 0.25): a double.
struct semantic_similarity_result {
    double similarity_score = 0;
    friend bool operator==(semantic_similarity_result const&, semantic_similarity_result const&) = default;
};
BOOST_DESCRIBE_STRUCT(semantic_similarity_result, (), (similarity_score))

/** semantic-similarity: how alike two texts are in meaning. Specification: docs/semantic-similarity/readme.md of awslabs/mturk-crowd-beta-client-python; docs/functions.md. */
using semantic_similarity = function<"semantic-similarity", semantic_similarity_input, semantic_similarity_result>;

}  // namespace mturk::crowd::functions

#endif
