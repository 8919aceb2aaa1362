// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TESTING_FAKE_TRANSPORT_HPP
#define MTURK_CROWD_TESTING_FAKE_TRANSPORT_HPP

#include <mturk/crowd/error.hpp>
#include <mturk/crowd/http_message.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mturk::crowd::testing {

/** A transport for tests: answers with scripted responses (or errors) in order, then with
    a handler if one is set, and records every request it was given. Copies share the
    script and the record, so a test keeps a copy and inspects what the client sent.

    @code
    testing::fake_transport fake;
    fake.respond(429).respond(201, R"({"taskName":"t", ...})");
    auto client = crowd::basic_client<testing::fake_transport, testing::manual_clock>::make(config, fake).value();
    @endcode
*/
class fake_transport {
public:
    using handler = std::function<result<http_response>(http_request const&)>;

    /// Queues a response.
    fake_transport& respond(unsigned status, std::string body = {}, http_fields fields = {})
    {
        state_->script.push_back(http_response{status, std::move(fields), std::move(body)});
        return *this;
    }

    /// Queues a failure of the transport itself (a reset connection, a timeout), saying how
    /// far the request got; `unknown` is what a transport that does not say gives.
    fake_transport& fail(boost::system::error_code code, request_progress progress = request_progress::unknown)
    {
        state_->script.push_back(error(code, "fake_transport: scripted failure").set_progress(progress));
        return *this;
    }

    /// Queues a response that the transport got by sending the request twice: the first
    /// copy may have been acted on (`http_response::resent`).
    fake_transport& respond_after_resend(unsigned status, std::string body = {}, http_fields fields = {})
    {
        http_response r{status, std::move(fields), std::move(body)};
        r.resent = true;
        state_->script.push_back(std::move(r));
        return *this;
    }

    /// Answers requests once the script is used up.
    fake_transport& otherwise(handler h)
    {
        state_->fallback = std::move(h);
        return *this;
    }

    result<http_response> send(http_request const& request)
    {
        state_->requests.push_back(request);
        if (!state_->script.empty()) {
            auto next = std::move(state_->script.front());
            state_->script.pop_front();
            return next;
        }
        if (state_->fallback)
            return state_->fallback(request);
        return error(errc::invalid_request, "fake_transport: no response scripted for request " +
                                                std::to_string(state_->requests.size()));
    }

    /// Every request sent so far, as sent (signed).
    std::vector<http_request> const& requests() const noexcept { return state_->requests; }
    /// Scripted answers not used yet.
    std::size_t unused() const noexcept { return state_->script.size(); }

private:
    struct state {
        std::deque<result<http_response>> script;
        handler fallback;
        std::vector<http_request> requests;
    };
    std::shared_ptr<state> state_ = std::make_shared<state>();
};

}  // namespace mturk::crowd::testing

#endif
