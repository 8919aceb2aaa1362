// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_IMPL_TASK_IPP
#define MTURK_CROWD_IMPL_TASK_IPP

#include <mturk/crowd/task.hpp>

#include <boost/json/memory_resource.hpp>
#include <boost/json/monotonic_resource.hpp>

#include <cstddef>
#include <memory>

namespace mturk::crowd::detail {

// A monotonic resource whose first block is in the same allocation: a task document of
// a few hundred bytes (its keys, strings and tables) costs one allocation in all.
class document_arena final : public boost::json::memory_resource {
private:
    void* do_allocate(std::size_t n, std::size_t align) override
    {
        // From the first block while it lasts (a bump of a pointer), then from blocks of
        // the monotonic resource's.
        void* at = first_block_ + used_;
        std::size_t room = sizeof first_block_ - used_;
        if (std::align(align, n, at, room)) {
            used_ = sizeof first_block_ - room + n;
            return at;
        }
        return overflow_.allocate(n, align);
    }
    void do_deallocate(void*, std::size_t, std::size_t) override {}  // freed with the arena
    bool do_is_equal(memory_resource const& other) const noexcept override { return this == &other; }

    alignas(std::max_align_t) unsigned char first_block_[768];
    std::size_t used_ = 0;
    boost::json::monotonic_resource overflow_;
};

}  // namespace mturk::crowd::detail

// Values in the arena skip their destructors' walk, as in a monotonic_resource.
template <>
struct boost::json::is_deallocate_trivial<mturk::crowd::detail::document_arena> : std::true_type {};

namespace mturk::crowd::detail {

MTURK_CROWD_DECL bool task_field_failure(json_failure& failure, std::string_view key)
{
    failure.prefix_key(key);
    return false;
}

MTURK_CROWD_DECL boost::json::value const* task_member(boost::json::object const& doc, std::string_view key)
{
    auto const* v = doc.if_contains(key);
    return v && !v->is_null() ? v : nullptr;
}

MTURK_CROWD_DECL bool read_task_state(boost::json::object const& doc, task_state& state, json_failure& failure)
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

MTURK_CROWD_DECL bool read_problem_details(boost::json::value const& v, problem_details& out, json_failure& failure)
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

MTURK_CROWD_DECL bool inconsistent(json_failure& failure, std::string_view key, std::string problem)
{
    failure.code = errc::inconsistent_task;
    failure.problem = std::move(problem);
    return task_field_failure(failure, key);
}

MTURK_CROWD_DECL bool read_task_body(boost::json::object const& doc, task_common_parts& common, void* input, void* result,
                                    task_part_readers const& read, json_failure& failure)
{
    auto const* input_value = doc.if_contains("input");
    if (!input_value) {
        failure.code = errc::missing_field;
        failure.problem = "missing";
        return task_field_failure(failure, "input");
    }
    if (!read.input(*input_value, input, failure))
        return task_field_failure(failure, "input");
    auto& state = common.state;
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
        if (!read_problem_details(*problem_value, common.problem.emplace(), failure))
            return task_field_failure(failure, "problemDetails");
    } else if (problem_value) {
        return inconsistent(failure, "problemDetails", "state is " + state_text + " but problemDetails is set");
    }
    if (state == task_state::completed) {
        if (!result_value)
            return inconsistent(failure, "result", "state is completed but result is null or missing");
        if (!read.result(*result_value, result, failure))
            return task_field_failure(failure, "result");
    } else if (result_value) {
        return inconsistent(failure, "result", "state is " + state_text + " but result is set");
    }
    return true;
}

MTURK_CROWD_DECL boost::json::storage_ptr document_storage()
{
    return boost::json::make_shared_resource<document_arena>();
}

MTURK_CROWD_DECL result<void> read_task_document(boost::json::value document, task_common_parts& common, void* input,
                                                 void* result, task_part_readers const& read)
{
    auto* doc = document.if_object();
    if (!doc) {
        json_failure failure;
        wrong_type(document, "an object", failure);
        return failure.to_error("task document");
    }
    auto const* name_value = doc->if_contains("taskName");
    if (!name_value)
        return error(errc::missing_field, "taskName: missing");
    if (!name_value->is_string())
        return error(errc::wrong_type, std::string("taskName: expected a string, got ") + json_kind_name(name_value->kind()));
    auto name = task_name::parse(name_value->get_string());
    if (!name)
        return error(name.error(), "taskName: \"" + std::string(name_value->get_string()) + "\"");
    common.name = *name;

    json_failure failure;
    if (!read_task_body(*doc, common, input, result, read, failure))
        return failure.to_error({});
    common.raw.emplace(std::move(*doc));  // move-constructed: keeps the document's storage
    return {};
}

}  // namespace mturk::crowd::detail

#endif
