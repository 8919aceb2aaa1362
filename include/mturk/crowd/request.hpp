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
#include <string>
#include <string_view>
#include <type_traits>

namespace mturk::crowd {

/** The path of a task: `/<account>/functions/<function>/tasks/<task>`.

    Every part is validated before it gets here (account and task by their types, the
    function by its descriptor), and none of the allowed characters needs
    percent-encoding, so the path is also its own SigV4 canonical URI.

    Specification: the crowd REST API reference (mturk-crowd-beta-client-python docs/REST.md), "Making HTTP Requests".
*/
template <api_function F>
std::string task_path(account_id const& account, task_name const& task)
{
    constexpr std::string_view functions = "/functions/";
    constexpr std::string_view tasks = "/tasks/";
    std::string path;
    path.reserve(1 + account.view().size() + functions.size() + F::name.size() + tasks.size() + task.view().size());
    path += '/';
    path += account.view();
    path += functions;
    path += F::name;
    path += tasks;
    path += task.view();
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
