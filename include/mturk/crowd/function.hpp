// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_FUNCTION_HPP
#define MTURK_CROWD_FUNCTION_HPP

#include <mturk/crowd/detail/fixed_string.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/json_mapping.hpp>

#include <concepts>
#include <cstddef>
#include <string_view>
#include <type_traits>

namespace mturk::crowd {
namespace detail {

/// The one statement of the function-name rule; 0 when `name` is valid. The documented
/// names are lower-case words joined by '-' ("sentiment-analysis", "bounding-box-test").
constexpr int function_name_problem(std::string_view name) noexcept
{
    if (name.empty() || !(name.front() >= 'a' && name.front() <= 'z') || name.back() == '-')
        return static_cast<int>(errc::function_name_invalid);
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return static_cast<int>(errc::function_name_invalid);
    return 0;
}

// Never defined: see task_name.hpp.
void function_name_must_not_be_empty();
void function_name_must_start_with_a_lower_case_letter();
void function_name_may_have_only_lower_case_letters_digits_and_hyphens();
void function_name_must_not_end_with_a_hyphen();

/// A function name as a template argument, checked when the template is named.
template <std::size_t N>
struct function_name_literal {
    fixed_string<N> text;

    consteval function_name_literal(char const (&literal)[N + 1]) : text(literal)  // NOLINT: implicit on purpose
    {
        std::string_view const name = text.view();
        if (name.empty())
            function_name_must_not_be_empty();
        if (!(name.front() >= 'a' && name.front() <= 'z'))
            function_name_must_start_with_a_lower_case_letter();
        for (char c : name)
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
                function_name_may_have_only_lower_case_letters_digits_and_hyphens();
        if (name.back() == '-')
            function_name_must_not_end_with_a_hyphen();
    }

    consteval explicit function_name_literal(fixed_string<N> checked) : text(checked) {}

    consteval auto with_test_suffix() const { return function_name_literal<N + 5>(text + fixed_string("-test")); }
};

template <std::size_t M>
function_name_literal(char const (&)[M]) -> function_name_literal<M - 1>;

}  // namespace detail

/** One function of the API, as a type: its name and the C++ types of its input and result.

    @tparam Name    the API name, checked at compile time: lower-case letters, digits and
                    '-', starting with a letter.
    @tparam Input   what `input` holds: a described struct or a type with `tag_invoke`
                    hooks (json_mapping.hpp).
    @tparam Result  what `result` holds, the same way.

    @code
    struct review { std::string text; };
    BOOST_DESCRIBE_STRUCT(review, (), (text))
    struct verdict { std::string sentiment; };
    BOOST_DESCRIBE_STRUCT(verdict, (), (sentiment))
    using my_sentiment = mturk::crowd::function<"sentiment-analysis", review, verdict>;
    static_assert(my_sentiment::test::name == "sentiment-analysis-test");
    @endcode

    Specification: the crowd REST API reference (mturk-crowd-beta-client-python docs/REST.md), "Function name" (`<api-name>` or `<api-name>-test`).
*/
template <detail::function_name_literal Name, class Input, class Result>
struct function {
    static_assert(json_mappable<Input>,
                  "mturk::crowd::function<Name, Input, Result>: Input has no JSON mapping. Describe it with "
                  "BOOST_DESCRIBE_STRUCT (every member must be mappable too), or give it the two tag_invoke "
                  "hooks value_from_tag and try_value_to_tag (see mturk/crowd/json_mapping.hpp)");
    static_assert(json_mappable<Result>,
                  "mturk::crowd::function<Name, Input, Result>: Result has no JSON mapping. Describe it with "
                  "BOOST_DESCRIBE_STRUCT (every member must be mappable too), or give it the two tag_invoke "
                  "hooks value_from_tag and try_value_to_tag (see mturk/crowd/json_mapping.hpp)");

    using input_type = Input;
    using result_type = Result;

    /// The name as it appears in the request path.
    static constexpr std::string_view name = Name.text.view();

    /// True for the free `-test` twin: created `processing` like any task, then completed
    /// with a mock result at its first GET.
    static constexpr bool is_test = detail::ends_with(name, "-test");

    /// The `-test` twin: the same schemas, no Workers, no cost. A twin's twin is itself.
    using test = std::conditional_t<is_test, function, function<Name.with_test_suffix(), Input, Result>>;
};

/** What the client and `task<F>` need of a function descriptor. Any type with these
    members works; `function<...>` is the usual way to make one.

    | expression      | type / meaning                                  |
    |-----------------|-------------------------------------------------|
    | `F::name`       | `std::string_view` convertible: the API name    |
    | `F::input_type` | `json_mappable`: the task's input               |
    | `F::result_type`| `json_mappable`: the task's result              |
*/
template <class F>
concept api_function = requires {
    { F::name } -> std::convertible_to<std::string_view>;
    typename F::input_type;
    typename F::result_type;
} && json_mappable<typename F::input_type> && json_mappable<typename F::result_type>;

}  // namespace mturk::crowd

#endif
