// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_FUNCTIONS_OPEN_ENUM_HPP
#define MTURK_CROWD_FUNCTIONS_OPEN_ENUM_HPP

#include <mturk/crowd/error.hpp>
#include <mturk/crowd/json_mapping.hpp>
#include <mturk/crowd/json_shape.hpp>

#include <boost/json/value.hpp>

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

/* open_enum: a value of a closed set as the service sends it, keeping values this
   version does not know. */
namespace mturk::crowd::functions {

/// Specialise with `static constexpr std::pair<E, std::string_view> table[]`: each
/// enumerator and the service's spelling of it.
template <class E>
struct enum_names;

/** A value of a closed set as the service sends it: a known enumerator, or, when the
    service sends a string this version does not know, that string, kept rather than
    refused (the API is a preview; values have been added before).

    @code
    if (result.sentiment == sentiment::positive) ...
    if (!result.sentiment.known()) log(result.sentiment.name());
    @endcode
*/
template <class E>
class open_enum {
public:
    open_enum(E value = enum_names<E>::table[0].first) noexcept : value_(value) {}  // NOLINT: implicit on purpose

    /// From the service's string; unknown strings are kept.
    static open_enum from_name(std::string_view name)
    {
        for (auto const& [value, text] : enum_names<E>::table)
            if (text == name)
                return open_enum(value);
        open_enum unknown;
        unknown.unknown_.assign(name);
        return unknown;
    }

    bool known() const noexcept { return unknown_.empty(); }
    /// The enumerator; nullopt for a string this version does not know.
    std::optional<E> value() const noexcept { return known() ? std::optional<E>(value_) : std::nullopt; }
    /// The service's spelling.
    std::string_view name() const noexcept
    {
        if (!known())
            return unknown_;
        for (auto const& [value, text] : enum_names<E>::table)
            if (value == value_)
                return text;
        return {};
    }

    friend bool operator==(open_enum const& a, open_enum const& b) noexcept
    {
        return a.known() == b.known() && (a.known() ? a.value_ == b.value_ : a.unknown_ == b.unknown_);
    }
    friend bool operator==(open_enum const& a, E b) noexcept { return a.known() && a.value_ == b; }

    template <class Char, class Traits>
    friend std::basic_ostream<Char, Traits>& operator<<(std::basic_ostream<Char, Traits>& out, open_enum const& e)
    {
        return out << e.name();
    }

    friend boost::json::value mturk_crowd_write_json(open_enum const& e) { return boost::json::value(e.name()); }
    friend bool mturk_crowd_read_json(boost::json::value const& v, open_enum& out, crowd::detail::json_failure& failure)
    {
        if (!v.is_string())
            return crowd::detail::wrong_type(v, "a string", failure);
        out = from_name(v.get_string());
        return true;
    }

private:
    E value_;
    std::string unknown_;
};

}  // namespace mturk::crowd::functions

/// An open enum's outline lists the values this version knows.
template <class E>
struct mturk::crowd::json_shape_names<mturk::crowd::functions::open_enum<E>> {
    static constexpr bool known = true;
    static auto names()
    {
        std::vector<std::string_view> out;
        for (auto const& [value, text] : functions::enum_names<E>::table)
            out.push_back(text);
        return out;
    }
};

#endif
