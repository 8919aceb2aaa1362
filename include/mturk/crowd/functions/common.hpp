// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_FUNCTIONS_COMMON_HPP
#define MTURK_CROWD_FUNCTIONS_COMMON_HPP

#include <mturk/crowd/detail/utf8.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/function.hpp>
#include <mturk/crowd/json_mapping.hpp>
#include <mturk/crowd/json_shape.hpp>

#include <boost/describe/class.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

/* What the 13 function headers share: enums that keep values they do not know, input
   limits, spans, images, label matches, and the randomness of mock results.
   Specification: docs/<api>/readme.md of awslabs/mturk-crowd-beta-client-python; docs/functions.md. */
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

/// A seeded random source for mock results: the same seed, the same mocks.
using mock_random = std::mt19937_64;

/** One documented limit of an input: the key's path ("categories[].label", where `[]`
    means every entry), what is counted, and the bounds. `max` is `no_limit` where the
    reference sets none. Listed by `input_limits<F>()` from the same code `validate()`
    runs, so the list and the checks cannot disagree. */
struct input_limit {
    enum kind {
        characters,  ///< a string's length in code points
        entries,     ///< an array's size
        url,         ///< an http(s) URL without white space, up to `max` characters
    };
    std::string path;
    kind what = characters;
    std::size_t min = 0;
    std::size_t max = 0;
};

namespace detail {

/// For text the reference sets no maximum for (examples, descriptions).
inline constexpr std::size_t no_limit = static_cast<std::size_t>(-1);

/// Checks inputs against the documented limits; the first failure is kept, with the
/// path of the field and the limit it breaks.
class limits_check {
public:
    limits_check() = default;
    /// Records each limit into `rules` instead of checking it (for `input_limits<F>()`).
    explicit limits_check(std::vector<input_limit>& rules) : rules_(&rules) {}

    /// A string of `min` to `max` characters (code points) of valid UTF-8.
    limits_check& text(std::string_view path, std::string_view value, std::size_t min, std::size_t max)
    {
        if (rules_)
            return record(path, input_limit::characters, min, max);
        if (failed())
            return *this;
        auto const length = crowd::detail::utf8_length(value);
        if (!length)
            fail(path, "is not valid UTF-8");
        else if (*length < min)
            fail(path, value.empty() ? std::string("is empty; it needs at least ") + std::to_string(min) + " character" +
                                           (min == 1 ? "" : "s")
                                     : std::to_string(*length) + " characters; at least " + std::to_string(min));
        else if (*length > max)
            fail(path, std::to_string(*length) + " characters; at most " + std::to_string(max));
        return *this;
    }

    /// A list of `min` to `max` entries.
    limits_check& count(std::string_view path, std::size_t size, std::size_t min, std::size_t max)
    {
        if (rules_)
            return record(path, input_limit::entries, min, max);
        if (failed())
            return *this;
        if (size < min)
            fail(path, std::to_string(size) + " entries; at least " + std::to_string(min));
        else if (size > max)
            fail(path, std::to_string(size) + " entries; at most " + std::to_string(max));
        return *this;
    }

    /// An http or https URL of at most `max` characters, without white space.
    limits_check& url(std::string_view path, std::string_view value, std::size_t max = 400)
    {
        if (rules_)
            return record(path, input_limit::url, 1, max);
        text(path, value, 1, max);
        if (failed())
            return *this;
        bool const web = value.starts_with("https://") || value.starts_with("http://");
        bool const blank = value.find_first_of(" \t\r\n") != std::string_view::npos;
        if (!web || blank)
            fail(path, "is not an http:// or https:// URL without white space");
        return *this;
    }

    bool failed() const noexcept { return problem_.has_value(); }

