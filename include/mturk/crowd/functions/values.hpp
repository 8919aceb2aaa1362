// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_FUNCTIONS_VALUES_HPP
#define MTURK_CROWD_FUNCTIONS_VALUES_HPP

#include <mturk/crowd/detail/utf8.hpp>
#include <mturk/crowd/json_mapping.hpp>
#include <mturk/crowd/json_shape.hpp>

#include <boost/describe/class.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

/* The values several functions share: images, examples, targets, spans and label
   matches, and how spans and label matches are read from each of their wire shapes. */
namespace mturk::crowd::functions {

/// A public image: Workers open the URL in a browser.
struct image {
    std::string url;
    friend bool operator==(image const&, image const&) = default;
};
BOOST_DESCRIBE_STRUCT(image, (), (url))

/// An example sentence for a label.
struct text_example {
    std::string text;
    friend bool operator==(text_example const&, text_example const&) = default;
};
BOOST_DESCRIBE_STRUCT(text_example, (), (text))

/// What to look for: a label.
struct target {
    std::string label;
    friend bool operator==(target const&, target const&) = default;
};
BOOST_DESCRIBE_STRUCT(target, (), (label))

/// An example image for a label.
struct image_example {
    functions::image image;
    friend bool operator==(image_example const&, image_example const&) = default;
};
BOOST_DESCRIBE_STRUCT(image_example, (), (image))

/** A stretch of the input text: `text`, from `start` to `end` (exclusive), counted in
    characters. The service has written it as `start`/`end` or `startIndex`/`endIndex`,
    inside a `span` object or not; all of these read the same. It is written the way the
    reference documents: `{"span": {"text", "startIndex", "endIndex"}}`. */
struct span {
    std::string text;
    std::int64_t start = 0;
    std::int64_t end = 0;
    friend bool operator==(span const&, span const&) = default;
};

/// One label the Workers chose.
struct label_match {
    std::string label;
    friend bool operator==(label_match const&, label_match const&) = default;
};
BOOST_DESCRIBE_STRUCT(label_match, (), (label))

/** The result of the three choose-a-label functions (intent detection, text and image
    categorisation): `{"matches": [{"label": ...}]}`, in practice exactly one. Early
    responses called the list `applicableIntents` / `applicableCategories`; any
    `applicable*` key reads the same. */
struct label_matches {
    std::vector<label_match> matches;
    friend bool operator==(label_matches const&, label_matches const&) = default;
};

namespace detail {

/// Reads one span in any of its known shapes; `type_out`, when given, receives a
/// `type` found inside the span or beside it.
inline bool read_span(boost::json::value const& v, span& out, crowd::detail::json_failure& failure,
                      boost::json::value const** type_out = nullptr)
{
    auto const* outer = v.if_object();
    if (!outer)
        return crowd::detail::wrong_type(v, "an object", failure);
    auto const* inner = outer;
    if (auto const* wrapped = outer->if_contains("span")) {
        if (!wrapped->is_object()) {
            crowd::detail::wrong_type(*wrapped, "an object", failure);
            failure.prefix_key("span");
            return false;
        }
        inner = &wrapped->get_object();
    }
    auto member = [&](std::initializer_list<std::string_view> keys) -> boost::json::value const* {
        for (auto key : keys)
            if (auto const* found = inner->if_contains(key))
                return found;
        return nullptr;
    };
    auto const* text = member({"text"});
    auto const* start = member({"startIndex", "start"});
    auto const* end = member({"endIndex", "end"});
    for (auto [value, name] : {std::pair{text, "text"}, std::pair{start, "startIndex"}, std::pair{end, "endIndex"}}) {
        if (!value) {
            failure.code = errc::missing_field;
            failure.problem = "missing";
            failure.path.clear();
            failure.prefix_key(name);
            return false;
        }
    }
    if (!crowd::detail::read_json(*text, out.text, failure)) {
        failure.prefix_key("text");
        return false;
    }
    if (!crowd::detail::read_json(*start, out.start, failure)) {
        failure.prefix_key("startIndex");
        return false;
    }
    if (!crowd::detail::read_json(*end, out.end, failure)) {
        failure.prefix_key("endIndex");
        return false;
    }
    if (type_out) {
        *type_out = inner->if_contains("type");
        if (!*type_out && inner != outer)
            *type_out = outer->if_contains("type");
    }
    return true;
}

inline boost::json::object span_object(span const& s)
{
    return {{"text", s.text}, {"startIndex", s.start}, {"endIndex", s.end}};
}

/// `{"span": {...}}`, the documented form.
inline boost::json::value wrapped_span(span const& s)
{
    return boost::json::object{{"span", span_object(s)}};
}

/// Reads a list of spans in any shape into `out`.
inline bool read_span_list(boost::json::value const& v, std::vector<span>& out, crowd::detail::json_failure& failure)
{
    auto const* array = v.if_array();
    if (!array)
        return crowd::detail::wrong_type(v, "an array", failure);
    out.clear();
    for (std::size_t i = 0; i != array->size(); ++i) {
        if (!read_span((*array)[i], out.emplace_back(), failure)) {
            failure.prefix_index(i);
            return false;
        }
    }
    return true;
}

inline boost::json::array span_list(std::vector<span> const& spans)
{
    boost::json::array out;
    for (auto const& s : spans)
        out.push_back(wrapped_span(s));
    return out;
}

}  // namespace detail

// Spans and label matches map themselves (several wire shapes in, one shape out).
inline boost::json::value mturk_crowd_write_json(span const& s) { return detail::span_object(s); }
inline boost::json::value mturk_crowd_json_shape(span const*)
{
    return boost::json::object{{"text", "string"}, {"startIndex", "integer"}, {"endIndex", "integer"}};
}
inline bool mturk_crowd_read_json(boost::json::value const& v, span& out, crowd::detail::json_failure& failure)
{
    return detail::read_span(v, out, failure);
}

inline boost::json::value mturk_crowd_write_json(label_matches const& m)
{
    return boost::json::object{{"matches", to_json(m.matches)}};
}
inline boost::json::value mturk_crowd_json_shape(label_matches const*)
{
    return boost::json::object{{"matches", json_shape<std::vector<label_match>>()}};
}
inline bool mturk_crowd_read_json(boost::json::value const& v, label_matches& out, crowd::detail::json_failure& failure)
{
    auto const* o = v.if_object();
    if (!o)
        return crowd::detail::wrong_type(v, "an object", failure);
    std::string_view key = "matches";
    boost::json::value const* list = o->if_contains(key);
    for (auto it = o->begin(); !list && it != o->end(); ++it) {
        if (it->key().starts_with("applicable")) {
            key = it->key();
            list = &it->value();
        }
    }
    if (!list) {
        failure.code = errc::missing_field;
        failure.problem = "missing (nor any applicable* list)";
        failure.prefix_key("matches");
        return false;
    }
    if (!crowd::detail::read_json(*list, out.matches, failure)) {
        failure.prefix_key(key);
        return false;
    }
    return true;
}

}  // namespace mturk::crowd::functions

#endif
