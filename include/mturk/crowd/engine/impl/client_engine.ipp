// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_ENGINE_IMPL_CLIENT_ENGINE_IPP
#define MTURK_CROWD_ENGINE_IMPL_CLIENT_ENGINE_IPP

#include <mturk/crowd/credentials/default_chain.hpp>
#include <mturk/crowd/detail/iso8601.hpp>
#include <mturk/crowd/engine/client_engine.hpp>
#include <mturk/crowd/log_redaction.hpp>
#include <mturk/crowd/request.hpp>

#include <system_error>
#include <thread>

#if __has_include(<sys/utsname.h>)
#include <sys/utsname.h>
#endif

namespace mturk::crowd::detail {

/// A value of the User-Agent 2.1 form: the characters of an HTTP token, others as '-'.
inline std::string user_agent_value(std::string_view text)
{
    std::string out;
    for (char c : text) {
        bool const alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        out += alnum || std::string_view("!$%&'*+-.^_`|~").find(c) != std::string_view::npos ? c : '-';
    }
    return out;
}

/** The User-Agent in the SDKs' 2.1 form (AWS SDKs and Tools, "User agent" specification):
    `mturk-crowd-cpp/<version> ua/2.1 api/crowd#<version> os/<family>#<release>
    lang/cpp#<standard> md/arch#<machine> [exec-env/<AWS_EXECUTION_ENV>]
    [cfg/retry-mode#<mode>] [m/<business metrics>] [app/<app id>]`. */
inline std::string user_agent_text(environment const& env, std::string_view app_id, std::string_view retry_mode,
                                   std::string_view retry_metric, bool endpoint_override)
{
    std::string const version = std::to_string(MTURK_CROWD_VERSION_MAJOR) + "." +
                                std::to_string(MTURK_CROWD_VERSION_MINOR) + "." +
                                std::to_string(MTURK_CROWD_VERSION_PATCH);
    std::string family = "other", release, machine;
#if __has_include(<sys/utsname.h>)
    if (utsname u{}; ::uname(&u) == 0) {
        std::string const name = u.sysname;
        family = name == "Linux" ? "linux" : name == "Darwin" ? "macos" : "other";
        release = u.release;
        machine = u.machine;
    }
#elif defined(_WIN32)
    family = "windows";
#endif
    std::string out = "mturk-crowd-cpp/" + version + " ua/2.1 api/crowd#" + version + " os/" + family;
    if (!release.empty())
        out += "#" + user_agent_value(release);
    out += " lang/cpp#" + std::to_string(__cplusplus / 100 % 100);  // 202002L: "20"
    if (!machine.empty())
        out += " md/arch#" + user_agent_value(machine);
    if (auto exec = env("AWS_EXECUTION_ENV"); exec && !exec->empty())
        out += " exec-env/" + user_agent_value(*exec);
    if (!retry_mode.empty())
        out += " cfg/retry-mode#" + std::string(retry_mode);
    // The SDKs' business metrics: E standard retries, F adaptive, N an endpoint override.
    std::string metrics(retry_metric);
    if (endpoint_override)
        metrics += metrics.empty() ? "N" : ",N";
    if (!metrics.empty())
        out += " m/" + metrics;
    if (!app_id.empty())
        out += " app/" + user_agent_value(app_id);
    return out;
}

/// `_X_AMZN_TRACE_ID` as a header value, as botocore sends it: percent-encoded but for
/// the characters a trace id holds.
inline std::string trace_id_header_value(std::string_view trace)
{
    constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : trace) {
        bool const alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (alnum || std::string_view("-=;:+&[]{}\"',_.~").find(c) != std::string_view::npos) {
            out += c;
        } else {
            auto const u = static_cast<unsigned char>(c);
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 0xF];
        }
    }
    return out;
}