    result<void> outcome() const
    {
        if (problem_)
            return *problem_;
        return {};
    }

private:
    void fail(std::string_view path, std::string const& problem)
    {
        problem_.emplace(errc::invalid_input, std::string(path) + ": " + problem);
    }
    /// "categories[0].label" is recorded as "categories[].label": the rule of every entry.
    limits_check& record(std::string_view path, input_limit::kind what, std::size_t min, std::size_t max)
    {
        std::string general;
        for (std::size_t i = 0; i < path.size(); ++i) {
            general += path[i];
            if (path[i] == '[')
                while (i + 1 < path.size() && path[i + 1] != ']')
                    ++i;
        }
        bool const known = std::any_of(rules_->begin(), rules_->end(), [&](input_limit const& r) { return r.path == general; });
        if (!known)
            rules_->push_back({std::move(general), what, min, max});
        return *this;
    }
    std::optional<error> problem_;
    std::vector<input_limit>* rules_ = nullptr;
};

/// `validate()` of an input: its `check_limits` over a fresh check.
template <class Input>
result<void> checked(Input const& input)
{
    limits_check check;
    input.check_limits(check);
    return check.outcome();
}

inline std::string indexed(std::string_view base, std::size_t i)
{
    return std::string(base) + "[" + std::to_string(i) + "]";
}

inline void check_example(limits_check& check, std::string const& path, text_example const& e)
{
    check.text(path + ".text", e.text, 1, no_limit);
}
inline void check_example(limits_check& check, std::string const& path, image_example const& e)
{
    check.url(path + ".image.url", e.image.url);
}

/// A list of labelled choices (intents, categories): how many, each label, and at most
/// 2 positive and 2 negative examples each.
template <class Choice>
limits_check& check_choices(limits_check& check, std::string_view name, std::vector<Choice> const& choices,
                            std::size_t min, std::size_t max, std::size_t label_max)
{
    check.count(name, choices.size(), min, max);
    for (std::size_t i = 0; i != choices.size() && !check.failed(); ++i) {
        auto const at = indexed(name, i);
        auto const& c = choices[i];
        check.text(at + ".label", c.label, 1, label_max)
            .count(at + ".positiveExamples", c.positive_examples.size(), 0, 2)
            .count(at + ".negativeExamples", c.negative_examples.size(), 0, 2);
        for (std::size_t k = 0; k != c.positive_examples.size(); ++k)
            check_example(check, indexed(at + ".positiveExamples", k), c.positive_examples[k]);
        for (std::size_t k = 0; k != c.negative_examples.size(); ++k)
            check_example(check, indexed(at + ".negativeExamples", k), c.negative_examples[k]);
    }
    return check;
}

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

/// The words of `text` as spans counted in code points: what mock results point into.
inline std::vector<span> words_of(std::string_view text)
{
    std::vector<span> words;
    std::int64_t index = 0;
    std::size_t i = 0;
    std::optional<std::pair<std::size_t, std::int64_t>> open;  // byte offset, code point index
    while (i <= text.size()) {
        bool const at_end = i == text.size();
        bool const space = !at_end && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n');
        if ((at_end || space) && open) {
            words.push_back({std::string(text.substr(open->first, i - open->first)), open->second, index});
            open.reset();
        } else if (!at_end && !space && !open) {
            open.emplace(i, index);
        }
        if (at_end)
            break;
        // Advance one code point.
        ++i;
        while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80)
            ++i;
        ++index;
    }
    return words;
}

template <class T>
T const& pick(std::vector<T> const& from, mock_random& random)
{
    std::uniform_int_distribution<std::size_t> d(0, from.size() - 1);
    return from[d(random)];
}

inline std::int64_t between(std::int64_t low, std::int64_t high, mock_random& random)
{
    return std::uniform_int_distribution<std::int64_t>(low, high)(random);
}

/// One of the choices' own labels, as the real `-test` functions answer.
template <class Choice>
label_matches mock_match(std::vector<Choice> const& choices, mock_random& random)
{
    if (choices.empty())
        return {};
    return {{{pick(choices, random).label}}};
}

/// A score in [0, 1] with two decimals, as the service's look.
inline double score(mock_random& random)
{
    return static_cast<double>(between(0, 100, random)) / 100.0;
}

/// 0 to `most` distinct words of `text`, in order.
inline std::vector<span> some_words(std::string_view text, std::size_t most, mock_random& random)
{
    auto words = words_of(text);
    std::vector<span> out;
    for (auto const& w : words)
        if (out.size() < most && between(0, 2, random) == 0)
            out.push_back(w);
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
