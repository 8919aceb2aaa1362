// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_JSON_MAPPING_HPP
#define MTURK_CROWD_JSON_MAPPING_HPP

#include <mturk/crowd/detail/fixed_string.hpp>
#include <mturk/crowd/detail/type_traits.hpp>
#include <mturk/crowd/error.hpp>

#include <boost/describe/enumerators.hpp>
#include <boost/describe/members.hpp>
#include <boost/describe/modifiers.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>
#include <boost/mp11/algorithm.hpp>

#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

/* How C++ types map to the service's JSON.

   - A struct described with BOOST_DESCRIBE_STRUCT is a JSON object. Its members'
     snake_case names become the service's camelCase keys (`positive_examples` is
     "positiveExamples", `text1` stays "text1"); set `json_keys_as_declared<T> = true`
     to use the names exactly as written.
   - Reading is lenient where services are: unknown keys are skipped, an absent or
     null `std::optional` member is left empty. Boost 1.81's own value_to of a
     described struct demands exactly the struct's keys, which breaks on the first key
     a service adds (docs/architecture.md, "JSON"), so this mapping does not use it.
   - Writing omits empty `std::optional` members rather than sending null.
   - A described enum is a string: the enumerator's name.
   - Anything else: provide both Boost.JSON hooks, found by argument-dependent lookup:
         void tag_invoke(boost::json::value_from_tag, boost::json::value&, T const&);
         boost::system::result<T> tag_invoke(boost::json::try_value_to_tag<T>, boost::json::value const&);
     They win over the rules above.
*/
namespace mturk::crowd {

/// Set to true for a described struct whose members are named exactly as its JSON keys.
template <class T>
inline constexpr bool json_keys_as_declared = false;

/// Set to true for a described struct whose `std::vector` members are optional on the
/// wire: an absent array reads as empty, and an empty one is not written.
template <class T>
inline constexpr bool json_optional_arrays = false;

namespace detail {

/// Where and why reading failed. The path is built on the way back up, so that
/// success costs nothing for it.
struct json_failure {
    errc code{};
    std::string path;
    std::string problem;

    void prefix_key(std::string_view key) { path.insert(0, std::string(".").append(key)); }
    void prefix_index(std::size_t index)
    {
        // Appended, not `"[" + ...`: g++ 12 at -O3 takes that for an overlapping copy (-Wrestrict).
        std::string part(1, '[');
        part += std::to_string(index);
        part += ']';
        path.insert(0, part);
    }

