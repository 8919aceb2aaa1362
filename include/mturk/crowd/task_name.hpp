// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TASK_NAME_HPP
#define MTURK_CROWD_TASK_NAME_HPP

#include <mturk/crowd/detail/bounded_chars.hpp>
#include <mturk/crowd/detail/type_traits.hpp>
#include <mturk/crowd/detail/utf8.hpp>
#include <mturk/crowd/error.hpp>

#include <boost/system/result.hpp>

#include <concepts>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <type_traits>

namespace mturk::crowd {
namespace detail {

constexpr bool is_task_name_char(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
}

/// The one statement of the task-name rule; 0 when `text` is a valid name.
constexpr int task_name_problem(std::string_view text) noexcept
{
    if (text.empty())
        return static_cast<int>(errc::task_name_empty);
    if (text.size() > 64)
        return static_cast<int>(errc::task_name_too_long);
    // RFC 3986 removes these from a path, and SigV4's canonical URI with them: the request
    // would be signed for one path and sent to another.
    if (text == "." || text == "..")
        return static_cast<int>(errc::task_name_dot_segment);
    for (char c : text)
        if (!is_task_name_char(c))
            return static_cast<int>(errc::task_name_invalid_character);
    return 0;
}

// Never defined and not constexpr: a literal that breaks the rule makes the consteval
// constructor call one of these, and the compiler reports the call with this name.
void task_name_literal_is_empty_it_needs_1_to_64_characters();
void task_name_literal_is_longer_than_64_characters();
void task_name_literal_has_a_character_outside_A_to_Z_a_to_z_0_to_9_dot_underscore_hyphen();
void task_name_literal_is_a_dot_segment_which_URL_paths_remove();

}  // namespace detail

/** The name of a task: 1 to 64 characters of `[A-Za-z0-9._-]`, not `.` or `..` (a URL path
    drops those), stored in place (no heap).

    A literal is checked at compile time; a run-time string goes through `parse()`:
    @code
    mturk::crowd::task_name fixed{"order-42.review"};        // checked by the compiler
    auto parsed = mturk::crowd::task_name::parse(user_text);  // result<task_name>
    if (!parsed) std::cerr << parsed.error().message();
    @endcode

    Specification: the crowd REST API reference (mturk-crowd-beta-client-python docs/REST.md), "Task name".
*/
class task_name {
public:
    static constexpr std::size_t max_size = 64;

    /// From a string literal, checked at compile time: a bad literal does not compile.
    template <std::size_t N>
    consteval task_name(char const (&literal)[N]) : chars_(checked(literal))  // NOLINT: implicit on purpose
    {
    }

    /// Refuses run-time strings with a message that names the way that works.
    template <class String>
        requires(std::convertible_to<String const&, std::string_view> && !std::is_array_v<String>)
    task_name(String const&)  // NOLINT
    {
        static_assert(detail::dependent_false<String>,
                      "mturk::crowd::task_name: only a string literal is checked at compile time; "
                      "a run-time string must go through task_name::parse(text), which returns result<task_name>");
    }

    /// Checks `text` at run time. Errors: `errc::task_name_empty`, `task_name_too_long`,
    /// `task_name_invalid_character`, `task_name_dot_segment`.
    static boost::system::result<task_name> parse(std::string_view text) noexcept
    {
        if (int problem = detail::task_name_problem(text))
            return make_error_code(static_cast<errc>(problem));
        return task_name(text, trusted{});
    }

    /** `parse`, with an error whose detail says what is wrong and where: which character
        at which position (1-based), or the length, quoting the text (`crowd` and the
        emulator say it so). */
    static result<task_name> parse_with_reason(std::string_view text)
    {
        int const problem = detail::task_name_problem(text);
        if (!problem)
            return task_name(text, trusted{});
        auto const code = make_error_code(static_cast<errc>(problem));
        constexpr std::string_view rule = "a task name is 1 to 64 characters of A-Z a-z 0-9 . _ -, not . or ..";
        std::string quoted;
        for (char c : text.substr(0, 80)) {
            auto const byte = static_cast<unsigned char>(c);
            if (byte < 0x20 || byte >= 0x7f || c == '"' || c == '\\') {
                quoted += "\\x";
                detail::append_hex(quoted, byte);
            } else {
                quoted += c;
            }
        }
        if (text.size() > 80)
            quoted += "...";
        switch (static_cast<errc>(problem)) {
        case errc::task_name_empty: return error(code, std::string("the name is empty; ").append(rule));
        case errc::task_name_too_long:
            return error(code, "\"" + quoted + "\" has " + std::to_string(text.size()) + " characters; " + std::string(rule));
        case errc::task_name_dot_segment:
            return error(code, "\"" + quoted + "\" is a dot segment, which URL paths remove; " + std::string(rule));
        default: break;
        }
        std::size_t at = 0;
        while (at < text.size() && detail::is_task_name_char(text[at]))
            ++at;
        auto const byte = static_cast<unsigned char>(text[at]);
        bool const shown = byte >= 0x20 && byte < 0x7f;
        std::string what = byte == ' ' ? std::string("a space (0x") : shown ? std::string("'") + text[at] + "' (0x" : "byte 0x";
        detail::append_hex(what, byte);
        if (shown)
            what += ')';
        return error(code, "\"" + quoted + "\": " + what + " at position " + std::to_string(at + 1) +
                               " is not allowed; " + std::string(rule));
    }

    constexpr std::string_view view() const noexcept { return chars_.view(); }

    friend constexpr bool operator==(task_name const&, task_name const&) = default;
    friend constexpr auto operator<=>(task_name const&, task_name const&) = default;

    /// Prints the text; a template so that this header needs no <ostream>.
    template <class Char, class Traits>
    friend std::basic_ostream<Char, Traits>& operator<<(std::basic_ostream<Char, Traits>& out, task_name const& name)
    {
        return out << name.view();
    }

private:
    struct trusted {};
    constexpr task_name(std::string_view text, trusted) noexcept : chars_(text) {}

    template <std::size_t N>
    static consteval detail::bounded_chars<max_size> checked(char const (&literal)[N])
    {
        std::string_view const text(literal, N - 1);  // the literal's terminating NUL is not part of the name
        switch (static_cast<errc>(detail::task_name_problem(text))) {
        case errc::task_name_empty: detail::task_name_literal_is_empty_it_needs_1_to_64_characters(); break;
        case errc::task_name_too_long: detail::task_name_literal_is_longer_than_64_characters(); break;
        case errc::task_name_invalid_character:
            detail::task_name_literal_has_a_character_outside_A_to_Z_a_to_z_0_to_9_dot_underscore_hyphen();
            break;
        case errc::task_name_dot_segment: detail::task_name_literal_is_a_dot_segment_which_URL_paths_remove(); break;
        default: break;
        }
        return detail::bounded_chars<max_size>(text);
    }

    detail::bounded_chars<max_size> chars_;
};

}  // namespace mturk::crowd

template <>
struct std::hash<mturk::crowd::task_name> {
    std::size_t operator()(mturk::crowd::task_name const& name) const noexcept
    {
        return std::hash<std::string_view>{}(name.view());
    }
};

#endif
