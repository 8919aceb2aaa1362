// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_JSON_SHAPE_HPP
#define MTURK_CROWD_JSON_SHAPE_HPP

#include <mturk/crowd/json_mapping.hpp>

#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>

#include <string>
#include <type_traits>

namespace mturk::crowd {

/// Specialize to `true` (with a `names()` giving the spellings) for a string type with a
/// fixed set of values, so that its outline lists them.
template <class T>
struct json_shape_names {
    static constexpr bool known = false;
};

namespace detail {

/// A type with its own JSON hooks outlines itself: `mturk_crowd_json_shape(T const*)`,
/// found by argument-dependent lookup.
template <class T>
concept has_json_shape_hook = requires(T const* p) {
    { mturk_crowd_json_shape(p) } -> std::convertible_to<boost::json::value>;
};

template <class T>
boost::json::value json_shape_of()
{
    if constexpr (has_json_shape_hook<T>) {
        return mturk_crowd_json_shape(static_cast<T const*>(nullptr));
    } else if constexpr (json_shape_names<T>::known) {
        std::string choices;
        // Appended piece by piece: g++ 12 at -O3 reports a false -Wrestrict for
        // "literal" + std::string (GCC PR 105329).
        for (auto const& name : json_shape_names<T>::names()) {
            if (!choices.empty())
                choices += " | ";
            choices += '"';
            choices += name;
            choices += '"';
        }
        return boost::json::value(choices);
    } else if constexpr (std::same_as<T, std::string>) {
        return "string";
    } else if constexpr (std::same_as<T, bool>) {
        return "boolean";
    } else if constexpr (std::integral<T>) {
        return "integer";
    } else if constexpr (std::floating_point<T>) {
        return "number";
    } else if constexpr (is_optional<T>::value) {
        return json_shape_of<typename T::value_type>();
    } else if constexpr (is_vector<T>::value) {
        return boost::json::array{json_shape_of<typename T::value_type>()};
    } else if constexpr (std::is_enum_v<T> && boost::describe::has_describe_enumerators<T>::value) {
        std::string choices;
        boost::mp11::mp_for_each<boost::describe::describe_enumerators<T>>([&](auto e) {
            choices += (choices.empty() ? "" : " | ") + ("\"" + std::string(e.name) + "\"");
        });
        return boost::json::value(choices);
    } else if constexpr (boost::describe::has_describe_members<T>::value) {
        boost::json::object out;
        boost::mp11::mp_for_each<public_members<T>>([&](auto d) {
            using D = decltype(d);
            using M = member_type<T, D>;
            bool const optional = is_optional<M>::value || (json_optional_arrays<T> && is_vector<M>::value);
            std::string key(json_key_of<T, D>.view());
            if (optional)
                key += '?';
            out.emplace(key, json_shape_of<M>());
        });
        return out;
    } else {
        return "any JSON";  // hooks without an outline: the type's documentation says
    }
}

}  // namespace detail

/** An outline of the JSON a mappable type reads and writes: objects with their keys
    (a `?` marks an optional one), `[element]` for arrays, and "string", "integer",
    "number", "boolean" or the list of allowed values for the rest. For help texts and
    `crowd functions`; limits on lengths and counts are in each input's `validate()`.

    @code
    json_shape<functions::sentiment_analysis_input>()  // {"text": "string"}
    @endcode
*/
template <json_mappable T>
boost::json::value json_shape()
{
    return detail::json_shape_of<T>();
}

}  // namespace mturk::crowd

#endif