    crowd::error to_error(std::string_view root) const
    {
        std::string where(root);
        where += path;
        if (!where.empty() && where.front() == '.')
            where.erase(0, 1);
        if (!where.empty())
            where += ": ";
        return {make_error_code(code), where + problem};
    }
};

inline char const* json_kind_name(boost::json::kind k) noexcept
{
    switch (k) {
    case boost::json::kind::null: return "null";
    case boost::json::kind::bool_: return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_: return "a number";
    case boost::json::kind::string: return "a string";
    case boost::json::kind::array: return "an array";
    case boost::json::kind::object: return "an object";
    }
    return "an unknown kind";
}

inline bool wrong_type(boost::json::value const& v, char const* expected, json_failure& failure)
{
    failure.code = errc::wrong_type;
    failure.problem = std::string("expected ") + expected + ", got " + json_kind_name(v.kind());
    return false;
}

template <class T>
concept json_scalar = std::same_as<T, bool> || std::same_as<T, std::string> || std::same_as<T, double> ||
                      (std::integral<T> && !std::same_as<T, char>);

template <class T>
concept json_dom = std::same_as<T, boost::json::value> || std::same_as<T, boost::json::object> ||
                   std::same_as<T, boost::json::array>;

/// The library's own hooks for its types with several wire shapes, found by
/// argument-dependent lookup: they report failures with the path, which Boost's
/// try_value_to hook cannot.
template <class T>
concept has_crowd_json_hooks = requires(boost::json::value const& in, T& out, json_failure& failure, T const& t) {
    { mturk_crowd_read_json(in, out, failure) } -> std::same_as<bool>;
    { mturk_crowd_write_json(t) } -> std::same_as<boost::json::value>;
};

// Boost.JSON declares tag_invoke for std::optional and std::variant itself; those
// types are read here (optional) or are the user's business, never a user's hook.
template <class T>
concept has_json_hooks =
    !json_scalar<T> && !json_dom<T> && !is_optional<T>::value && !is_vector<T>::value &&
    requires(boost::json::value& out, boost::json::value const& in, T const& t) {
        tag_invoke(boost::json::value_from_tag{}, out, t);
        { tag_invoke(boost::json::try_value_to_tag<T>{}, in) } -> std::same_as<boost::system::result<T>>;
    };

template <class T>
using public_members = boost::describe::describe_members<T, boost::describe::mod_public | boost::describe::mod_inherited>;

template <class T, class D>
using member_type = std::remove_cvref_t<decltype(std::declval<T&>().*D::pointer)>;

template <class T>
consteval bool is_json_mappable();

template <class T, template <class...> class List, class... D>
consteval bool all_members_mappable(List<D...>)
{
    return (is_json_mappable<member_type<T, D>>() && ...);
}

template <class T>
consteval bool is_json_mappable()
{
    if constexpr (has_crowd_json_hooks<T> || has_json_hooks<T> || json_scalar<T> || json_dom<T>)
        return true;
    else if constexpr (is_optional<T>::value || is_vector<T>::value)
        return is_json_mappable<typename T::value_type>();
    else if constexpr (std::is_enum_v<T>)
        return boost::describe::has_describe_enumerators<T>::value;
    else if constexpr (boost::describe::has_describe_members<T>::value)
        return std::is_default_constructible_v<T> && all_members_mappable<T>(public_members<T>{});
    else
        return false;
}

}  // namespace detail

/** A type that `to_json` and `from_json` can convert: a described struct or enum, a
    type with the two `tag_invoke` hooks, or a scalar, string, `std::optional` or
    `std::vector` of such types, or Boost.JSON's own `value`, `object` and `array`.
*/
template <class T>
concept json_mappable = detail::is_json_mappable<T>();

namespace detail {

/// snake_case to camelCase: "positive_examples" -> "positiveExamples"; a trailing '_'
/// (as in `default_`, to dodge a keyword) is dropped.
constexpr std::size_t camel_case_size(std::string_view name) noexcept
{
    std::size_t n = 0;
    for (char c : name)
        n += c != '_';
    return n;
}

template <class T, class D>
consteval auto json_key_storage()
{
    constexpr std::string_view name = D::name;
    if constexpr (json_keys_as_declared<T>) {
        fixed_string<name.size()> out;
        for (std::size_t i = 0; i != name.size(); ++i)
            out.chars[i] = name[i];
        return out;
    } else {
        fixed_string<camel_case_size(name)> out;
        std::size_t j = 0;
        bool upper_next = false;
        for (char c : name) {
            if (c == '_') {
                upper_next = j != 0;
                continue;
            }
            out.chars[j++] = (upper_next && c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
            upper_next = false;
        }
        return out;
    }
}

template <class T, class D>
inline constexpr auto json_key_of = json_key_storage<T, D>();

template <class Int>
bool read_integer(boost::json::value const& v, Int& out, json_failure& failure)
{
    using limits = std::numeric_limits<Int>;
    bool in_range = false;
    if (v.is_int64()) {
        std::int64_t const i = v.get_int64();
        in_range = std::in_range<Int>(i);
        if (in_range)
            out = static_cast<Int>(i);
    } else if (v.is_uint64()) {
        std::uint64_t const u = v.get_uint64();
        in_range = std::in_range<Int>(u);
        if (in_range)
            out = static_cast<Int>(u);
    } else if (v.is_double()) {
        // Some services write whole numbers as 5.0; accept those, never a fraction.
        // The bounds are exact powers of two; converting first would be undefined out of range.
        double const d = v.get_double();
        double const upper_exclusive = 2.0 * static_cast<double>(limits::max() / 2 + 1);
        in_range = d >= static_cast<double>(limits::min()) && d < upper_exclusive && std::trunc(d) == d;
        if (in_range)
            out = static_cast<Int>(d);
    } else {
        return wrong_type(v, "an integer", failure);
    }
    if (!in_range) {
        failure.code = errc::invalid_value;
        failure.problem = "number is not an integer in the range of the field";
    }
    return in_range;
}

template <class T>
bool read_json(boost::json::value const& v, T& out, json_failure& failure);

template <class T>
bool read_described_struct(boost::json::value const& v, T& out, json_failure& failure)
{
    auto const* object = v.if_object();
    if (!object)
        return wrong_type(v, "an object", failure);
    bool ok = true;
    boost::mp11::mp_for_each<public_members<T>>([&](auto member) {
        using D = decltype(member);
        if (!ok)
            return;
        constexpr std::string_view key = json_key_of<T, D>.view();
        auto& field = out.*D::pointer;
        auto const* found = object->if_contains(key);
        // null is a value for a member that holds any JSON, and "absent" for everything else
        if (!found || (found->is_null() && !std::same_as<member_type<T, D>, boost::json::value>)) {
            if constexpr (is_optional<member_type<T, D>>::value) {
                field.reset();
                return;
            } else if constexpr (json_optional_arrays<T> && is_vector<member_type<T, D>>::value) {
                field.clear();
                return;
            } else {
                failure.code = found ? errc::wrong_type : errc::missing_field;
                failure.problem = found ? "expected a value, got null" : "missing";
                failure.path.clear();
                failure.prefix_key(key);
                ok = false;
                return;
            }
        }
        if (!read_json(*found, field, failure)) {
            failure.prefix_key(key);
            ok = false;
        }
    });
    return ok;
}

template <class T>
bool read_json(boost::json::value const& v, T& out, json_failure& failure)
{
    if constexpr (has_crowd_json_hooks<T>) {
        return mturk_crowd_read_json(v, out, failure);
    } else if constexpr (has_json_hooks<T>) {
        auto r = tag_invoke(boost::json::try_value_to_tag<T>{}, v);
        if (r) {
            out = std::move(*r);
            return true;
        }
        bool const ours = r.error().category() == crowd::error_category();
        failure.code = ours ? static_cast<errc>(r.error().value()) : errc::invalid_value;
        failure.problem = r.error().message();
        return false;
    } else if constexpr (std::same_as<T, boost::json::value>) {
        out = v;
        return true;
    } else if constexpr (std::same_as<T, boost::json::object>) {
        if (!v.is_object())
            return wrong_type(v, "an object", failure);
        out = v.get_object();
        return true;
    } else if constexpr (std::same_as<T, boost::json::array>) {
        if (!v.is_array())
            return wrong_type(v, "an array", failure);
        out = v.get_array();
        return true;
    } else if constexpr (std::same_as<T, bool>) {
        if (!v.is_bool())
            return wrong_type(v, "a boolean", failure);
        out = v.get_bool();
        return true;
    } else if constexpr (std::same_as<T, std::string>) {
        if (!v.is_string())
            return wrong_type(v, "a string", failure);
        out.assign(v.get_string().data(), v.get_string().size());
        return true;
    } else if constexpr (std::same_as<T, double>) {
        if (!v.is_number())
            return wrong_type(v, "a number", failure);
        out = v.to_number<double>();
        return true;
    } else if constexpr (std::integral<T>) {
        return read_integer(v, out, failure);
    } else if constexpr (is_optional<T>::value) {
        if (v.is_null()) {
            out.reset();
            return true;
        }
        return read_json(v, out.emplace(), failure);
    } else if constexpr (is_vector<T>::value) {
        auto const* array = v.if_array();
        if (!array)
            return wrong_type(v, "an array", failure);
        out.clear();
        out.reserve(array->size());
        for (std::size_t i = 0; i != array->size(); ++i) {
            if (!read_json((*array)[i], out.emplace_back(), failure)) {
                failure.prefix_index(i);
                return false;
            }
        }
        return true;
    } else if constexpr (std::is_enum_v<T>) {
        if (!v.is_string())
            return wrong_type(v, "a string", failure);
        std::string_view const text = v.get_string();
        bool found = false;
        boost::mp11::mp_for_each<boost::describe::describe_enumerators<T>>([&](auto e) {
            if (!found && text == e.name) {
                out = e.value;
                found = true;
            }
        });
        if (!found) {
            failure.code = errc::invalid_value;
            failure.problem = "unknown value \"" + std::string(text) + "\"";
        }
        return found;
    } else {
        static_assert(boost::describe::has_describe_members<T>::value, "not json_mappable");
        return read_described_struct(v, out, failure);
    }
}

}  // namespace detail

/** Reads a `T` from JSON, leniently (see the top of this header).

    @return the value, or an `error` whose code is `errc::missing_field`, `wrong_type`
    or `invalid_value` and whose detail names the path: `"entities[2].span.start: expected
    an integer, got a string"`.
*/
template <json_mappable T>
result<T> from_json(boost::json::value const& v)
{
    T out{};
    detail::json_failure failure;
    if (!detail::read_json(v, out, failure))
        return failure.to_error({});
    return out;
}

/// Writes `value` as JSON; empty optional members are omitted.
template <json_mappable T>
boost::json::value to_json(T const& value);

namespace detail {

template <class T>
boost::json::value write_json(T const& value)
{
    if constexpr (has_crowd_json_hooks<T>) {
        return mturk_crowd_write_json(value);
    } else if constexpr (has_json_hooks<T>) {
        return boost::json::value_from(value);
    } else if constexpr (json_dom<T> || json_scalar<T>) {
        return boost::json::value(value);
    } else if constexpr (is_optional<T>::value) {
        return value ? write_json(*value) : boost::json::value(nullptr);
    } else if constexpr (is_vector<T>::value) {
        boost::json::array array;
        array.reserve(value.size());
        for (auto const& element : value)
            array.push_back(write_json(element));
        return array;
    } else if constexpr (std::is_enum_v<T>) {
        // An enum value outside its described set has no name; null makes the service
        // refuse it loudly instead of sending a guess.
        char const* name = nullptr;
        boost::mp11::mp_for_each<boost::describe::describe_enumerators<T>>([&](auto e) {
            if (!name && value == e.value)
                name = e.name;
        });
        return name ? boost::json::value(name) : boost::json::value(nullptr);
    } else {
        boost::json::object object;
        boost::mp11::mp_for_each<public_members<T>>([&](auto member) {
            using D = decltype(member);
            auto const& field = value.*D::pointer;
            if constexpr (is_optional<member_type<T, D>>::value)
                if (!field)
                    return;
            if constexpr (json_optional_arrays<T> && is_vector<member_type<T, D>>::value)
                if (field.empty())
                    return;
            object.emplace(json_key_of<T, D>.view(), write_json(field));
        });
        return object;
    }
}

}  // namespace detail

template <json_mappable T>
boost::json::value to_json(T const& value)
{
    return detail::write_json(value);
}

}  // namespace mturk::crowd

#endif
