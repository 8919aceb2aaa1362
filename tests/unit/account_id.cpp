// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#include <mturk/crowd/account_id.hpp>

#include <catch.hpp>

#include <string>
#include <type_traits>
#include <unordered_set>

using mturk::crowd::account_id;
using mturk::crowd::errc;

static_assert(std::is_trivially_copyable_v<account_id>);
static_assert(account_id{"123456789012"}.view() == "123456789012");

TEST_CASE("account_id accepts exactly 12 digits", "[account_id]")
{
    constexpr account_id literal{"000000000000"};
    CHECK(literal.view() == "000000000000");
    auto parsed = account_id::parse("987654321098");
    REQUIRE(parsed);
    CHECK(parsed->view() == "987654321098");
}

TEST_CASE("account_id::parse names the problem", "[account_id]")
{
    CHECK(account_id::parse("").error() == errc::account_id_wrong_length);
    CHECK(account_id::parse("12345678901").error() == errc::account_id_wrong_length);
    CHECK(account_id::parse("1234567890123").error() == errc::account_id_wrong_length);
    CHECK(account_id::parse("12345678901a").error() == errc::account_id_not_digit);
    CHECK(account_id::parse("-12345678901").error() == errc::account_id_not_digit);
    CHECK(account_id::parse("1234 5678901").error() == errc::account_id_not_digit);
    CHECK(account_id::parse("123456789O12").error() == mturk::crowd::condition::invalid_argument);
}

TEST_CASE("account_id compares and hashes by its digits", "[account_id]")
{
    // Named constants, not temporaries: clang 14 crashes generating code for a consteval
    // temporary held by reference in Catch's expression templates (plain code is fine).
    constexpr account_id ones{"111111111111"};
    constexpr account_id larger{"211111111111"};
    auto a = account_id::parse("111111111111").value();
    CHECK(a == ones);
    CHECK(a < larger);
    std::unordered_set<account_id> set{a, ones};
    CHECK(set.size() == 1);
}
