// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_ENGINE_IMPL_CLIENT_ENGINE_IPP
#define MTURK_CROWD_ENGINE_IMPL_CLIENT_ENGINE_IPP

#include <mturk/crowd/credentials/default_chain.hpp>
#include <mturk/crowd/engine/client_engine.hpp>
#include <mturk/crowd/request.hpp>

#include <system_error>
#include <thread>

namespace mturk::crowd::detail {

/// The thread that fetches credentials beside an executor, and who waits for it.
struct engine_core::credentials_fetcher {
    std::mutex mutex;
    std::vector<std::function<void(result<sigv4::credentials>)>> waiting;
    bool fetching = false;
    std::thread thread;
};

MTURK_CROWD_DECL engine_core::engine_core(client_config config, endpoint where)
    : config_(std::move(config)), endpoint_(std::move(where)), fetcher_(std::make_unique<credentials_fetcher>()),
      ids_(std::random_device{}())
{
    if (!config_.credentials) {
        auto chain = std::make_shared<default_credentials_chain>(
            credentials_chain_options{.env = config_.env, .fetch = config_.credentials_fetch});
        config_.credentials = [chain] { return chain->get(); };
        chain_has_valid_credentials_ = [chain] { return chain->has_valid_credentials(); };
    }
    if (!config_.random) {
        // Called from every thread that uses the client: one generator, locked.
        struct locked_generator {
            std::mutex mutex;
            std::mt19937_64 engine{std::random_device{}()};
        };
        auto generator = std::make_shared<locked_generator>();
        config_.random = [generator] {
            std::lock_guard<std::mutex> lock(generator->mutex);
            return std::uniform_real_distribution<double>(0.0, 1.0)(generator->engine);
        };
    }
    // On Lambda, the trace of the invocation; passed on (unsigned: proxies may rewrite it).
    if (auto trace = config_.env("_X_AMZN_TRACE_ID"); trace && !trace->empty() &&
                                                      trace->find_first_of("\r\n") == std::string::npos)
        trace_id_ = std::move(*trace);
    host_header_ = endpoint_.host_header();
    user_agent_ = "mturk-crowd-cpp/" + std::to_string(MTURK_CROWD_VERSION_MAJOR) + "." +
                  std::to_string(MTURK_CROWD_VERSION_MINOR) + "." + std::to_string(MTURK_CROWD_VERSION_PATCH);
    if (!config_.app_id.empty())
        user_agent_ += " app/" + config_.app_id;
}

MTURK_CROWD_DECL engine_core::~engine_core()
{
    auto& thread = fetcher_->thread;
    if (!thread.joinable())
        return;
    // The last operation may let go of the engine on the fetcher's own thread.
    if (thread.get_id() == std::this_thread::get_id())
        thread.detach();
    else
        thread.join();
}

MTURK_CROWD_DECL result<void> engine_core::learn_account()
{
    if (account_known())
        return {};
    auto creds = config_.credentials();
    std::lock_guard<std::mutex> lock(mutex_);
    return learn_account_locked(creds);
}

MTURK_CROWD_DECL bool engine_core::account_known() const
{
    std::lock_guard<std::mutex> lock(mutex_);
    return config_.account.has_value();
}

MTURK_CROWD_DECL bool engine_core::credentials_at_hand() const
{
    return !chain_has_valid_credentials_ || chain_has_valid_credentials_();
}

MTURK_CROWD_DECL result<sigv4::credentials> engine_core::credentials_now()
{
    return config_.credentials();
}

MTURK_CROWD_DECL void engine_core::fetch_credentials_beside(std::function<void(result<sigv4::credentials>)> done)
{
    auto& f = *fetcher_;
    std::lock_guard<std::mutex> lock(f.mutex);
    f.waiting.push_back(std::move(done));
    if (f.fetching)
        return;  // the fetch under way answers this one too
    f.fetching = true;
    if (f.thread.joinable())
        f.thread.join();  // the last fetch has ended: it cleared `fetching` before its callbacks
#if MTURK_CROWD_HAS_EXCEPTIONS
    try {
#endif
        f.thread = std::thread([this] {
            auto creds = config_.credentials();
            std::vector<std::function<void(result<sigv4::credentials>)>> ready;
            {
                std::lock_guard<std::mutex> fetched(fetcher_->mutex);
                fetcher_->fetching = false;
                ready.swap(fetcher_->waiting);
            }
            for (auto& waiter : ready)
                waiter(creds);
        });
#if MTURK_CROWD_HAS_EXCEPTIONS
    } catch (std::system_error const& e) {  // no thread to be had
        f.fetching = false;
        std::vector<std::function<void(result<sigv4::credentials>)>> ready;
        ready.swap(f.waiting);
        for (auto& waiter : ready)
            waiter(error(e.code(), "a thread to fetch credentials cannot be started"));
    }
#endif  // without exceptions, a thread that cannot be started ends the program (std::thread's rule)
}

MTURK_CROWD_DECL result<void> engine_core::complete_request(pending_request& p, sigv4::credentials const& creds)
{
    std::lock_guard<std::mutex> lock(mutex_);
    if (!config_.account) {
        if (auto learnt = learn_account_locked(creds); !learnt)
            return learnt;
    }
    p.message.target = path_of(p.function, *p.name);
    p.awaiting_account = false;
    return {};
}

MTURK_CROWD_DECL result<void> engine_core::learn_account_locked(result<sigv4::credentials> const& creds)
{
    if (config_.account)
        return {};
    if (!creds)
        return error(creds.error().code(), "no account id is set (client_config::account, AWS_ACCOUNT_ID or the "
                                           "profile's aws_account_id), and the credentials could not be asked "
                                           "for theirs: " + std::string(creds.error().detail()));
    if (!creds->account_id())
        return error(errc::invalid_configuration,
                     "the account id is not set (client_config::account, AWS_ACCOUNT_ID or the profile's "
                     "aws_account_id), and the credentials do not say theirs");
    auto parsed = account_id::parse(*creds->account_id());
    if (!parsed)
        return error(errc::invalid_configuration,
                     "the credentials' account id \"" + *creds->account_id() + "\": " + parsed.error().message());
    config_.account = *parsed;
    return {};
}

MTURK_CROWD_DECL pending_request engine_core::start_request(http_method method, std::string_view function,
                                                            task_name const& name, std::string body)
{
    pending_request p;
    p.method = method;
    p.message.method = method;
    std::lock_guard<std::mutex> lock(mutex_);
    if (config_.account) {
        p.message.target = path_of(function, name);
    } else {  // learnt from the credentials, before the first attempt is signed
        p.awaiting_account = true;
        p.function = std::string(function);
        p.name = name;
    }
    // Room for every field the request will carry, the signature's included, so that
    // building and signing it allocate the fields' storage once.
    p.message.fields.reserve(12, 1024);
    p.message.fields.add("Host", host_header_);
    p.message.fields.add("User-Agent", user_agent_);
    p.message.fields.add("Accept", "application/json");
    invocation_id_text id;
    new_invocation_id(id);
    p.message.fields.add("amz-sdk-invocation-id", std::string_view(id.data(), id.size()));  // one per call, kept on every attempt
    if (!trace_id_.empty())
        p.message.fields.add("X-Amzn-Trace-Id", trace_id_);
    if (method == http_method::put)
        p.message.fields.add("Content-Type", "application/json");
    p.message.body = std::move(body);
    p.payload_hashed = signer_.payload_hash(p.message.body, p.payload_hash);  // else the signer hashes it each time
    return p;
}

MTURK_CROWD_DECL result<void> engine_core::sign_attempt(pending_request& p, std::chrono::system_clock::time_point now,
                                                        std::optional<unsigned> max_attempts)
{
    auto creds = config_.credentials();
    if (!creds)
        return creds.error();
    return sign_attempt(p, now, max_attempts, *creds);
}

MTURK_CROWD_DECL result<void> engine_core::sign_attempt(pending_request& p, std::chrono::system_clock::time_point now,
                                                        std::optional<unsigned> max_attempts,
                                                        sigv4::credentials const& creds)
{    // "attempt=N; max=M", written in place: set() reuses the field's storage on retries.
    char attempt_text[48] = "attempt=";
    char* end = std::to_chars(attempt_text + 8, attempt_text + 20, p.attempt).ptr;
    if (max_attempts) {
        std::memcpy(end, "; max=", 6);
        end = std::to_chars(end + 6, attempt_text + sizeof attempt_text, *max_attempts).ptr;
    }
    p.message.fields.set("amz-sdk-request", std::string_view(attempt_text, static_cast<std::size_t>(end - attempt_text)));
    result<void> signed_ok;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        signed_ok = signer_.sign(p.message, creds,
                                 {.region = config_.region,
                                  .service = "crowd",
                                  .time = std::chrono::floor<std::chrono::seconds>(now + clock_offset()),
                                  .payload_hash = p.payload_hashed ? std::string_view(p.payload_hash.data(), p.payload_hash.size())
                                                                   : std::string_view()});
    }
    if (!signed_ok)
        return signed_ok;
    p.sent_at = now;
    if (config_.hooks.before_attempt)
        config_.hooks.before_attempt({identity_of(p), p.message});
    return signed_ok;
}

