// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#include <mturk/crowd/error.hpp>

#include <catch.hpp>

#include <boost/system/errc.hpp>

#include <set>
#include <string>

namespace crowd = mturk::crowd;
using crowd::condition;
using crowd::errc;

namespace {
constexpr errc all_codes[] = {
    errc::task_name_empty,    errc::task_name_too_long,  errc::task_name_invalid_character,
    errc::account_id_wrong_length, errc::account_id_not_digit, errc::function_name_invalid,
    errc::invalid_input,      errc::invalid_json,        errc::missing_field,
    errc::wrong_type,         errc::invalid_value,       errc::unknown_task_state,
    errc::inconsistent_task,  errc::bad_request,         errc::task_conflict,
    errc::unknown_function,   errc::task_not_found,      errc::task_still_processing,
    errc::throttled,          errc::access_denied,       errc::service_unavailable,
    errc::unexpected_status,  errc::invalid_request,  errc::invalid_credentials,
    errc::credentials_not_found, errc::profile_file_invalid, errc::credential_process_failed,
    errc::signing_failed,     errc::invalid_configuration, errc::wait_timed_out,
    errc::certificate_rejected, errc::task_name_dot_segment, errc::credentials_refused,
    errc::credentials_answer_invalid, errc::credentials_service_failed, errc::proxy_refused,
};
}  // namespace

TEST_CASE("every errc has its own message in the mturk.crowd category", "[error]")
{
    std::set<std::string> messages;
    for (errc e : all_codes) {
        boost::system::error_code const ec = e;
        CHECK(ec.category().name() == std::string("mturk.crowd"));
        CHECK(ec.message().find("unknown") != 0);
        CHECK(ec.failed());
        messages.insert(ec.message());
    }
    CHECK(messages.size() == std::size(all_codes));
    CHECK(boost::system::error_code(999, crowd::error_category()).message() == "unknown mturk.crowd value 999");
}

TEST_CASE("the categories have fixed ids, so copies in other libraries compare equal", "[error]")
{
    // A second instance stands for the copy another shared library carries.
    crowd::detail::errc_category const other_copy;
    CHECK(other_copy == crowd::error_category());
    CHECK(boost::system::error_code(static_cast<int>(errc::throttled), other_copy) == errc::throttled);
    crowd::detail::condition_category_impl const other_conditions;
    CHECK(other_conditions == crowd::condition_category());
}

TEST_CASE("conditions group the codes a caller decides on", "[error]")
{
    for (errc e : all_codes) {
        boost::system::error_code const ec = e;
        int const groups = (ec == condition::invalid_argument) + (ec == condition::malformed_document) +
                           (ec == condition::service_error) + (ec == condition::credentials_error) +
                           (ec == condition::internal_error) + (ec == condition::timed_out) +
                           (ec == condition::connection_error);
        INFO(ec.message());
        CHECK(groups == 1);  // every code is in exactly one group
    }
    CHECK(boost::system::error_code(errc::throttled) == condition::retryable);
    CHECK(boost::system::error_code(errc::service_unavailable) == condition::retryable);
    CHECK(boost::system::error_code(errc::task_not_found) != condition::retryable);
    CHECK(boost::system::error_code(errc::task_conflict) != condition::retryable);
    CHECK(boost::system::error_code(errc::bad_request) == condition::service_error);
    CHECK(boost::system::error_code(errc::wrong_type) == condition::malformed_document);
}

TEST_CASE("network failures of other categories are retryable", "[error]")
{
    using sys = boost::system::errc::errc_t;
    // resource_unavailable_try_again: how the Beast transport reports a temporary DNS failure.
    for (sys e : {sys::connection_reset, sys::connection_aborted, sys::timed_out, sys::broken_pipe,
                  sys::resource_unavailable_try_again}) {
        auto const ec = boost::system::errc::make_error_code(e);
        INFO(ec.message());
        CHECK(ec == condition::retryable);
        CHECK(ec != condition::service_error);
    }
    CHECK(boost::system::errc::make_error_code(sys::permission_denied) != condition::retryable);
}

TEST_CASE("crowd::error keeps the service's status, message and request id", "[error]")
{
    crowd::error const e(errc::task_conflict, 400, "Input differs from the existing task", "req-123");
    CHECK(e == errc::task_conflict);
    CHECK(e == condition::service_error);
    CHECK(e.http_status() == 400);
    CHECK(e.detail() == "Input differs from the existing task");
    CHECK(e.request_id() == "req-123");
    CHECK(e.what() ==
          "task name is already in use with a different input (HTTP 400): Input differs from the existing task "
          "[request id req-123]");

    crowd::error const local(errc::missing_field, "input.text: missing");
    CHECK(local.http_status() == 0);
    CHECK(local.request_id().empty());
    CHECK(local.what() == "document lacks a required field: input.text: missing");

    crowd::error const none;
    CHECK(!none.code().failed());
}

TEST_CASE("crowd::error says how far the request got", "[error]")
{
    // An answer is an answer, whatever a transport set.
    crowd::error answered(errc::service_unavailable, 504, "Gateway Timeout", "");
    answered.set_progress(crowd::request_progress::not_sent);
    CHECK(answered.progress() == crowd::request_progress::answered);
    // A transport's failure says what the transport said, and unknown when it said nothing.
    auto const reset = boost::system::errc::make_error_code(boost::system::errc::connection_reset);
    CHECK(crowd::error(reset).progress() == crowd::request_progress::unknown);
    CHECK(crowd::error(reset, "x").set_progress(crowd::request_progress::sent_no_answer).progress() ==
          crowd::request_progress::sent_no_answer);
}

TEST_CASE("result<T>::value() throws crowd::exception with the whole error", "[error]")
{
    crowd::result<int> const failed = crowd::error(errc::throttled, 429, "Rate exceeded", "abc");
    REQUIRE(failed.has_error());
    try {
        (void)failed.value();
        FAIL("value() did not throw");
    } catch (crowd::exception const& e) {
        CHECK(e.code() == errc::throttled);
        CHECK(e.error().request_id() == "abc");
        CHECK(std::string(e.what()).find("Rate exceeded") != std::string::npos);
    }
    crowd::result<int> const from_code = errc::task_not_found;
    CHECK(from_code.error() == errc::task_not_found);
    crowd::result<int> const ok = 7;
    CHECK(ok.value() == 7);
}