/// A canonical request as a log may show it: the values of token and secret headers redacted.
inline std::string loggable_canonical_request(std::string_view canonical)
{
    std::string out;
    std::size_t start = 0;
    while (start <= canonical.size()) {
        auto const end = std::min(canonical.find('\n', start), canonical.size());
        std::string_view const line = canonical.substr(start, end - start);
        auto const colon = line.find(':');
        if (colon != std::string_view::npos && colon != 0)
            out += std::string(line.substr(0, colon + 1)) +
                   loggable_field_value(line.substr(0, colon), line.substr(colon + 1));
        else
            out += line;
        if (end == canonical.size())
            break;
        out += '\n';
        start = end + 1;
    }
    return out;
}

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
        credentials_chain_options options{.env = config_.env, .fetch = config_.credentials_fetch,
                                          .mfa_token = config_.mfa_token, .cache = config_.credentials_cache};
        if (config_.hooks.on_credentials_resolved || config_.logger.enabled(log_level::error, log_mode::credentials)) {
            // Copies: the chain's refresh thread may outlive nothing of the engine's but these.
            options.on_resolved = [hook = config_.hooks.on_credentials_resolved,
                                   logger = config_.logger](credentials_resolution const& r) {
                if (hook)
                    hook(r);
                auto const level = r.failure ? (r.background ? log_level::warn : log_level::error) : log_level::info;
                if (!logger.enabled(level, log_mode::credentials))
                    return;
                std::string message;
                if (r.failure) {
                    message = std::string(r.background ? "refreshing credentials ahead of expiry failed (the kept ones "
                                                         "are used meanwhile): "
                                                       : "no credentials: ") +
                              r.failure->what();
                } else {
                    message = std::string(r.background ? "refreshed credentials from " : "credentials from ") +
                              std::string(r.source) + " (access key ..." + std::string(r.access_key_tail) + ") in " +
                              std::to_string(r.duration.count()) + " ms, " +
                              (r.expiration ? "expiring " + format_iso8601_utc(*r.expiration) : std::string("long-lived"));
                }
                logger.sink({.time = std::chrono::system_clock::now(), .level = level, .component = "credentials",
                             .message = message});
            };
        }
        auto chain = std::make_shared<default_credentials_chain>(std::move(options));
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
    host_header_ = endpoint_.host_header();
    user_agent_ = user_agent_text(config_.env, config_.app_id, {}, {}, false);
    // The "call" records go out at debug (a start) to warn (a failed end).
    observes_calls_ = config_.hooks.on_call_started || config_.hooks.on_call_finished ||
                      config_.logger.enabled(log_level::warn, log_mode::calls);
}

MTURK_CROWD_DECL void engine_core::set_setting_origins(std::string region_from, std::string endpoint_from)
{
    region_from_ = std::move(region_from);
    endpoint_from_ = std::move(endpoint_from);
    // Called once, before any operation: the User-Agent may still change.
    user_agent_ = user_agent_text(config_.env, config_.app_id, retry_mode_name_, retry_mode_metric_,
                                  !endpoint_from_.empty() && endpoint_from_ != "default");
    if (logging(log_level::info, log_mode::endpoint))
        log(log_level::info, "endpoint", nullptr,
            "endpoint " + endpoint_.url() + " (from " + (endpoint_from_.empty() ? "default" : endpoint_from_) +
                "), signing region " + config_.region + " (from " +
                (region_from_.empty() ? "default" : region_from_) + "), User-Agent " + user_agent_);
}

MTURK_CROWD_DECL void engine_core::log(log_level level, std::string_view component, pending_request const* p,
                                       std::string_view message) const
{
    if (!p)
        return log(level, component, std::string_view(), 0, message);
    log(level, component, std::string_view(p->invocation_id.data(), p->invocation_id.size()), p->attempt, message);
}

MTURK_CROWD_DECL void engine_core::log(log_level level, std::string_view component, std::string_view invocation_id,
                                       unsigned attempt, std::string_view message) const
{
    config_.logger.sink({.time = std::chrono::system_clock::now(), .level = level, .component = component,
                         .invocation_id = invocation_id, .attempt = attempt, .message = message});
}

MTURK_CROWD_DECL void engine_core::call_began(call_identity const& id)
{
    if (config_.hooks.on_call_started)
        config_.hooks.on_call_started({id});
    if (logging(log_level::debug, log_mode::calls))
        log(log_level::debug, "call", id.call_id, 0,
            std::string(id.rpc_method) + " " + std::string(id.function) + "/" + std::string(id.task) + " begins");
}

