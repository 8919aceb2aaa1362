// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// Fuzz targets for what arrives as text: task documents, names, credential_process
// output and crowd batch's input lines.
#include "fuzz_target.hpp"

#include "../../tools/crowd/batch_files.hpp"

#include <mturk/crowd/account_id.hpp>
#include <mturk/crowd/client_types.hpp>
#include <mturk/crowd/credentials/process_provider.hpp>
#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/task.hpp>
#include <mturk/crowd/task_name.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace crowd = mturk::crowd;

namespace {

/// What must hold for any task read: the state says which of result and problem is set,
/// and the name is one the library would accept.
template <class F>
void check_task(crowd::task<F> const& t)
{
    FUZZ_CHECK(t.result.has_value() == (t.state == crowd::task_state::completed));
    FUZZ_CHECK(t.problem.has_value() == (t.state == crowd::task_state::failed));
    FUZZ_CHECK(crowd::task_name::parse(t.name.view()).has_value());
}

template <class F>
void read_document(std::string_view text)
{
    auto const first = crowd::parse_task<F>(text);
    if (first) {
        check_task(*first);
        // What was read is read again the same from the document the task keeps.
        auto const again = crowd::parse_task<F>(boost::json::serialize(first->raw));
        FUZZ_CHECK(again.has_value());
        FUZZ_CHECK(again->state == first->state);
        FUZZ_CHECK(again->name == first->name);
        FUZZ_CHECK(again->problem == first->problem);
    } else {
        FUZZ_CHECK(!first.error().detail().empty() || first.error() == crowd::errc::invalid_json);
    }
}

template <class... F>
void read_document_of(std::size_t which, std::string_view text, crowd::functions::function_list<F...>)
{
    std::size_t i = 0;
    bool const typed = ((which == i++ ? (read_document<F>(text), true) : false) || ...);
    if (!typed)
        read_document<crowd::untyped_function>(text);
}

/// The first byte picks one of the 13 functions or the untyped path; the rest is the document.
void task_document(std::string_view input)
{
    if (input.empty())
        return;
    auto const which = static_cast<unsigned char>(input[0]) % 14u;
    read_document_of(which, input.substr(1), crowd::functions::all_functions{});
}

void names(std::string_view input)
{
    if (auto const name = crowd::task_name::parse(input)) {
        FUZZ_CHECK(name->view() == input);
    }
    if (auto const account = crowd::account_id::parse(input)) {
        FUZZ_CHECK(account->view() == input);
        FUZZ_CHECK(input.size() == 12);
    }
}

void process_output(std::string_view input)
{
    (void)crowd::detail::parse_process_output(input);
    // The output holds secrets: an error never quotes them. The secret key and the token
    // are replaced with markers that cannot be a piece of an error's own words, and the
    // output read again.
    boost::system::error_code ec;
    auto doc = boost::json::parse(input, ec);
    auto* object = ec ? nullptr : doc.if_object();
    if (!object)
        return;
    constexpr std::string_view secret = "fuzz-secret-7f3a9c1e5b";
    constexpr std::string_view token = "fuzz-token-2d8e6b4a0c";
    if (object->contains("SecretAccessKey"))
        (*object)["SecretAccessKey"] = secret;
    if (object->contains("SessionToken"))
        (*object)["SessionToken"] = token;
    auto const read = crowd::detail::parse_process_output(boost::json::serialize(doc));
    if (!read) {
        FUZZ_CHECK(read.error().detail().find(secret) == std::string_view::npos);
        FUZZ_CHECK(read.error().detail().find(token) == std::string_view::npos);
        FUZZ_CHECK(std::string_view(read.error().what()).find(secret) == std::string_view::npos);
    }
}

/// Fields: the line, the default function, "test" or not.
void batch_line(std::string_view input)
{
    auto const parts = fuzz::fields(input);
    auto const task = crowd_cli::parse_task_line(fuzz::field(parts, 0), std::string(fuzz::field(parts, 1)),
                                                 fuzz::field(parts, 2) == "test");
    if (task) {
        FUZZ_CHECK(!task->function.empty());
        FUZZ_CHECK(crowd::task_name::parse(task->name.view()).has_value());
    } else {
        FUZZ_CHECK(!task.error().empty());
    }
}

fuzz::target const targets[] = {
    {"task_document", &task_document},
    {"names", &names},
    {"process_output", &process_output},
    {"batch_line", &batch_line},
};

}  // namespace

std::span<fuzz::target const> fuzz::document_targets()
{
    return targets;
}