MTURK_CROWD_DECL attempt_identity engine_core::identity_of(pending_request const& p) noexcept
{
    std::string_view const operation = p.method == http_method::put      ? "create"
                                       : p.method == http_method::delete_ ? "remove"
                                                                           : "get";
    // Read back from the path, after the endpoint's base path (parse_task_path, the one
    // reader of it): no copies per request for hooks that may not be there.
    std::string_view const target = p.message.target;
    std::string_view function;
    std::string_view task;
    for (auto at = target.find('/'); at != std::string_view::npos; at = target.find('/', at + 1)) {
        if (auto const parts = parse_task_path(target.substr(at))) {
            function = parts->function;
            task = parts->name;
            break;
        }
    }
    return {operation, function, task, p.message.fields.find("amz-sdk-invocation-id").value_or(""), p.attempt};
}

MTURK_CROWD_DECL attempt_assessment engine_core::assess_attempt(pending_request& p,
                                                                result<http_response> const& response,
                                                                std::chrono::system_clock::time_point now)
{
    attempt_assessment a;
    a.outcome = attempt_outcome{.attempt = p.attempt, .cost_of_this_retry = p.quota_paid, .at = now};
    attempts_.fetch_add(1, std::memory_order_relaxed);
    if (config_.hooks.after_attempt) {
        attempt_identity const id = identity_of(p);
        std::optional<error> const transport_failure = response ? std::nullopt : std::optional<error>(response.error());
        config_.hooks.after_attempt({id, std::chrono::duration_cast<std::chrono::milliseconds>(now - p.sent_at),
                                     response ? &*response : nullptr,
                                     transport_failure ? &*transport_failure : nullptr});
    }
    bool acted_on_now = false;  // this attempt may have been acted on, for the attempts after it
    if (!response) {
        a.failure = response.error();
        acted_on_now = a.failure->progress() != request_progress::not_sent;
    } else {
        if (response->resent)
            p.maybe_acted_on = true;  // the transport's first copy may have been acted on
        bool const success = response->status >= 200 && response->status <= 299;
        bool const gone_as_asked = p.method == http_method::delete_ && response->status == 404 && p.maybe_acted_on;
        if (success || gone_as_asked) {
            a.finished = true;
            return a;
        }
        a.failure = error_from_response(p.method, *response);
        a.outcome.http_status = response->status;
        a.outcome.retry_after = parse_retry_after(response->fields.find("x-amz-retry-after"),
                                                  response->fields.find("Retry-After"));
        p.retry_after = a.outcome.retry_after;
        acted_on_now = response->status >= 500;
        if (!p.skew_corrected && *a.failure == errc::access_denied && is_clock_skew(read_service_message(*response))) {
            auto const date = response->fields.find("Date");
            if (auto server_time = date ? parse_http_date(*date) : std::nullopt) {
                // Sign with the service's time from now on, and try this request again.
                clock_offset_ms_.store(
                    std::chrono::duration_cast<std::chrono::milliseconds>(*server_time - now).count(),
                    std::memory_order_relaxed);
                p.skew_corrected = true;
                a.resend_now = true;
                return a;
            }
        }
    }
    p.maybe_acted_on = p.maybe_acted_on || acted_on_now;
    a.outcome.code = a.failure->code();
    if (classify(a.outcome) == failure_kind::throttling)
        throttled_.fetch_add(1, std::memory_order_relaxed);
    return a;
}

