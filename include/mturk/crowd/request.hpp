// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_REQUEST_HPP
#define MTURK_CROWD_REQUEST_HPP

#include <mturk/crowd/account_id.hpp>
#include <mturk/crowd/detail/type_traits.hpp>
#include <mturk/crowd/function.hpp>
#include <mturk/crowd/json_mapping.hpp>
#include <mturk/crowd/task_name.hpp>

#include <boost/json/serialize.hpp>

#include <concepts>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace mturk::crowd {

/// The parts of a task's path, as `parse_task_path` finds them (not yet validated).
struct task_path_parts {
    std::string_view account;
    std::string_view function;
    std::string_view name;
};

/** Appends `/<account>/functions/<function>/tasks/<name>` to `out`: the one place the
    path is written, for the client (after its endpoint's base path) and the emulator's
    tests alike. The parts are the caller's to validate. */
inline void append_task_path(std::string& out, std::string_view account, std::string_view function,
                             std::string_view name)
{
    constexpr std::string_view functions = "/functions/";
    constexpr std::string_view tasks = "/tasks/";
    out.reserve(out.size() + 1 + account.size() + functions.size() + function.size() + tasks.size() + name.size());
    out += '/';
    out += account;
    out += functions;
    out += function;
    out += tasks;
    out += name;
}

/** Reads a path of `append_task_path`'s shape: exactly five segments, the second
    `functions` and the fourth `tasks`. The parts are not validated (an empty one is
    returned empty: the caller says what is wrong with it). The one place the path is read
    (the emulator routes with it). */
constexpr std::optional<task_path_parts> parse_task_path(std::string_view path) noexcept
{
    std::string_view segments[5];
    std::size_t count = 0;
    while (!path.empty()) {
        if (path.front() != '/' || count == 5)
            return std::nullopt;
        path.remove_prefix(1);
        auto const slash = path.find('/');
        segments[count++] = path.substr(0, slash);
        path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
    }
    if (count != 5 || segments[1] != "functions" || segments[3] != "tasks")
        return std::nullopt;
    return task_path_parts{segments[0], segments[2], segments[4]};
}

/** The path of a task: `/<account>/functions/<function>/tasks/<task>`.

    Every part is validated before it gets here (account and task by their types, the
    function by its descriptor), and none of the allowed characters needs
    percent-encoding, so the path is also its own SigV4 canonical URI.

    Specification: the crowd REST API reference (mturk-crowd-beta-client-python docs/REST.md), "Making HTTP Requests".
*/
template <api_function F>
std::string task_path(account_id const& account, task_name const& task)
{
    std::string path;
    append_task_path(path, account.view(), F::name, task.view());
    return path;
}

namespace detail {

/// `{"input": input}` as text.
inline std::string put_body_of(boost::json::value input)
{
    boost::json::object body;
    body.emplace("input", std::move(input));
    return boost::json::serialize(body);
}

}  // namespace detail

/** The body of the PUT that creates a task of function `F`: `{"input": ...}`.

    Only `F::input_type` is accepted: the input of another function does not compile.

    Specification: the crowd REST API reference (mturk-crowd-beta-client-python docs/REST.md), "Create Task (PUT)", "Request body".
*/
template <api_function F>
std::string put_body(typename F::input_type const& input)
{
    return detail::put_body_of(to_json(input));
}

/// Rejects an input of another type with a message that says so.
template <api_function F, class Input>
    requires(!std::same_as<std::remove_cvref_t<Input>, typename F::input_type>)
std::string put_body(Input const&)
{
    static_assert(detail::dependent_false<Input>,
                  "mturk::crowd: this input is not the input_type of the function the task is created for; "
                  "each function takes only its own F::input_type");
    return {};
}

}  // namespace mturk::crowd

#endif
