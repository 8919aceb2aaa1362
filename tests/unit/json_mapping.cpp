// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#include <mturk/crowd/json_mapping.hpp>

#include "sample_functions.hpp"

#include <catch.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace crowd = mturk::crowd;
namespace json = boost::json;

namespace probe {

enum class colour { red, dark_green };
BOOST_DESCRIBE_ENUM(colour, red, dark_green)

struct counted {
    std::uint8_t count = 0;
    friend bool operator==(counted const&, counted const&) = default;
};
BOOST_DESCRIBE_STRUCT(counted, (), (count))

struct everything {
    std::string text1;
    bool contains_target = false;
    int start_index = 0;
    double similarity_score = 0;
    colour shade = colour::red;
    std::optional<std::string> description;
    std::vector<counted> items;
    json::value extra;
    std::string default_;
    friend bool operator==(everything const&, everything const&) = default;
};
BOOST_DESCRIBE_STRUCT(everything, (),
                      (text1, contains_target, start_index, similarity_score, shade, description, items, extra, default_))

struct snake_keys {
    std::string task_name;
};
BOOST_DESCRIBE_STRUCT(snake_keys, (), (task_name))

// A type that maps itself: a point written as "x,y".
struct point {
    int x = 0;
    int y = 0;
    friend bool operator==(point const&, point const&) = default;
};
void tag_invoke(json::value_from_tag, json::value& out, point const& p)
{
    out = std::to_string(p.x) + "," + std::to_string(p.y);
}
boost::system::result<point> tag_invoke(json::try_value_to_tag<point>, json::value const& v)
{
    auto const* s = v.if_string();
    if (!s)
        return crowd::make_error_code(crowd::errc::wrong_type);
    auto comma = s->find(',');
    if (comma == json::string::npos)
        return crowd::make_error_code(crowd::errc::invalid_value);
    return point{std::stoi(std::string(s->subview(0, comma))), std::stoi(std::string(s->subview(comma + 1)))};
}

struct with_point {
    point where;
    friend bool operator==(with_point const&, with_point const&) = default;
};
BOOST_DESCRIBE_STRUCT(with_point, (), (where))

}  // namespace probe

template <>
inline constexpr bool crowd::json_keys_as_declared<probe::snake_keys> = true;

static_assert(crowd::json_mappable<probe::everything>);
static_assert(crowd::json_mappable<probe::point>);
static_assert(crowd::json_mappable<std::optional<std::vector<probe::counted>>>);
static_assert(!crowd::json_mappable<char>);
static_assert(!crowd::json_mappable<std::vector<char const*>>);

namespace {

probe::everything sample_everything()
{
    return {.text1 = "hello",
            .contains_target = true,
            .start_index = 7,
            .similarity_score = 0.75,
            .shade = probe::colour::dark_green,
            .description = "a description",
            .items = {{1}, {2}},
            .extra = json::parse(R"({"any":[1,"thing"]})"),
            .default_ = "kept"};
}

template <class T>
crowd::error read_error(std::string_view text)
{
    auto r = crowd::from_json<T>(json::parse(text));
    REQUIRE(r.has_error());
    return r.error();
}

}  // namespace

TEST_CASE("snake_case members map to the service's camelCase keys", "[json]")
{
    auto const v = crowd::to_json(sample_everything());
    auto const& object = v.as_object();
    for (char const* key : {"text1", "containsTarget", "startIndex", "similarityScore", "shade", "description", "items",
                            "extra", "default"})
        CHECK(object.contains(key));
    CHECK(object.size() == 9);
    CHECK(object.at("shade") == "dark_green");

    auto const categories = crowd::to_json(sample::category{"Fit", std::nullopt, {{"runs small"}}});
    CHECK(json::serialize(categories) == R"({"label":"Fit","positiveExamples":[{"text":"runs small"}]})");

    CHECK(json::serialize(crowd::to_json(probe::snake_keys{"x"})) == R"({"task_name":"x"})");
}

TEST_CASE("a value written and read back is the same value", "[json]")
{
    auto const original = sample_everything();
    auto const back = crowd::from_json<probe::everything>(crowd::to_json(original));
    REQUIRE(back);
    CHECK(*back == original);

    probe::everything sparse;
    sparse.items = {};
    auto const sparse_back = crowd::from_json<probe::everything>(crowd::to_json(sparse));
    REQUIRE(sparse_back);
    CHECK(*sparse_back == sparse);
}

