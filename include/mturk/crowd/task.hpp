// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TASK_HPP
#define MTURK_CROWD_TASK_HPP

#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/function.hpp>
#include <mturk/crowd/json_mapping.hpp>
#include <mturk/crowd/task_name.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/storage_ptr.hpp>
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
    /// The whole document as received, keys the types do not know included. A document
    /// the client or `parse_task` parsed lives in a monotonic resource of its own (one
    /// block instead of an allocation per key and string), freed with the last copy.
    boost::json::object raw;
};

namespace detail {

/** How one function's input and result are read, behind two function pointers: reading
    a task document is compiled once (`read_task_document`), and only the JSON mapping of
    the two types is compiled per type, shared by a function and its -test twin. */
struct task_part_readers {
    bool (*input)(boost::json::value const& v, void* input, json_failure& failure);
    bool (*result)(boost::json::value const& v, void* optional_result, json_failure& failure);
};

template <class T>
bool read_json_into(boost::json::value const& v, void* out, json_failure& failure)
{
    return read_json(v, *static_cast<T*>(out), failure);
}

template <class Input, class Result>
inline constexpr task_part_readers task_part_readers_of{&read_json_into<Input>, &read_json_into<std::optional<Result>>};

/// Where a parsed document lives: a monotonic resource of its own, shared by the
/// document and the `raw` of the task read from it.
MTURK_CROWD_DECL boost::json::storage_ptr document_storage();

/// A task document's parts that do not depend on the function.
struct task_common_parts {
    std::optional<task_name> name;
    task_state state = task_state::processing;
    std::optional<problem_details> problem;
    std::optional<boost::json::object> raw;  // moved from the document, keeping its storage
};

/** Reads a task document: its name, state and problem into `common`, its input and
    result through `read` into `input` (an `Input*`) and `result` (an
    `std::optional<Result>*`); `common.raw` takes the document. The errors of
    `task_from_json`. */
MTURK_CROWD_DECL result<void> read_task_document(boost::json::value document, task_common_parts& common, void* input,
                                                 void* result, task_part_readers const& read);

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
    using input_type = typename F::input_type;
    using result_type = typename F::result_type;
    detail::task_common_parts common;
    input_type input{};
    std::optional<result_type> result;
    if (auto read = detail::read_task_document(std::move(document), common, &input, &result,
                                               detail::task_part_readers_of<input_type, result_type>);
        !read)
        return read.error();
    return task<F>{std::move(*common.name), std::move(input), common.state, std::move(common.problem),
                   std::move(result), std::move(*common.raw)};
}

/// Parses `json_text` and reads it as a task document; text that is not JSON gives
/// `errc::invalid_json` with Boost.JSON's description of the problem.
template <api_function F>
result<task<F>> parse_task(std::string_view json_text)
{
    boost::system::error_code ec;
    boost::json::value document = boost::json::parse(json_text, ec, detail::document_storage());
    if (ec)
        return error(errc::invalid_json, ec.message());
    return task_from_json<F>(std::move(document));
}

}  // namespace mturk::crowd

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/impl/task.ipp>
#endif

#endif
