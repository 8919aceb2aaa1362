// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_FUNCTIONS_IMPL_INPUT_CHECK_IPP
#define MTURK_CROWD_FUNCTIONS_IMPL_INPUT_CHECK_IPP

#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/functions/input_check.hpp>
#include <mturk/crowd/json_shape.hpp>

namespace mturk::crowd::functions {

namespace detail {

inline std::optional<std::string> first_unknown_key_at(boost::json::value const& input,
                                                       boost::json::value const& outline, std::string const& path)
{
    if (auto const* array = input.if_array(); array && outline.is_array() && !outline.get_array().empty()) {
        for (std::size_t i = 0; i != array->size(); ++i)
            if (auto found = first_unknown_key_at((*array)[i], outline.get_array()[0], path + "[" + std::to_string(i) + "]"))
                return found;
        return std::nullopt;
    }
    auto const* object = input.if_object();
    auto const* shape = outline.if_object();
    if (!object || !shape)
        return std::nullopt;  // a wrong type is the typed reading's to report
    for (auto const& [key, member] : *object) {
        std::string const name(key);
        auto const* inner = shape->if_contains(key);
        if (!inner)
            inner = shape->if_contains(name + "?");  // an optional key's outline
        std::string const here = path.empty() ? name : path + "." + name;
        if (!inner)
            return here;
        if (auto found = first_unknown_key_at(member, *inner, here))
            return found;
    }
    return std::nullopt;
}

template <class F>
result<void> check_typed_input(boost::json::value const& input)
{
    using input_type = typename F::input_type;
    if (auto key = first_unknown_key(input, json_shape<input_type>()))
        return error(errc::invalid_input, *key + ": not a key of the " + std::string(F::name) + " input");
    auto typed = from_json<input_type>(input);
    if (!typed)
        return error(errc::invalid_input,
                     "not a " + std::string(F::name) + " input: " + std::string(typed.error().detail()));
    if (auto valid = typed->validate(); !valid)
        return error(errc::invalid_input, std::string(valid.error().detail()));
    return {};
}

template <class... F>
std::optional<result<void>> check_in(std::string_view function, boost::json::value const& input, function_list<F...>)
{
    std::optional<result<void>> checked;
    auto const try_one = [&]<class G>() {
        if (!checked && (function == G::name || function == G::test::name))
            checked = check_typed_input<G>(input);  // a twin takes its function's input
    };
    (try_one.template operator()<F>(), ...);
    return checked;
}

}  // namespace detail

MTURK_CROWD_DECL bool is_documented(std::string_view function)
{
    bool found = false;
    [&]<class... F>(function_list<F...>) {
        ((found = found || function == F::name || function == F::test::name), ...);
    }(all_functions{});
    return found;
}

MTURK_CROWD_DECL std::optional<std::string> first_unknown_key(boost::json::value const& input,
                                                              boost::json::value const& outline)
{
    return detail::first_unknown_key_at(input, outline, {});
}

MTURK_CROWD_DECL result<void> check_input(std::string_view function, boost::json::value const& input)
{
    if (!input.is_object())
        return error(errc::invalid_input, "the input is not a JSON object");
    if (auto checked = detail::check_in(function, input, all_functions{}))
        return *checked;
    return {};
}

}  // namespace mturk::crowd::functions

#endif
