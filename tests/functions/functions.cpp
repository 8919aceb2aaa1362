// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// One test case per documented function: the reference's example input and result round
// trip, every observed wire variant reads the same, every limit holds at its boundary,
// and mock results are valid results.
#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/json_shape.hpp>
#include <mturk/crowd/testing/mock_results.hpp>

#include <mturk/crowd/detail/utf8.hpp>
#include <mturk/crowd/request.hpp>
#include <mturk/crowd/task.hpp>

#include "sample_inputs.hpp"

#include <catch.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <string>

namespace crowd = mturk::crowd;
namespace f = mturk::crowd::functions;
namespace json = boost::json;

namespace {

/// n characters, each two bytes in UTF-8: limits count characters, not bytes.
std::string chars(std::size_t n)
{
    std::string out;
    for (std::size_t i = 0; i != n; ++i)
        out += "\xc3\xa9";  // é
    return out;
}

std::string url_of_length(std::size_t n)
{
    std::string out = "https://example.com/";
    out.append(n - out.size(), 'a');
    return out;
}

template <class T>
void round_trips(T const& value)
{
    auto const back = crowd::from_json<T>(crowd::to_json(value));
    INFO("json: " << json::serialize(crowd::to_json(value)));
    REQUIRE(back);
    CHECK(*back == value);
}

/// The function's input survives the trip through the PUT body.
template <class F>
void input_round_trips(typename F::input_type const& input)
{
    round_trips(input);
    auto const body = json::parse(crowd::put_body<F>(input));
    auto const back = crowd::from_json<typename F::input_type>(body.at("input"));
    REQUIRE(back);
    CHECK(*back == input);
}

/// `text` reads to `expected`, and `expected` survives its own trip through JSON.
template <class F>
void result_reads(std::string_view text, typename F::result_type const& expected)
{
    INFO("result: " << text);
    auto const got = crowd::from_json<typename F::result_type>(json::parse(text));
    REQUIRE(got);
    CHECK(*got == expected);
    round_trips(expected);
}

template <class F>
void valid(typename F::input_type const& input)
{
    auto const r = input.validate();
    INFO((r ? std::string("valid") : r.error().what()));
    CHECK(r);
}

template <class F>
void invalid(typename F::input_type const& input, std::string_view field)
{
    auto const r = input.validate();
    REQUIRE(r.has_error());
    CHECK(r.error() == crowd::errc::invalid_input);
    CHECK(r.error() == crowd::condition::invalid_argument);
    INFO(r.error().what());
    CHECK(r.error().detail().starts_with(std::string(field) + ": "));
}

/// Mocks: the same seed gives the same result, and each reads back as itself.
template <class F>
std::vector<typename F::result_type> mocks_of(typename F::input_type const& input)
{
    std::vector<typename F::result_type> out;
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
        auto const r = crowd::testing::make_mock_result<F>(input, seed);
        CHECK(r == crowd::testing::make_mock_result<F>(input, seed));
        round_trips(r);
        out.push_back(r);
    }
    // Seeds give different results: a constant mock would let the emulator's tasks all
    // come out the same.
    CHECK(std::adjacent_find(out.begin(), out.end(), std::not_equal_to<>{}) != out.end());
    return out;
}

/// A span points at its text within `text`, counted in characters.
void span_is_in(f::span const& s, std::string const& text)
{
    auto const from = crowd::detail::utf8_offset(text, static_cast<std::size_t>(s.start));
    auto const to = crowd::detail::utf8_offset(text, static_cast<std::size_t>(s.end));
    CHECK(s.start < s.end);
    CHECK(text.substr(from, to - from) == s.text);
}

}  // namespace

