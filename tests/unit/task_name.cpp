// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#include <mturk/crowd/task_name.hpp>  // first: the header stands on its own

#include <catch.hpp>

#include <string>
#include <type_traits>
#include <unordered_set>

using mturk::crowd::errc;
using mturk::crowd::task_name;

// Stored in place: a name is a value type that never touches the heap.
static_assert(std::is_trivially_copyable_v<task_name>);
static_assert(sizeof(task_name) <= 72);
static_assert(task_name{"a"}.view() == "a");
static_assert(task_name{"A-Za-z0-9._"}.view().size() == 11);

TEST_CASE("task_name from a literal keeps its text", "[task_name]")
{
    constexpr task_name one{"x"};
    constexpr task_name longest{"0123456789012345678901234567890123456789012345678901234567890123"};
    constexpr task_name every_kind{"my-test-task_42.v1"};
    CHECK(one.view() == "x");
    CHECK(longest.view().size() == 64);
    CHECK(every_kind.view() == "my-test-task_42.v1");
}

TEST_CASE("task_name::parse accepts 1 to 64 characters of [A-Za-z0-9._-]", "[task_name]")
{
    std::string const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
    for (char c : alphabet) {
        auto parsed = task_name::parse(std::string(1, c) + "x");
        REQUIRE(parsed);
        CHECK(parsed->view() == std::string(1, c) + "x");
    }
    for (char const* dots : {"...", ".a", "a..", "-.-"})
        CHECK(task_name::parse(dots));
    auto longest = task_name::parse(std::string(64, 'z'));
    REQUIRE(longest);
    CHECK(longest->view() == std::string(64, 'z'));
}

TEST_CASE("task_name::parse names the problem", "[task_name]")
{
    CHECK(task_name::parse("").error() == errc::task_name_empty);
    CHECK(task_name::parse(std::string(65, 'a')).error() == errc::task_name_too_long);
    CHECK(task_name::parse(std::string(1000, 'a')).error() == errc::task_name_too_long);
    for (std::string bad : {"a b", "a/b", "a!b", "a%20", "caf\xc3\xa9", "tab\t", "a:b", "a+b", "a~b"}) {
        INFO("name: " << bad);
        CHECK(task_name::parse(bad).error() == errc::task_name_invalid_character);
    }
    std::string const with_nul("ab\0c", 4);
    CHECK(task_name::parse(with_nul).error() == errc::task_name_invalid_character);
    CHECK(task_name::parse("a b").error() == mturk::crowd::condition::invalid_argument);
}

TEST_CASE("task_name::parse refuses the dot segments . and .., which a URL path would drop", "[task_name]")
{
    // /<account>/functions/f/tasks/.. is /<account>/functions/f to every URL resolver and
    // to SigV4's canonical URI: the request would be signed for another path.
    CHECK(task_name::parse(".").error() == errc::task_name_dot_segment);
    CHECK(task_name::parse("..").error() == errc::task_name_dot_segment);
    CHECK(task_name::parse("..").error() == mturk::crowd::condition::invalid_argument);
    CHECK(task_name::parse("..").error().message().find("dot segment") != std::string::npos);
}

TEST_CASE("task_name::parse reports too long before a bad character", "[task_name]")
{
    // A 65-character name with a space is refused for its length: the first rule broken wins.
    CHECK(task_name::parse(std::string(64, 'a') + " ").error() == errc::task_name_too_long);
}

TEST_CASE("task_name compares, orders and hashes by its text", "[task_name]")
{
    // Named constants, not temporaries: clang 14 crashes generating code for a consteval
    // temporary held by reference in Catch's expression templates (plain code is fine).
    constexpr task_name alpha{"alpha"};
    auto a = task_name::parse("alpha").value();
    auto b = task_name::parse("beta").value();
    CHECK(a == alpha);
    CHECK(a != b);
    CHECK(a < b);
    std::unordered_set<task_name> set{a, b, alpha};
    CHECK(set.size() == 2);
}

TEST_CASE("task_name::parse_with_reason says which character and where, or what else is wrong", "[task_name]")
{
    auto detail_of = [](std::string_view text) {
        auto const r = task_name::parse_with_reason(text);
        REQUIRE(r.has_error());
        return std::string(r.error().detail());
    };
    CHECK(detail_of("order 42").starts_with("\"order 42\": a space (0x20) at position 6 is not allowed; a task name is"));
    CHECK(detail_of("a/b").starts_with("\"a/b\": '/' (0x2f) at position 2 is not allowed;"));
    CHECK(detail_of("caf\xc3\xa9").starts_with("\"caf\\xc3\\xa9\": byte 0xc3 at position 4 is not allowed;"));
    CHECK(detail_of("").starts_with("the name is empty;"));
    CHECK(detail_of(std::string(65, 'a')).find("has 65 characters;") != std::string::npos);
    CHECK(detail_of("..").starts_with("\"..\" is a dot segment"));
    CHECK(task_name::parse_with_reason("a b").error() == errc::task_name_invalid_character);
    CHECK(task_name::parse_with_reason("ok-1.x_y").value().view() == "ok-1.x_y");
}
