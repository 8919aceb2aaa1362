// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TASK_HPP
#define MTURK_CROWD_TASK_HPP

#include <mturk/crowd/error.hpp>
#include <mturk/crowd/function.hpp>
#include <mturk/crowd/json_mapping.hpp>
#include <mturk/crowd/task_name.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace mturk::crowd {

/// Where a task is in its life. Specification: the crowd REST API reference (mturk-crowd-beta-client-python docs/REST.md), `"state"`.
enum class task_state {
    processing,  ///< waiting for Workers
    completed,   ///< `result` is set
    failed,      ///< `problem` is set
};

/// The service's spelling of `state`.
constexpr std::string_view to_string(task_state state) noexcept
{
    switch (state) {
    case task_state::processing: return "processing";
    case task_state::completed: return "completed";
    case task_state::failed: return "failed";
    }
    return "unknown";
}

/// Why a task failed. `code` is an open set: documented are "Expired" and
/// "BadInputContent"; compare it as a string and expect others.
struct problem_details {
    std::string code;
    std::string message;

    friend bool operator==(problem_details const&, problem_details const&) = default;
};

/** A task as the service reports it, with its input and result typed by `F`.

    Specification: the crowd REST API reference (mturk-crowd-beta-client-python docs/REST.md), "Response structure".
*/
template <api_function F>
struct task {
    using function_type = F;

    task_name name;
    typename F::input_type input;
    task_state state;
    std::optional<problem_details> problem;         ///< set exactly when `state` is failed
    std::optional<typename F::result_type> result;  ///< set exactly when `state` is completed
    boost::json::object raw;                        ///< the whole document as received, keys the types do not know included
};

namespace detail {

inline bool task_field_failure(json_failure& failure, std::string_view key)
{
    failure.prefix_key(key);
    return false;
}

inline boost::json::value const* task_member(boost::json::object const& doc, std::string_view key)
{
    auto const* v = doc.if_contains(key);
    return v && !v->is_null() ? v : nullptr;
}

inline bool read_task_state(boost::json::object const& doc, task_state& state, json_failure& failure)
{
    std::string text;
    auto const* v = doc.if_contains("state");
    if (!v) {
        failure.code = errc::missing_field;
        failure.problem = "missing";
        return task_field_failure(failure, "state");
    }
    if (!read_json(*v, text, failure))
        return task_field_failure(failure, "state");
    for (auto s : {task_state::processing, task_state::completed, task_state::failed}) {
        if (text == to_string(s)) {
            state = s;
            return true;
        }
    }
    failure.code = errc::unknown_task_state;
    failure.problem = "\"" + text + "\" is not processing, completed or failed";
    return task_field_failure(failure, "state");
}

inline bool read_problem_details(boost::json::value const& v, problem_details& out, json_failure& failure)
{
    auto const* object = v.if_object();
    if (!object)
        return wrong_type(v, "an object", failure);
    auto const* code = object->if_contains("code");
    if (!code) {
        failure.code = errc::missing_field;
        failure.problem = "missing";
        return task_field_failure(failure, "code");
    }
    if (!read_json(*code, out.code, failure))
        return task_field_failure(failure, "code");
    // A failed task without a message still failed; losing the whole document over a
    // missing explanation would hide the code, which is what callers act on.
    if (auto const* message = task_member(*object, "message"); message && !read_json(*message, out.message, failure))
        return task_field_failure(failure, "message");
    return true;
}

inline bool inconsistent(json_failure& failure, std::string_view key, std::string problem)
{
    failure.code = errc::inconsistent_task;
    failure.problem = std::move(problem);
    return task_field_failure(failure, key);
}

template <api_function F>
bool read_task_body(boost::json::object const& doc, task_state& state, typename F::input_type& input,
                    std::optional<problem_details>& problem, std::optional<typename F::result_type>& result,
                    json_failure& failure)
{
    auto const* input_value = doc.if_contains("input");
    if (!input_value) {
        failure.code = errc::missing_field;
        failure.problem = "missing";
        return task_field_failure(failure, "input");
    }
    if (!read_json(*input_value, input, failure))
        return task_field_failure(failure, "input");
    if (!read_task_state(doc, state, failure))
        return false;

    // The reference allows null for both; an absent key is read as null, since nothing
    // is lost by that and services drop null members.
    auto const* problem_value = task_member(doc, "problemDetails");
    auto const* result_value = task_member(doc, "result");
    std::string const state_text(to_string(state));
    if (state == task_state::failed) {
        if (!problem_value)
            return inconsistent(failure, "problemDetails", "state is failed but problemDetails is null or missing");
        if (!read_problem_details(*problem_value, problem.emplace(), failure))
            return task_field_failure(failure, "problemDetails");
    } else if (problem_value) {
        return inconsistent(failure, "problemDetails", "state is " + state_text + " but problemDetails is set");
    }
    if (state == task_state::completed) {
        if (!result_value)
            return inconsistent(failure, "result", "state is completed but result is null or missing");
        if (!read_json(*result_value, result.emplace(), failure))
            return task_field_failure(failure, "result");
    } else if (result_value) {
        return inconsistent(failure, "result", "state is " + state_text + " but result is set");
    }
    return true;
}

}  // namespace detail

/** Reads a task document of function `F` from parsed JSON; `raw` keeps `document`.

    Errors, each with the path of the offending member in the detail:
    `errc::wrong_type` (not an object, a member of another type), `missing_field`,
    `invalid_value`, `unknown_task_state`, `inconsistent_task` (a result while
    processing, no problemDetails while failed, ...), and the task-name codes for a
    `taskName` the service should never have sent.
*/
template <api_function F>
result<task<F>> task_from_json(boost::json::value document)
{
    auto* doc = document.if_object();
    if (!doc) {
        detail::json_failure failure;
        detail::wrong_type(document, "an object", failure);
        return failure.to_error("task document");
    }
    auto const* name_value = doc->if_contains("taskName");
    if (!name_value)
        return error(errc::missing_field, "taskName: missing");
    if (!name_value->is_string())
        return error(errc::wrong_type, std::string("taskName: expected a string, got ") +
                                           detail::json_kind_name(name_value->kind()));
    auto name = task_name::parse(name_value->get_string());
    if (!name)
        return error(name.error(), "taskName: \"" + std::string(name_value->get_string()) + "\"");

    task_state state{};
    typename F::input_type input{};
    std::optional<problem_details> problem;
    std::optional<typename F::result_type> result;
    detail::json_failure failure;
    if (!detail::read_task_body<F>(*doc, state, input, problem, result, failure))
        return failure.to_error({});
    return task<F>{*name, std::move(input), state, std::move(problem), std::move(result), std::move(*doc)};
}

/// Parses `json_text` and reads it as a task document; text that is not JSON gives
/// `errc::invalid_json` with Boost.JSON's description of the problem.
template <api_function F>
result<task<F>> parse_task(std::string_view json_text)
{
    boost::system::error_code ec;
    boost::json::value document = boost::json::parse(json_text, ec);
    if (ec)
        return error(errc::invalid_json, ec.message());
    return task_from_json<F>(std::move(document));
}

}  // namespace mturk::crowd

#endif