TEST_CASE("sentiment-analysis", "[functions]")
{
    input_round_trips<f::sentiment_analysis>({.text = "Everything is wonderful."});
    result_reads<f::sentiment_analysis>(R"({"sentiment":"positive"})", {f::sentiment::positive});
    result_reads<f::sentiment_analysis>(R"({"sentiment":"cannot determine"})", {f::sentiment::cannot_determine});

    // An unknown value is kept, not fatal.
    auto const unknown = crowd::from_json<f::sentiment_analysis_result>(json::parse(R"({"sentiment":"mixed"})"));
    REQUIRE(unknown);
    CHECK(!unknown->sentiment.known());
    CHECK(unknown->sentiment.name() == "mixed");
    CHECK(unknown->sentiment != f::sentiment::positive);
    round_trips(*unknown);

    valid<f::sentiment_analysis>({.text = chars(400)});
    valid<f::sentiment_analysis>({.text = "x"});
    invalid<f::sentiment_analysis>({.text = chars(401)}, "text");
    invalid<f::sentiment_analysis>({.text = ""}, "text");
    invalid<f::sentiment_analysis>({.text = "bad \xc3"}, "text");  // not UTF-8
    mocks_of<f::sentiment_analysis>({.text = "x"});

    // The whole task document, as the service answers a -test GET.
    auto const task = crowd::parse_task<f::sentiment_analysis::test>(
        R"({"taskName":"my-test-task-1","input":{"text":"Everything is wonderful."},"problemDetails":null,"state":"completed","result":{"sentiment":"positive"}})");
    REQUIRE(task);
    CHECK(task->result->sentiment == f::sentiment::positive);
    CHECK(task->raw.at("result").at("sentiment") == "positive");
}

TEST_CASE("emotion-detection", "[functions]")
{
    input_round_trips<f::emotion_detection>({.text = "First time ever winning all three fantasy leagues AND @Seahawks win!"});
    result_reads<f::emotion_detection>(R"({"emotion":"joy"})", {f::emotion::joy});
    // The reference's full-response example calls the key "sentiment".
    result_reads<f::emotion_detection>(R"({"sentiment":"joy"})", {f::emotion::joy});
    valid<f::emotion_detection>({.text = chars(400)});
    invalid<f::emotion_detection>({.text = chars(401)}, "text");
    invalid<f::emotion_detection>({.text = ""}, "text");
    mocks_of<f::emotion_detection>({.text = "x"});
}

TEST_CASE("named-entity-recognition", "[functions]")
{
    std::string const text = "At the Grammys, BRIO won.";
    input_round_trips<f::named_entity_recognition>({.text = text});
    f::named_entity_recognition_result const expected{
        {{{"Grammys", 7, 14}, f::entity_type::event}, {{"BRIO", 16, 20}, f::entity_type::brand}}};
    // Documented (type inside span, startIndex), -test (type beside span, start), production (flat).
    result_reads<f::named_entity_recognition>(
        R"({"entities":[{"span":{"text":"Grammys","startIndex":7,"endIndex":14,"type":"event"}},{"span":{"text":"BRIO","startIndex":16,"endIndex":20,"type":"brand"}}]})",
        expected);
    result_reads<f::named_entity_recognition>(
        R"({"entities":[{"span":{"start":7,"end":14,"text":"Grammys"},"type":"event"},{"span":{"start":16,"end":20,"text":"BRIO"},"type":"brand"}]})",
        expected);
    result_reads<f::named_entity_recognition>(
        R"({"entities":[{"start":7,"end":14,"text":"Grammys","type":"event"},{"start":16,"end":20,"text":"BRIO","type":"brand"}]})",
        expected);
    result_reads<f::named_entity_recognition>(R"({"entities":[]})", {});

    auto const missing_type = crowd::from_json<f::named_entity_recognition_result>(
        json::parse(R"({"entities":[{"start":7,"end":14,"text":"Grammys"}]})"));
    REQUIRE(missing_type.has_error());
    CHECK(missing_type.error().detail() == "entities[0].type: missing");

    valid<f::named_entity_recognition>({.text = chars(1600)});
    invalid<f::named_entity_recognition>({.text = chars(1601)}, "text");
    for (auto const& r : mocks_of<f::named_entity_recognition>({.text = "Zoë met Ünal in Zürich on Monday"}))
        for (auto const& e : r.entities)
            span_is_in(e.span, "Zoë met Ünal in Zürich on Monday");
}