MTURK_CROWD_DECL void engine_core::add_hint(pending_request const& p, error& failure) const
{
    auto const from = [](std::string const& origin) { return origin.empty() ? std::string() : " (" + origin + ")"; };
    auto const where = [&] { return "the endpoint " + endpoint_.url() + from(endpoint_from_); };
    if (failure.http_status() == 0) {
        // No answer: the transport may have said what it suspects (a scheme that is not
        // the server's); the endpoint and where it came from are added either way.
        std::string const said(failure.hint());
        failure.set_hint(said.empty() ? "check " + where() : said + "; " + where());
        return;
    }
    if (failure == errc::access_denied) {
        auto const said = failure.detail();
        bool const scope = contains_nocase(said, "scoped to a valid region") || contains_nocase(said, "credential should be scoped");
        bool const signature = contains_nocase(said, "signature") && !contains_nocase(said, "expired");
        if (scope || signature)
            failure.set_hint("signed for region " + config_.region + from(region_from_) + " at " + where() +
                             (scope ? ": the region must be the endpoint's (AWS_REGION, the profile's region, "
                                      "client_config::region)"
                                    : ": a region that is not the endpoint's, or a secret key that is not the key "
                                      "id's, gives this refusal"));
        return;
    }
    if (failure.http_status() == 404 && !endpoint_.base_path.empty()) {
        failure.set_hint(where() + " has the path prefix " + endpoint_.base_path +
                         ", which the service's own URLs do not: check it");
        return;
    }
    if (failure == errc::unknown_function)
        failure.set_hint("no function " + std::string(identity_of(p).function) + " at " + where() +
                         ": check the function's name and the endpoint");
}

