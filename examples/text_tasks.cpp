// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// Text functions: named entities, a category, and how alike two sentences are. Run it
// against crowd-emulator with scripts/with-emulator, or against the service as it is:
// the account, endpoint, CA file and credentials come from the environment.
#include "run_task.hpp"

#include <mturk/crowd/functions.hpp>

#include <iostream>

namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;

int main()
{
    auto client = client_from_environment();
    if (!client)
        return 1;

    constexpr crowd::task_name entities_task{"text-entities"};
    fn::named_entity_recognition_input const news{.text = "Ada Lovelace met Charles Babbage in London in 1833."};
    auto const entities = run_task<fn::named_entity_recognition>(*client, entities_task, news);
    if (!entities)
        return 1;
    if (entities->result)
        for (auto const& e : entities->result->entities)  // spans index the input text
            std::cout << "entity: \"" << e.span.text << "\" [" << e.span.start << ", " << e.span.end << "): "
                      << e.type << '\n';

    constexpr crowd::task_name category_task{"text-category"};
    fn::text_categorization_input const review{
        .text = "The shoes run small; order a size up.",
        .categories = {{.label = "Fit", .description = "size and fit"}, {.label = "Quality"}, {.label = "Delivery"}}};
    auto const category = run_task<fn::text_categorization>(*client, category_task, review);
    if (!category)
        return 1;
    if (category->result && !category->result->matches.empty())
        std::cout << "category: " << category->result->matches.front().label << '\n';

    constexpr crowd::task_name similarity_task{"text-similarity"};
    fn::semantic_similarity_input const pair{.text1 = "The cat sat on the mat.", .text2 = "A cat was sitting on a rug."};
    auto const similarity = run_task<fn::semantic_similarity>(*client, similarity_task, pair);
    if (!similarity)
        return 1;
    if (similarity->result)
        std::cout << "similarity: " << similarity->result->similarity_score << '\n';
    return 0;
}