TEST_CASE("empty optionals are omitted when writing, absent or null ones are empty when reading", "[json]")
{
    auto const written = crowd::to_json(sample::category{"Style", std::nullopt, {}});
    CHECK(!written.as_object().contains("description"));

    auto const absent = crowd::from_json<sample::category>(json::parse(R"({"label":"a","positiveExamples":[]})"));
    REQUIRE(absent);
    CHECK(!absent->description);
    auto const null = crowd::from_json<sample::category>(
        json::parse(R"({"label":"a","description":null,"positiveExamples":[]})"));
    REQUIRE(null);
    CHECK(!null->description);
}

TEST_CASE("keys the type does not know are skipped", "[json]")
{
    auto const r = crowd::from_json<sample::sentiment_result>(
        json::parse(R"({"sentiment":"positive","confidence":0.9,"workers":["a","b"]})"));
    REQUIRE(r);
    CHECK(r->sentiment == "positive");
}

TEST_CASE("a missing member is an error that names its path", "[json]")
{
    auto const e = read_error<sample::categorization_input>(R"({"text":"t","categories":[{"label":"a"},{}]})");
    CHECK(e == crowd::errc::missing_field);
    CHECK(e.detail() == "categories[0].positiveExamples: missing");
}

TEST_CASE("a member of the wrong type is an error that names its path and both types", "[json]")
{
    auto e = read_error<probe::everything>(R"({"text1":5})");
    CHECK(e == crowd::errc::wrong_type);
    CHECK(e.detail() == "text1: expected a string, got a number");

    e = read_error<sample::categorization_input>(R"({"text":"t","categories":[{"label":"a","positiveExamples":[{"text":1}]}]})");
    CHECK(e.detail() == "categories[0].positiveExamples[0].text: expected a string, got a number");

    e = read_error<sample::categorization_input>(R"({"text":null,"categories":[]})");
    CHECK(e == crowd::errc::wrong_type);
    CHECK(e.detail() == "text: expected a value, got null");

    e = read_error<sample::text_input>(R"(["text"])");
    CHECK(e.detail() == "expected an object, got an array");
    CHECK(e == crowd::condition::malformed_document);
}

TEST_CASE("integers are checked for range and fractions, and whole doubles are accepted", "[json]")
{
    CHECK(crowd::from_json<probe::counted>(json::parse(R"({"count":255})"))->count == 255);
    CHECK(crowd::from_json<probe::counted>(json::parse(R"({"count":5.0})"))->count == 5);
    CHECK(read_error<probe::counted>(R"({"count":256})") == crowd::errc::invalid_value);
    CHECK(read_error<probe::counted>(R"({"count":-1})") == crowd::errc::invalid_value);
    CHECK(read_error<probe::counted>(R"({"count":2.5})") == crowd::errc::invalid_value);
    CHECK(read_error<probe::counted>(R"({"count":"2"})") == crowd::errc::wrong_type);
    CHECK(read_error<probe::counted>(R"({"count":1e300})") == crowd::errc::invalid_value);
}

TEST_CASE("a described enum reads its enumerator names and refuses others", "[json]")
{
    CHECK(crowd::from_json<probe::colour>(json::value("red")).value() == probe::colour::red);
    auto const e = crowd::from_json<probe::colour>(json::value("blue"));
    REQUIRE(e.has_error());
    CHECK(e.error() == crowd::errc::invalid_value);
    CHECK(e.error().detail() == "unknown value \"blue\"");
    CHECK(crowd::to_json(static_cast<probe::colour>(42)).is_null());
}

TEST_CASE("numbers read as double whatever their JSON kind", "[json]")
{
    CHECK(crowd::from_json<double>(json::parse("1")).value() == 1.0);
    CHECK(crowd::from_json<double>(json::parse("0.25")).value() == 0.25);
    CHECK(crowd::from_json<double>(json::parse("true")).error() == crowd::errc::wrong_type);
}

TEST_CASE("tag_invoke hooks take over for types that map themselves", "[json]")
{
    probe::with_point const original{{3, -4}};
    auto const v = crowd::to_json(original);
    CHECK(json::serialize(v) == R"({"where":"3,-4"})");
    CHECK(crowd::from_json<probe::with_point>(v).value() == original);

    auto const e = read_error<probe::with_point>(R"({"where":"34"})");
    CHECK(e == crowd::errc::invalid_value);
    CHECK(e.detail().starts_with("where: "));
    CHECK(read_error<probe::with_point>(R"({"where":34})") == crowd::errc::wrong_type);
}