MTURK_CROWD_DECL attempt_verdict engine_core::conclude_attempt(pending_request& p, attempt_assessment& assessed,
                                                               retry_decision const& decision)
{
    if (assessed.finished)
        return {attempt_verdict::finished};
    // Only the error the caller will see gets a hint: not every attempt a retry absorbs
    // (a throttled batch fails thousands of them).
    if (!decision.retry)
        add_hint(p, *assessed.failure);
    if (config_.hooks.on_retry_decision)
        config_.hooks.on_retry_decision(
            {identity_of(p), *assessed.failure, decision.retry, decision.delay, decision.reason});
    if (!decision.retry)
        return {attempt_verdict::failed, std::chrono::milliseconds(0), std::move(assessed.failure)};
    p.quota_paid = decision.quota_cost;
    ++p.attempt;
    retries_.fetch_add(1, std::memory_order_relaxed);
    return {attempt_verdict::retry_after_delay, decision.delay};
}

MTURK_CROWD_DECL wait_progress engine_core::begin_wait(wait_options const& options,
                                                       std::chrono::system_clock::time_point now) const
{
    return {now, now + options.timeout, std::max(options.first_delay, std::chrono::milliseconds(1)), 0};
}

MTURK_CROWD_DECL std::optional<result<void>> engine_core::judge_poll(
    wait_progress& w, task_name const& name, wait_options const& options, result<task_state> const& polled,
    std::optional<std::chrono::milliseconds> retry_after, std::chrono::milliseconds& pause,
    std::chrono::system_clock::time_point now)
{
    ++w.polls;
    auto const elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - w.started);
    if (options.on_poll) {
        poll_report report{.number = w.polls, .elapsed = elapsed};
        if (polled)
            report.state = *polled;
        else
            report.failure = polled.error();
        options.on_poll(report);
    }
    if (polled && *polled != task_state::processing)
        return result<void>{};
    if (!polled) {
        auto const& e = polled.error();
        auto const kind = classify({.code = e.code(), .http_status = e.http_status()});
        if (kind != failure_kind::throttling && kind != failure_kind::transient) {
            // Keep the code, status and request id; say where in the wait it happened.
            std::string detail = std::string(e.detail()) + (e.detail().empty() ? "" : " ") + "(poll " +
                                 std::to_string(w.polls) + ", " + seconds_text(elapsed) + " s into the wait)";
            return result<void>(error(e.code(), e.http_status(), std::move(detail), std::string(e.request_id())));
        }
    }
    if (now >= w.deadline) {
        std::string detail = "task " + std::string(name.view()) +
                             (polled ? " still processing after " : " had no final state after ") +
                             seconds_text(options.timeout) + " s";
        if (!polled)
            detail += "; the last poll failed: " + polled.error().what();
        return result<void>(error(errc::wait_timed_out, std::move(detail)));
    }
    double const r = std::clamp(config_.random(), 0.0, 1.0);
    auto const d = w.delay.count();
    pause = std::chrono::milliseconds(d / 2 + static_cast<std::int64_t>(r * static_cast<double>(d - d / 2)));
    if (!polled && retry_after)
        pause = std::max(pause, *retry_after);
    pause = std::min(pause, std::chrono::duration_cast<std::chrono::milliseconds>(w.deadline - now));
    w.delay = std::min(w.delay * 2, std::max(options.max_delay, options.first_delay));
    return std::nullopt;
}

