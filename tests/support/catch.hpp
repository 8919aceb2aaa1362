// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// One include for Catch2 v2 (Debian 12 ships 2.13) and v3, plus how tests print results.
#ifndef MTURK_CROWD_TESTS_CATCH_HPP
#define MTURK_CROWD_TESTS_CATCH_HPP

#if __has_include(<catch2/catch_all.hpp>)
#include <catch2/catch_all.hpp>
#else
#include <catch2/catch.hpp>
#endif

#include <boost/system/result.hpp>

#include <string>

// Boost 1.81's operator<< for result is unconstrained, so Catch believes every result
// printable and then fails to compile printing one whose value type is not. Print the
// outcome instead: the error's full text is what a failing test should show.
template <class T, class E>
struct Catch::StringMaker<boost::system::result<T, E>> {
    static std::string convert(boost::system::result<T, E> const& r)
    {
        if (r.has_value())
            return "result holding a value";
        if constexpr (requires { r.error().what(); })
            return "result holding the error: " + r.error().what();
        else
            return "result holding the error: " + r.error().message();
    }
};

#endif
