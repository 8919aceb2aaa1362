// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The demo (scripts/demo runs it against crowd-emulator over verified HTTPS): a text task
// and an image task, created, waited for, read as typed results, and deleted.
//
// Nothing here knows about the emulator: the account, the endpoint, the CA file and the
// credentials come from the environment (AWS_ACCOUNT_ID, AWS_ENDPOINT_URL_CROWD,
// AWS_CA_BUNDLE, the default credentials chain), so the same program runs against the
// real service.
#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/beast_client.hpp>

#include <chrono>
#include <iostream>

namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;
using namespace std::chrono_literals;

namespace {

/// Prints a failed step; true when the step succeeded.
template <class Result>
bool succeeded(Result const& r, char const* step)
{
    if (!r)
        std::cerr << "demo: " << step << ": " << r.error() << '\n';
    return static_cast<bool>(r);
}

}  // namespace

int main()
{
    auto client = crowd::make_client({});  // everything from the environment
    if (!succeeded(client, "configuring the client"))
        return 1;
    std::cout << "service: " << client->service_endpoint().url() << '\n';

    constexpr crowd::task_name review{"demo-review"};
    fn::sentiment_analysis_input const review_text{.text = "The battery lasts all day and the screen is gorgeous."};
    auto const made_review = client->create<fn::sentiment_analysis>(review, review_text);
    if (!succeeded(made_review, "creating the sentiment-analysis task"))
        return 1;
    std::cout << "created sentiment-analysis task " << review << " ("
              << crowd::to_string(made_review->task.state) << ")\n";

    constexpr crowd::task_name photo{"demo-street-photo"};
    fn::bounding_box_input const street{.image = {.url = "https://example.com/street.jpg"},
                                        .labels = {{.label = "car"}, {.label = "bicycle"}}};
    auto const made_photo = client->create<fn::bounding_box>(photo, street);
    if (!succeeded(made_photo, "creating the bounding-box task"))
        return 1;
    std::cout << "created bounding-box task " << photo << " (" << crowd::to_string(made_photo->task.state) << ")\n";

    crowd::wait_options const patience{.first_delay = 250ms, .max_delay = 2s, .timeout = 5min};
    auto const sentiment = client->wait<fn::sentiment_analysis>(review, patience);
    if (!succeeded(sentiment, "waiting for the sentiment-analysis task"))
        return 1;
    auto const boxes = client->wait<fn::bounding_box>(photo, patience);
    if (!succeeded(boxes, "waiting for the bounding-box task"))
        return 1;

    // Typed results: an enum for the sentiment, integers for the boxes.
    if (sentiment->result)
        std::cout << review << ": the Workers read the review as " << sentiment->result->sentiment << '\n';
    else
        std::cout << review << ": failed, " << sentiment->problem->code << ": " << sentiment->problem->message << '\n';
    if (boxes->result) {
        std::cout << photo << ": " << boxes->result->annotations.size() << " boxes\n";
        for (auto const& a : boxes->result->annotations)
            std::cout << "  " << a.label << " at left " << a.bounding_box.left << ", top " << a.bounding_box.top
                      << ", " << a.bounding_box.width << " x " << a.bounding_box.height << " px\n";
    } else {
        std::cout << photo << ": failed, " << boxes->problem->code << ": " << boxes->problem->message << '\n';
    }

    if (!succeeded(client->remove<fn::sentiment_analysis>(review), "deleting the sentiment-analysis task") ||
        !succeeded(client->remove<fn::bounding_box>(photo), "deleting the bounding-box task"))
        return 1;
    std::cout << "deleted both tasks\n";
    return 0;
}