MTURK_CROWD_DECL void engine_core::new_invocation_id(invocation_id_text& out)
{
    std::uint64_t const hi = (ids_() & ~std::uint64_t(0xF000)) | 0x4000;  // version 4
    std::uint64_t const lo = (ids_() & ~(std::uint64_t(0xC) << 60)) | (std::uint64_t(0x8) << 60);  // variant 10
    constexpr char hex[] = "0123456789abcdef";
    std::size_t at = 0;
    for (int i = 15; i >= 0; --i) {
        out[at++] = hex[(hi >> (i * 4)) & 0xF];
        if (i == 8 || i == 4)
            out[at++] = '-';
    }
    out[at++] = '-';
    for (int i = 15; i >= 0; --i) {
        out[at++] = hex[(lo >> (i * 4)) & 0xF];
        if (i == 12)
            out[at++] = '-';
    }
}

MTURK_CROWD_DECL std::string engine_core::path_of(std::string_view function, task_name const& name) const
{
    std::string path = endpoint_.base_path;
    append_task_path(path, config_.account->view(), function, name.view());
    return path;
}

MTURK_CROWD_DECL error with_response_origin(error const& e, http_response const& response)
{
    return error(e.code(), response.status, std::string(e.detail()), std::string(response.request_id().value_or("")));
}

MTURK_CROWD_DECL result<boost::json::value> response_document(http_response const& response)
{
    boost::system::error_code ec;
    auto document = boost::json::parse(response.body, ec, document_storage());
    if (ec)
        return with_response_origin(error(errc::invalid_json, ec.message()), response);
    return document;
}

MTURK_CROWD_DECL result<creation> read_creation(result<final_answer> const& answer)
{
    if (!answer)
        return answer.error();
    auto const& response = answer->response;
    if (response.status != 200 && response.status != 201)
        return with_response_origin(error(errc::unexpected_status, "PUT answered without 200 or 201"), response);
    return response.status == 201 ? creation::created
           : answer->maybe_acted_on ? creation::uncertain
                                    : creation::already_existed;
}

}  // namespace mturk::crowd::detail

#endif
