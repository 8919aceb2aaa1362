// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_FUNCTIONS_LIMITS_HPP
#define MTURK_CROWD_FUNCTIONS_LIMITS_HPP

#include <mturk/crowd/detail/utf8.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/functions/values.hpp>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

/* The documented limits of inputs: checked by `validate()`, listed by `input_limits<F>()`,
   from the same code. */
namespace mturk::crowd::functions {

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

}  // namespace detail

}  // namespace mturk::crowd::functions

#endif