TEST_CASE("coreference-resolution", "[functions]")
{
    std::string const text = "Megan said she would come.";
    input_round_trips<f::coreference_resolution>({.text = text});
    f::coreference_resolution_result const expected{{{{{"Megan", 0, 5}, {"she", 11, 14}}}}};
    result_reads<f::coreference_resolution>(
        R"({"coreferences":[{"references":[{"span":{"text":"Megan","startIndex":0,"endIndex":5}},{"span":{"text":"she","startIndex":11,"endIndex":14}}]}]})",
        expected);
    result_reads<f::coreference_resolution>(
        R"({"coreferences":[{"references":[{"span":{"start":0,"end":5,"text":"Megan"}},{"span":{"start":11,"end":14,"text":"she"}}]}]})",
        expected);
    // The production map form: one entry per key.
    result_reads<f::coreference_resolution>(
        R"({"references":{"ref-1":[{"start":0,"end":5,"text":"Megan","type":"ref-1"},{"start":11,"end":14,"text":"she","type":"ref-1"}]}})",
        expected);
    result_reads<f::coreference_resolution>(R"({"references":[]})", {});
    result_reads<f::coreference_resolution>(R"({"coreferences":[]})", {});

    valid<f::coreference_resolution>({.text = chars(1600)});
    invalid<f::coreference_resolution>({.text = chars(1601)}, "text");
    for (auto const& r : mocks_of<f::coreference_resolution>({.text = text}))
        for (auto const& c : r.coreferences)
            for (auto const& s : c.references)
                span_is_in(s, text);
}

TEST_CASE("key-phrase-extraction", "[functions]")
{
    std::string const text = "I love this album so much.";
    input_round_trips<f::key_phrase_extraction>({.text = text});
    f::key_phrase_extraction_result const expected{{{"love this album", 2, 17}}};
    result_reads<f::key_phrase_extraction>(
        R"({"keyPhrases":[{"span":{"text":"love this album","startIndex":2,"endIndex":17}}]})", expected);
    result_reads<f::key_phrase_extraction>(R"({"keyPhrases":[{"start":2,"end":17,"text":"love this album"}]})", expected);
    valid<f::key_phrase_extraction>({.text = chars(1600)});
    invalid<f::key_phrase_extraction>({.text = chars(1601)}, "text");
    for (auto const& r : mocks_of<f::key_phrase_extraction>({.text = text}))
        for (auto const& s : r.key_phrases)
            span_is_in(s, text);
}

TEST_CASE("semantic-similarity", "[functions]")
{
    input_round_trips<f::semantic_similarity>({.text1 = "The sky is blue.", .text2 = "The sky was the color of blue."});
    result_reads<f::semantic_similarity>(R"({"similarityScore":0.75})", {0.75});
    result_reads<f::semantic_similarity>(R"({"similarityScore":1})", {1.0});  // an integer on the wire
    valid<f::semantic_similarity>({.text1 = chars(400), .text2 = chars(400)});
    invalid<f::semantic_similarity>({.text1 = chars(401), .text2 = "x"}, "text1");
    invalid<f::semantic_similarity>({.text1 = "x", .text2 = chars(401)}, "text2");
    invalid<f::semantic_similarity>({.text1 = "x", .text2 = ""}, "text2");
    for (auto const& r : mocks_of<f::semantic_similarity>({.text1 = "a", .text2 = "b"}))
        CHECK((r.similarity_score >= 0.0 && r.similarity_score <= 1.0));
}

TEST_CASE("collect-utterance-for-intent", "[functions]")
{
    input_round_trips<f::collect_utterance_for_intent>(
        {.context = "They received a bill that is higher than expected.",
         .intent = "They want to get bill reduced to expected amount."});
    result_reads<f::collect_utterance_for_intent>(R"({"utterances":[{"text":"Why is my bill so high?"}]})",
                                                  {{{"Why is my bill so high?"}}});
    valid<f::collect_utterance_for_intent>({.context = chars(400), .intent = chars(400)});
    invalid<f::collect_utterance_for_intent>({.context = chars(401), .intent = "x"}, "context");
    invalid<f::collect_utterance_for_intent>({.context = "x", .intent = chars(401)}, "intent");
    for (auto const& r : mocks_of<f::collect_utterance_for_intent>({.context = "c", .intent = "i"}))
        CHECK(r.utterances.size() == 1);
}

