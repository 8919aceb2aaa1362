// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// Image functions: does a photo show a dog, which category a photo is, and how alike two
// photos are. Run it against crowd-emulator with scripts/with-emulator, or against the
// service as it is: the account, endpoint, CA file and credentials come from the environment.
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
    fn::image const park{.url = "https://example.com/park.jpg"};

    constexpr crowd::task_name contains_task{"image-dog"};
    fn::image_contains_input const dog{.image = park, .target = {.label = "dog"}};
    auto const contains = run_task<fn::image_contains>(*client, contains_task, dog);
    if (!contains)
        return 1;
    if (contains->result)
        std::cout << "contains a dog: " << (contains->result->contains_target ? "yes" : "no") << '\n';

    constexpr crowd::task_name category_task{"image-category"};
    fn::image_categorization_input const scene{
        .image = park, .categories = {{.label = "Outdoors"}, {.label = "Indoors", .description = "inside a building"}}};
    auto const category = run_task<fn::image_categorization>(*client, category_task, scene);
    if (!category)
        return 1;
    if (category->result && !category->result->matches.empty())
        std::cout << "category: " << category->result->matches.front().label << '\n';

    constexpr crowd::task_name similarity_task{"image-similarity"};
    fn::image_similarity_input const pair{.image1 = park, .image2 = {.url = "https://example.com/park-at-dusk.jpg"}};
    auto const similarity = run_task<fn::image_similarity>(*client, similarity_task, pair);
    if (!similarity)
        return 1;
    if (similarity->result)
        std::cout << "similarity: " << similarity->result->similarity_score << '\n';
    return 0;
}
