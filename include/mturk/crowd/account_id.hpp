// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_ACCOUNT_ID_HPP
#define MTURK_CROWD_ACCOUNT_ID_HPP

#include <mturk/crowd/detail/bounded_chars.hpp>
#include <mturk/crowd/detail/type_traits.hpp>
#include <mturk/crowd/error.hpp>

#include <boost/system/result.hpp>

#include <concepts>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <string_view>
#include <type_traits>

namespace mturk::crowd {
namespace detail {

/// The one statement of the account-id rule; 0 when `text` is valid.
constexpr int account_id_problem(std::string_view text) noexcept
{
    if (text.size() != 12)
        return static_cast<int>(errc::account_id_wrong_length);
    for (char c : text)
        if (c < '0' || c > '9')
            return static_cast<int>(errc::account_id_not_digit);
    return 0;
}

// Never defined: see task_name.hpp.
void account_id_literal_must_have_exactly_12_characters();
void account_id_literal_must_have_only_digits_0_to_9();

}  // namespace detail

/** A 12-digit AWS account id, the first segment of every request path.

    @code
    mturk::crowd::account_id fixed{"123456789012"};            // checked by the compiler
    auto parsed = mturk::crowd::account_id::parse(env_value);  // result<account_id>
    @endcode

    Specification: the crowd REST API reference (mturk-crowd-beta-client-python docs/REST.md), "AWS account number".
*/
class account_id {
public:
    static constexpr std::size_t size = 12;

    /// From a string literal, checked at compile time.
    template <std::size_t N>
    consteval account_id(char const (&literal)[N]) : digits_(checked(literal))  // NOLINT: implicit on purpose
    {
    }

    /// Refuses run-time strings with a message that names the way that works.
    template <class String>
        requires(std::convertible_to<String const&, std::string_view> && !std::is_array_v<String>)
    account_id(String const&)  // NOLINT
    {
        static_assert(detail::dependent_false<String>,
                      "mturk::crowd::account_id: only a string literal is checked at compile time; "
                      "a run-time string must go through account_id::parse(text), which returns result<account_id>");
    }

    /// Checks `text` at run time. Errors: `errc::account_id_wrong_length`, `account_id_not_digit`.
    static boost::system::result<account_id> parse(std::string_view text) noexcept
    {
        if (int problem = detail::account_id_problem(text))
            return make_error_code(static_cast<errc>(problem));
        return account_id(text, trusted{});
    }

    constexpr std::string_view view() const noexcept { return digits_.view(); }

    friend constexpr bool operator==(account_id const&, account_id const&) = default;
    friend constexpr auto operator<=>(account_id const&, account_id const&) = default;

    /// Prints the text; a template so that this header needs no <ostream>.
    template <class Char, class Traits>
    friend std::basic_ostream<Char, Traits>& operator<<(std::basic_ostream<Char, Traits>& out, account_id const& id)
    {
        return out << id.view();
    }

private:
    struct trusted {};
    constexpr account_id(std::string_view text, trusted) noexcept : digits_(text) {}

    template <std::size_t N>
    static consteval detail::bounded_chars<size> checked(char const (&literal)[N])
    {
        std::string_view const text(literal, N - 1);
        switch (static_cast<errc>(detail::account_id_problem(text))) {
        case errc::account_id_wrong_length: detail::account_id_literal_must_have_exactly_12_characters(); break;
        case errc::account_id_not_digit: detail::account_id_literal_must_have_only_digits_0_to_9(); break;
        default: break;
        }
        return detail::bounded_chars<size>(text);
    }

    detail::bounded_chars<size> digits_;
};

}  // namespace mturk::crowd

template <>
struct std::hash<mturk::crowd::account_id> {
    std::size_t operator()(mturk::crowd::account_id const& id) const noexcept
    {
        return std::hash<std::string_view>{}(id.view());
    }
};

#endif