TEST_CASE("intent-detection", "[functions]")
{
    f::intent_detection_input const example{
        .text = "my son was stung by bees and his arm is swollen, when can we see a doctor?",
        .intents = {{.label = "Schedule an appointment",
                     .description = "The person wants to see a doctor",
                     .positive_examples = {{"Can I come in on Tuesday?"}}},
                    {.label = "Medical Record Request", .negative_examples = {{"I feel sick"}, {"Book me in"}}}}};
    input_round_trips<f::intent_detection>(example);
    // Empty example lists and an absent description are not sent.
    auto const body = json::parse(crowd::put_body<f::intent_detection>(example));
    CHECK(!body.at("input").at("intents").at(1).as_object().contains("positiveExamples"));
    CHECK(!body.at("input").at("intents").at(1).as_object().contains("description"));

    result_reads<f::intent_detection>(R"({"matches":[{"label":"Schedule an appointment"}]})",
                                      {{{"Schedule an appointment"}}});
    result_reads<f::intent_detection>(R"({"applicableIntents":[{"label":"Schedule an appointment"}]})",
                                      {{{"Schedule an appointment"}}});

    auto with = [&](auto change) {
        auto input = example;
        change(input);
        return input;
    };
    valid<f::intent_detection>(example);
    valid<f::intent_detection>(with([](auto& i) { i.text = chars(1600); }));
    invalid<f::intent_detection>(with([](auto& i) { i.text = chars(1601); }), "text");
    invalid<f::intent_detection>(with([](auto& i) { i.intents.resize(1); }), "intents");
    valid<f::intent_detection>(with([](auto& i) { i.intents.resize(10, i.intents[0]); }));
    invalid<f::intent_detection>(with([](auto& i) { i.intents.resize(11, i.intents[0]); }), "intents");
    valid<f::intent_detection>(with([](auto& i) { i.intents[1].label = chars(100); }));
    invalid<f::intent_detection>(with([](auto& i) { i.intents[1].label = chars(101); }), "intents[1].label");
    invalid<f::intent_detection>(with([](auto& i) { i.intents[0].label = ""; }), "intents[0].label");
    valid<f::intent_detection>(with([](auto& i) { i.intents[0].positive_examples.resize(2, {"x"}); }));
    invalid<f::intent_detection>(with([](auto& i) { i.intents[0].positive_examples.resize(3, {"x"}); }),
                                 "intents[0].positiveExamples");
    invalid<f::intent_detection>(with([](auto& i) { i.intents[1].negative_examples.resize(3, {"x"}); }),
                                 "intents[1].negativeExamples");
    invalid<f::intent_detection>(with([](auto& i) { i.intents[0].positive_examples[0].text = ""; }),
                                 "intents[0].positiveExamples[0].text");

    for (auto const& r : mocks_of<f::intent_detection>(example)) {
        REQUIRE(r.matches.size() == 1);
        CHECK((r.matches[0].label == "Schedule an appointment" || r.matches[0].label == "Medical Record Request"));
    }
}

TEST_CASE("text-categorization", "[functions]")
{
    f::text_categorization_input const example{
        .text = "These are great. They do run a touch small, so order a size up.",
        .categories = {{.label = "Style"}, {.label = "Fit"}, {.label = "Quality"}, {.label = "Price"}}};
    input_round_trips<f::text_categorization>(example);
    result_reads<f::text_categorization>(R"({"matches":[{"label":"Fit"}]})", {{{"Fit"}}});
    result_reads<f::text_categorization>(R"({"applicableCategories":[{"label":"Fit"}]})", {{{"Fit"}}});

    auto with = [&](auto change) {
        auto input = example;
        change(input);
        return input;
    };
    valid<f::text_categorization>(with([](auto& i) { i.text = chars(400); }));
    invalid<f::text_categorization>(with([](auto& i) { i.text = chars(401); }), "text");
    invalid<f::text_categorization>(with([](auto& i) { i.categories.clear(); }), "categories");
    valid<f::text_categorization>(with([](auto& i) { i.categories.resize(10, {.label = "x"}); }));
    invalid<f::text_categorization>(with([](auto& i) { i.categories.resize(11, {.label = "x"}); }), "categories");
    valid<f::text_categorization>(with([](auto& i) { i.categories[2].label = chars(50); }));
    invalid<f::text_categorization>(with([](auto& i) { i.categories[2].label = chars(51); }), "categories[2].label");
    valid<f::text_categorization>(with([](auto& i) { i.categories[0].negative_examples.resize(2, {"x"}); }));
    invalid<f::text_categorization>(with([](auto& i) { i.categories[0].negative_examples.resize(3, {"x"}); }),
                                    "categories[0].negativeExamples");

    for (auto const& r : mocks_of<f::text_categorization>(example)) {
        REQUIRE(r.matches.size() == 1);
        bool const from_input = std::any_of(example.categories.begin(), example.categories.end(),
                                            [&](auto const& c) { return c.label == r.matches[0].label; });
        CHECK(from_input);
    }
}