MTURK_CROWD_DECL void engine_core::call_ended(call_finished const& end)
{
    if (config_.hooks.on_call_finished)
        config_.hooks.on_call_finished(end);
    auto const level = end.failure ? log_level::warn : log_level::info;
    if (logging(level, log_mode::calls)) {
        auto const& id = end.id;
        std::string message = std::string(id.rpc_method) + " " + std::string(id.function) + "/" + std::string(id.task) +
                              (end.failure ? " failed: " + end.failure->what() : std::string(" succeeded")) +
                              " (" + seconds_text(end.duration) + " s, " + std::to_string(end.attempts) +
                              (end.attempts == 1 ? " attempt" : " attempts");
        if (end.polls != 0)
            message += ", " + std::to_string(end.polls) + (end.polls == 1 ? " poll" : " polls");
        if (end.creation)
            message += ", " + std::string(to_string(*end.creation));
        message += ")";
        log(level, "call", id.call_id, 0, message);
    }
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
    new_invocation_id(p.invocation_id);
    p.call_id = p.invocation_id;  // its own call, unless a wait says otherwise
    // one per request, kept on every attempt
    p.message.fields.add("amz-sdk-invocation-id", std::string_view(p.invocation_id.data(), p.invocation_id.size()));
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
    // On Lambda, the invocation's trace, read for each request (the runtime rewrites it
    // for every invocation), as botocore and the JS SDK do: only where
    // AWS_LAMBDA_FUNCTION_NAME is set, and never over a header the caller set. The one an
    // earlier attempt took from the environment goes first, so that the hook sees only
    // what the caller set.
    if (p.trace_id_ours) {
        p.message.fields.erase("X-Amzn-Trace-Id");
        p.trace_id_ours = false;
    }
    if (config_.hooks.before_signing)
        config_.hooks.before_signing({identity_of(p), p.message.fields});
    if (!p.message.fields.contains("X-Amzn-Trace-Id")) {
        auto const lambda = config_.env("AWS_LAMBDA_FUNCTION_NAME");
        auto const trace = lambda && !lambda->empty() ? config_.env("_X_AMZN_TRACE_ID") : std::nullopt;
        if (trace && !trace->empty()) {
            p.message.fields.add("X-Amzn-Trace-Id", trace_id_header_value(*trace));
            p.trace_id_ours = true;
        }
    }
    bool const log_signing = logging(log_level::trace, log_mode::signing);
    sigv4::signature_details details;
    result<void> signed_ok;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        signed_ok = signer_.sign(p.message, creds,
                                 {.region = config_.region,
                                  .service = "crowd",
                                  .time = std::chrono::floor<std::chrono::seconds>(now + clock_offset()),
                                  .payload_hash = p.payload_hashed ? std::string_view(p.payload_hash.data(), p.payload_hash.size())
                                                                   : std::string_view()},
                                 log_signing ? &details : nullptr);
    }
    if (!signed_ok)
        return signed_ok;
    p.sent_at = now;
    if (log_signing)
        log(log_level::trace, "signing", &p,
            "canonical request:\n" + loggable_canonical_request(details.canonical_request) + "\nstring to sign:\n" +
                details.string_to_sign);
    if (logging(log_level::debug, log_mode::requests)) {
        std::string text = to_loggable_text(p.message);
        if (has_mode(config_.logger.modes, log_mode::request_bodies) && !p.message.body.empty())
            text += p.message.body;
        log(log_level::debug, "request", &p, text);
    }
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
    std::string_view function = p.function;
    std::string_view task = p.name ? p.name->view() : std::string_view();
    for (auto at = target.find('/'); at != std::string_view::npos; at = target.find('/', at + 1)) {
        if (auto const parts = parse_task_path(target.substr(at))) {
            function = parts->function;
            task = parts->name;
            break;
        }
    }
    return {operation, function, task, std::string_view(p.invocation_id.data(), p.invocation_id.size()), p.attempt,
            std::string_view(p.call_id.data(), p.call_id.size())};
}

MTURK_CROWD_DECL attempt_assessment engine_core::assess_attempt(pending_request& p,
                                                                result<http_response> const& response,
                                                                std::chrono::system_clock::time_point now)
{
    attempt_assessment a;
    a.outcome = attempt_outcome{.attempt = p.attempt, .cost_of_this_retry = p.quota_paid, .at = now};
    attempts_.fetch_add(1, std::memory_order_relaxed);
    if (logging(response ? log_level::debug : log_level::info, log_mode::responses)) {
        std::string text;
        if (response) {
            text = to_loggable_text(*response);
            if (has_mode(config_.logger.modes, log_mode::response_bodies))
                text += response->body;
        } else {
            text = "no answer: " + response.error().what();
        }
        log(response ? log_level::debug : log_level::info, "response", &p, text);
    }
    // The after_attempt hook, once the answer is read: a refusal is told as the error it maps to.
    auto tell = [&] {
        if (!config_.hooks.after_attempt)
            return;
        attempt_identity const id = identity_of(p);
        config_.hooks.after_attempt({id, std::chrono::duration_cast<std::chrono::milliseconds>(now - p.sent_at),
                                     response ? &*response : nullptr, a.failure ? &*a.failure : nullptr});
    };
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
            tell();
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
                tell();
                return a;
            }
        }
    }
    p.maybe_acted_on = p.maybe_acted_on || acted_on_now;
    a.outcome.code = a.failure->code();
    if (classify(a.outcome) == failure_kind::throttling)
        throttled_.fetch_add(1, std::memory_order_relaxed);
    tell();
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
    if (auto const level = decision.retry ? log_level::info : log_level::warn; logging(level, log_mode::retries))
        log(level, "retry", &p,
            (decision.retry ? "retrying in " + seconds_text(decision.delay) + " s after: "
                            : std::string("not retrying (") + std::string(decision.reason) + "): ") +
                assessed.failure->what() +
                (decision.retry && !decision.reason.empty() ? " (" + std::string(decision.reason) + ")" : ""));
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