TEST_CASE("bounding-box", "[functions]")
{
    f::bounding_box_input const example{.image = {"https://www.mturk.com/media/bbox.jpg"},
                                        .labels = {{"car"}, {"person"}}};
    input_round_trips<f::bounding_box>(example);
    auto const body = json::parse(crowd::put_body<f::bounding_box>(example));
    CHECK(body.at("input").as_object().contains("labels"));  // what every real call sent
    // The reference's table names the list "targets"; that reads the same.
    auto const targets = crowd::from_json<f::bounding_box_input>(
        json::parse(R"({"image":{"url":"https://www.mturk.com/media/bbox.jpg"},"targets":[{"label":"car"},{"label":"person"}]})"));
    REQUIRE(targets);
    CHECK(*targets == example);

    result_reads<f::bounding_box>(
        R"({"annotations":[{"boundingBox":{"height":120,"left":14,"top":22,"width":80},"label":"car"}]})",
        {{{{120, 14, 22, 80}, "car"}}});

    auto with = [&](auto change) {
        auto input = example;
        change(input);
        return input;
    };
    valid<f::bounding_box>(with([](auto& i) { i.image.url = url_of_length(400); }));
    invalid<f::bounding_box>(with([](auto& i) { i.image.url = url_of_length(401); }), "image.url");
    invalid<f::bounding_box>(with([](auto& i) { i.image.url = "ftp://example.com/a.png"; }), "image.url");
    invalid<f::bounding_box>(with([](auto& i) { i.image.url = "https://example.com/a b.png"; }), "image.url");
    invalid<f::bounding_box>(with([](auto& i) { i.labels.clear(); }), "labels");
    valid<f::bounding_box>(with([](auto& i) { i.labels.resize(10, {"x"}); }));
    invalid<f::bounding_box>(with([](auto& i) { i.labels.resize(11, {"x"}); }), "labels");
    valid<f::bounding_box>(with([](auto& i) { i.labels[1].label = chars(100); }));
    invalid<f::bounding_box>(with([](auto& i) { i.labels[1].label = chars(101); }), "labels[1].label");

    for (auto const& r : mocks_of<f::bounding_box>(example)) {
        CHECK(!r.annotations.empty());
        for (auto const& a : r.annotations)
            CHECK((a.label == "car" || a.label == "person"));
    }
}

TEST_CASE("image-contains", "[functions]")
{
    f::image_contains_input const example{.image = {"https://www.mturk.com/media/butterbean.jpg"}, .target = {"dog"}};
    input_round_trips<f::image_contains>(example);
    result_reads<f::image_contains>(R"({"containsTarget":true})", {true});
    result_reads<f::image_contains>(R"({"containsTarget":false})", {false});
    valid<f::image_contains>({.image = {url_of_length(400)}, .target = {"dog"}});
    invalid<f::image_contains>({.image = {url_of_length(401)}, .target = {"dog"}}, "image.url");
    invalid<f::image_contains>({.image = {""}, .target = {"dog"}}, "image.url");
    invalid<f::image_contains>({.image = {"https://x.com/a.jpg"}, .target = {""}}, "target.label");
    mocks_of<f::image_contains>(example);
}

TEST_CASE("image-categorization", "[functions]")
{
    f::image_categorization_input const example{
        .image = {"https://www.mturk.com/media/shoe.jpg"},
        .categories = {{.label = "Ankle Boot", .positive_examples = {{{"https://example.com/boot.jpg"}}}},
                       {.label = "Wedge"}}};
    input_round_trips<f::image_categorization>(example);
    result_reads<f::image_categorization>(R"({"matches":[{"label":"Wedge"}]})", {{{"Wedge"}}});
    result_reads<f::image_categorization>(R"({"applicableCategories":[{"label":"Wedge"}]})", {{{"Wedge"}}});

    auto with = [&](auto change) {
        auto input = example;
        change(input);
        return input;
    };
    valid<f::image_categorization>(with([](auto& i) { i.image.url = url_of_length(400); }));
    invalid<f::image_categorization>(with([](auto& i) { i.image.url = url_of_length(401); }), "image.url");
    invalid<f::image_categorization>(with([](auto& i) { i.categories.clear(); }), "categories");
    valid<f::image_categorization>(with([](auto& i) { i.categories.resize(10, {.label = "x"}); }));
    invalid<f::image_categorization>(with([](auto& i) { i.categories.resize(11, {.label = "x"}); }), "categories");
    valid<f::image_categorization>(with([](auto& i) { i.categories[1].label = chars(100); }));
    invalid<f::image_categorization>(with([](auto& i) { i.categories[1].label = chars(101); }), "categories[1].label");
    invalid<f::image_categorization>(
        with([](auto& i) { i.categories[0].positive_examples.resize(3, {{"https://example.com/x.jpg"}}); }),
        "categories[0].positiveExamples");
    invalid<f::image_categorization>(with([](auto& i) { i.categories[0].positive_examples[0].image.url = "boot.jpg"; }),
                                     "categories[0].positiveExamples[0].image.url");

    for (auto const& r : mocks_of<f::image_categorization>(example)) {
        REQUIRE(r.matches.size() == 1);
        CHECK((r.matches[0].label == "Ankle Boot" || r.matches[0].label == "Wedge"));
    }
}

TEST_CASE("image-similarity", "[functions]")
{
    f::image_similarity_input const example{.image1 = {"https://example.com/1.jpg"}, .image2 = {"https://example.com/2.jpg"}};
    input_round_trips<f::image_similarity>(example);
    result_reads<f::image_similarity>(R"({"similarityScore":0.5})", {0.5});
    valid<f::image_similarity>({.image1 = {url_of_length(400)}, .image2 = {url_of_length(400)}});
    invalid<f::image_similarity>({.image1 = {url_of_length(401)}, .image2 = {"https://x.com/a"}}, "image1.url");
    invalid<f::image_similarity>({.image1 = {"https://x.com/a"}, .image2 = {url_of_length(401)}}, "image2.url");
    for (auto const& r : mocks_of<f::image_similarity>(example))
        CHECK((r.similarity_score >= 0.0 && r.similarity_score <= 1.0));
}

TEST_CASE("the catalogue: 13 functions, each with its -test twin", "[functions]")
{
    std::vector<std::string_view> names;
    [&]<class... F>(f::function_list<F...>) {
        (names.push_back(F::name), ...);
        static_assert((crowd::api_function<typename F::test> && ...));
        CHECK(((std::string(F::test::name) == std::string(F::name) + "-test") && ...));
    }(f::all_functions{});
    CHECK(names == std::vector<std::string_view>{
                       "sentiment-analysis", "emotion-detection", "named-entity-recognition", "coreference-resolution",
                       "key-phrase-extraction", "semantic-similarity", "collect-utterance-for-intent", "intent-detection",
                       "text-categorization", "bounding-box", "image-contains", "image-categorization", "image-similarity"});
}

namespace {

/// The keys of an outline, and whether "any JSON" appears anywhere in it.
bool outline_is_complete(boost::json::value const& v)
{
    if (auto const* s = v.if_string())
        return *s != "any JSON";
    if (auto const* a = v.if_array())
        return a->size() == 1 && outline_is_complete(a->front());
    if (auto const* o = v.if_object()) {
        for (auto const& [key, member] : *o)
            if (!outline_is_complete(member))
                return false;
        return !o->empty();
    }
    return false;
}

/// Every key a written value has is in the outline (with or without the optional mark).
bool written_keys_outlined(boost::json::value const& written, boost::json::value const& outline)
{
    if (auto const* a = written.if_array())
        return std::all_of(a->begin(), a->end(), [&](auto const& e) { return written_keys_outlined(e, outline.at(0)); });
    if (auto const* o = written.if_object()) {
        for (auto const& [key, member] : *o) {
            auto const& shape = outline.as_object();
            auto const* inner = shape.if_contains(key);
            if (!inner)
                inner = shape.if_contains(std::string(key) + "?");
            if (!inner || !written_keys_outlined(member, *inner))
                return false;
        }
    }
    return true;
}

}  // namespace

TEST_CASE("json_shape: the outline of every input and result, matching what is written", "[functions]")
{
    CHECK(boost::json::serialize(crowd::json_shape<f::sentiment_analysis_input>()) == R"({"text":"string"})");
    CHECK(boost::json::serialize(crowd::json_shape<f::sentiment_analysis_result>()) ==
          R"({"sentiment":"\"positive\" | \"negative\" | \"neutral\" | \"cannot determine\""})");
    CHECK(boost::json::serialize(crowd::json_shape<f::text_categorization_input>()) ==
          R"({"text":"string","categories":[{"label":"string","description?":"string",)"
          R"("positiveExamples?":[{"text":"string"}],"negativeExamples?":[{"text":"string"}]}]})");
    [&]<class... F>(f::function_list<F...>) {
        auto const check_one = [&]<class G>() {
            INFO(G::name);
            auto const input_outline = crowd::json_shape<typename G::input_type>();
            auto const result_outline = crowd::json_shape<typename G::result_type>();
            CHECK(outline_is_complete(input_outline));
            CHECK(outline_is_complete(result_outline));
            // A mock result, written, uses only outlined keys: the outline of a type with
            // its own hooks is kept true by this.
            for (std::uint64_t seed = 1; seed != 6; ++seed) {
                auto const input = crowd::from_json<typename G::input_type>(boost::json::parse(sample_input_of(G::name)));
                REQUIRE(input);
                CHECK(written_keys_outlined(crowd::to_json(*input), input_outline));
                CHECK(written_keys_outlined(crowd::to_json(crowd::testing::make_mock_result<G>(*input, seed)), result_outline));
            }
        };
        (check_one.template operator()<F>(), ...);
    }(f::all_functions{});
}

namespace {

/// Whether "categories[].label" names a key of the outline.
bool path_in_outline(std::string_view path, boost::json::value const* outline)
{
    while (!path.empty()) {
        auto const dot = path.find('.');
        std::string_view part = path.substr(0, dot);
        path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
        bool const every_entry = part.ends_with("[]");
        if (every_entry)
            part.remove_suffix(2);
        auto const* object = outline->if_object();
        if (!object)
            return false;
        auto const* next = object->if_contains(part);
        if (!next)
            next = object->if_contains(std::string(part) + "?");
        if (!next)
            return false;
        if (every_entry) {
            if (!next->is_array() || next->get_array().empty())
                return false;
            next = &next->get_array()[0];
        }
        outline = next;
    }
    return true;
}

}  // namespace

TEST_CASE("input_limits: the limits validate() checks, listed", "[functions]")
{
    std::vector<std::string> listed;
    for (auto const& rule : f::input_limits<f::text_categorization>())
        listed.push_back(rule.path + ": " + f::to_string(rule));
    CHECK(listed == std::vector<std::string>{"text: 1..400 characters", "categories: 1..10 entries",
                                             "categories[].label: 1..50 characters",
                                             "categories[].positiveExamples: 0..2 entries",
                                             "categories[].negativeExamples: 0..2 entries",
                                             "categories[].positiveExamples[].text: at least 1 character",
                                             "categories[].negativeExamples[].text: at least 1 character"});
    auto const box = f::input_limits<f::bounding_box>();
    REQUIRE(box.size() == 3);
    CHECK(f::to_string(box[0]) == "an http(s) URL of at most 400 characters");
    CHECK(box[1].path == "labels");
    CHECK((box[1].min == 1 && box[1].max == 10));

    [&]<class... F>(f::function_list<F...>) {
        auto const check_one = [&]<class G>() {
            INFO(G::name);
            auto const rules = f::input_limits<G>();
            CHECK(!rules.empty());
            auto const outline = crowd::json_shape<typename G::input_type>();
            for (auto const& rule : rules) {
                INFO(rule.path);
                CHECK(path_in_outline(rule.path, &outline));
            }
        };
        (check_one.template operator()<F>(), ...);
    }(f::all_functions{});
}
