// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TESTING_EMULATOR_HPP
#define MTURK_CROWD_TESTING_EMULATOR_HPP

#include <mturk/crowd/account_id.hpp>
#include <mturk/crowd/detail/iso8601.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/http_message.hpp>
#include <mturk/crowd/sigv4/signer.hpp>
#include <mturk/crowd/task.hpp>
#include <mturk/crowd/task_name.hpp>
#include <mturk/crowd/testing/mock_results.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <algorithm>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>

/* The crowd API's behaviour in process: the contract of the crowd REST API reference (docs/REST.md of mturk-crowd-beta-client-python), the 13
   functions and their -test twins with inputs checked by the typed catalogue, tasks
   completing on the emulator's clock with mock results, and SigV4 verification of every
   request with the project's own signer run backwards. No I/O: handle() takes a request
   and gives the response, so it serves a test in process (emulator_transport) as well as
   the crowd-emulator server. */
namespace mturk::crowd::testing {

struct emulator_options {
    std::string access_key_id = "AKIDCROWDEMULATOR";
    std::string secret_access_key = "crowd-emulator-secret";
    std::optional<account_id> account{};              ///< empty: any 12-digit account is accepted
    std::string region = "us-east-1";
    std::chrono::milliseconds complete_after{std::chrono::seconds(2)};  ///< -test functions: at once
    double fail_share = 0.0;                          ///< share of tasks that fail (Expired, BadInputContent)
    std::uint64_t seed = 1;                           ///< mock results and failures repeat for a seed
    std::chrono::minutes max_skew{5};                 ///< how far X-Amz-Date may be from the emulator's time (the service's gateway: 5 minutes)
    double throttle_rps = 0;                          ///< requests per second before 429; 0: no throttling
    double throttle_burst = 10;                       ///< the token bucket's size
    double fault_share = 0.0;                         ///< share of requests answered 500 or 503 before acting
    /// Share of requests acted on, then answered 504 (what a gateway does when the service
    /// behind it answers too late): the client cannot know whether they took effect.
    double gateway_timeout_share = 0.0;
    /// Share of requests whose connection is closed without an answer, half before the
    /// emulator acts on them and half after (`serve`).
    double drop_share = 0.0;
    /// Share of requests acted on at once and answered late, after `slow_delay`, as a
    /// loaded service does (the server waits; in process they are answered at once).
    double slow_share = 0.0;
    std::chrono::milliseconds slow_delay{3000};
};

/// What happens to a request's connection (`emulator::draw_connection_fault`).
enum class connection_fault { none, dropped_before_acting, dropped_after_acting, slow };

/** The emulator. Thread-safe. Its time comes from `now` (a manual clock's in tests). */
class emulator {
public:
    using time_point = std::chrono::system_clock::time_point;

    explicit emulator(emulator_options options = {}, std::function<time_point()> now = [] {
        return std::chrono::system_clock::now();
    })
        : options_(std::move(options)), now_(std::move(now)), faults_(options_.seed),
          connection_faults_(options_.seed + 1)
    {
        register_all(functions::all_functions{});
    }

    /** Draws what happens to the next request's connection (`drop_share`, `slow_share`):
        the server, or `emulator_transport`, then drops it before or after calling
        `handle`, or answers late. Every fault is set in `emulator_options`; this is the
        part that needs a connection to act out. Counted in `fault_counts()`. */
    connection_fault draw_connection_fault()
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto draw = [&] { return std::uniform_real_distribution<double>(0.0, 1.0)(connection_faults_); };
        if (options_.drop_share > 0 && draw() < options_.drop_share) {
            bool const after = connection_faults_() % 2 == 0;
            ++fault_counts_[after ? "dropped_after" : "dropped_before"];
            return after ? connection_fault::dropped_after_acting : connection_fault::dropped_before_acting;
        }
        if (options_.slow_share > 0 && draw() < options_.slow_share) {
            ++fault_counts_["slow"];
            return connection_fault::slow;
        }
        return connection_fault::none;
    }

    /// Answers one request as the service would.
    http_response handle(http_request const& request)
    {
        std::lock_guard<std::mutex> lock(mutex_);
        http_response response = answer(request);
        ++requests_[std::string(to_string(request.method)) + " " + std::to_string(response.status)];
        return response;
    }

    /** The tasks as one JSON document, to keep them across restarts (`load_state`).
        Each task keeps its input, its creation time, its state and, once finished, its
        result or problem, so a result survives a restart even with another seed. */
    std::string save_state()
    {
        std::lock_guard<std::mutex> lock(mutex_);
        boost::json::array tasks;
        for (auto& [key, t] : tasks_) {
            advance(key.function, key.name, t);
            boost::json::object entry;
            entry.emplace("account", key.account);
            entry.emplace("function", key.function);
            entry.emplace("taskName", key.name);
            entry.emplace("input", t.input);
            entry.emplace("createdMs", std::chrono::duration_cast<std::chrono::milliseconds>(
                                           t.created.time_since_epoch()).count());
            entry.emplace("state", to_string(t.state));
            if (t.state == task_state::completed)
                entry.emplace("result", t.result);
            if (t.state == task_state::failed)
                entry.emplace("problemDetails", t.problem);
            tasks.emplace_back(std::move(entry));
        }
        return boost::json::serialize(boost::json::object{{"version", 1}, {"tasks", std::move(tasks)}});
    }

    /** Replaces the tasks with those of a `save_state` document. All or nothing: on an
        error (its detail names the entry and what is wrong) the tasks are unchanged. */
    result<void> load_state(std::string_view document)
    {
        boost::system::error_code ec;
        auto const doc = boost::json::parse(document, ec);
        if (ec)
            return error(errc::invalid_json, "the state is not JSON: " + ec.message());
        auto const* root = doc.if_object();
        auto const* version = root ? root->if_contains("version") : nullptr;
        auto const* list = root ? root->if_contains("tasks") : nullptr;
        if (!version || *version != 1 || !list || !list->is_array())
            return error(errc::invalid_value, "the state is not a version 1 emulator state ({\"version\":1,\"tasks\":[...]})");
        std::map<task_key, stored_task> loaded;
        std::size_t index = 0;
        for (auto const& item : list->get_array()) {
            auto const where = "task " + std::to_string(index++) + ": ";
            auto const* entry = item.if_object();
            if (!entry)
                return error(errc::wrong_type, where + "not an object");
            auto text = [&](char const* name) -> std::string {
                auto const* v = entry->if_contains(name);
                return v && v->is_string() ? std::string(v->get_string()) : std::string();
            };
            auto const account = account_id::parse(text("account"));
            auto const name = task_name::parse(text("taskName"));
            auto const function = functions_.find(text("function"));
            if (!account || !name || function == functions_.end())
                return error(errc::invalid_value, where + "needs a 12-digit account, a valid taskName and a known function");
            auto const* input = entry->if_contains("input");
            auto checked = input ? function->second.read_input(*input) : result<boost::json::value>(error(errc::missing_field, "no input"));
            if (!checked)
                return error(errc::invalid_value, where + "input: " + std::string(checked.error().detail()));
            auto const* created = entry->if_contains("createdMs");
            std::optional<task_state> state;
            for (auto s : {task_state::processing, task_state::completed, task_state::failed})
                if (text("state") == to_string(s))
                    state = s;
            if (!created || !created->is_int64() || !state)
                return error(errc::invalid_value, where + "needs createdMs (an integer) and a state");
            stored_task t;
            t.input = std::move(*checked);
            t.created = time_point(std::chrono::duration_cast<time_point::duration>(
                std::chrono::milliseconds(created->get_int64())));
            t.state = *state;
            auto const* finished = entry->if_contains(*state == task_state::failed ? "problemDetails" : "result");
            if (*state != task_state::processing && (!finished || !finished->is_object()))
                return error(errc::inconsistent_task, where + "a " + text("state") + " task needs its " +
                                                          (*state == task_state::failed ? "problemDetails" : "result"));
            if (*state == task_state::completed)
                t.result = *finished;
            if (*state == task_state::failed)
                t.problem = *finished;
            if (!loaded.emplace(task_key{std::string(account->view()), function->first, std::string(name->view())}, std::move(t)).second)
                return error(errc::invalid_value, where + "a second task with the same account, function and name");
        }
        std::lock_guard<std::mutex> lock(mutex_);
        tasks_ = std::move(loaded);
        ++changes_;
        return {};
    }

    /// Grows whenever a task is created, finishes, or is deleted: a server saves its
    /// state when this has moved.
    std::uint64_t changes()
    {
        std::lock_guard<std::mutex> lock(mutex_);
        return changes_;
    }

    /// Requests answered so far, by "METHOD STATUS" ("PUT 201": 3).
    std::map<std::string, int> request_counts()
    {
        std::lock_guard<std::mutex> lock(mutex_);
        return requests_;
    }

    emulator_options const& options() const noexcept { return options_; }

    /// Tasks created since the start: each successful creation counts once, whatever the
    /// answer said (a gateway timeout answers 504 for a task it created).
    std::int64_t tasks_created()
    {
        std::lock_guard<std::mutex> lock(mutex_);
        return created_;
    }

    /// Faults so far, by kind: "gateway_timeouts" (acted on, then 504), "dropped_before",
    /// "dropped_after" and "slow" (drawn by `draw_connection_fault`).
    std::map<std::string, std::int64_t> fault_counts()
    {
        std::lock_guard<std::mutex> lock(mutex_);
        std::map<std::string, std::int64_t> out{
            {"gateway_timeouts", 0}, {"dropped_before", 0}, {"dropped_after", 0}, {"slow", 0}};
        for (auto const& [kind, n] : fault_counts_)
            out[kind] = n;
        return out;
    }

    /// How many tasks are in each state.
    std::map<std::string, int> task_counts()
    {
        std::lock_guard<std::mutex> lock(mutex_);
        std::map<std::string, int> out{{"processing", 0}, {"completed", 0}, {"failed", 0}};
        for (auto& [key, t] : tasks_) {
            advance(key.function, key.name, t);
            ++out[std::string(to_string(t.state))];
        }
        return out;
    }

private:
    struct function_entry {
        std::function<result<boost::json::value>(boost::json::value const&)> read_input;  // checked, normalised
        std::function<boost::json::value(boost::json::value const&, std::uint64_t)> mock;
        bool is_test = false;
    };

    /// Tasks are kept per account, function and name (the reference: "every Task within
    /// your account is uniquely identified by the combination of the API name and Task name").
    struct task_key {
        std::string account;
        std::string function;
        std::string name;
        friend auto operator<=>(task_key const&, task_key const&) = default;
    };

    struct stored_task {
        boost::json::value input;
        time_point created;
        task_state state = task_state::processing;
        boost::json::value result;
        boost::json::value problem;
    };

    template <class... F>
    void register_all(functions::function_list<F...>)
    {
        (register_function<F>(), ...);
        (register_function<typename F::test>(), ...);
    }

    template <class F>
    void register_function()
    {
        function_entry e;
        e.is_test = F::is_test;
        e.read_input = [](boost::json::value const& v) -> result<boost::json::value> {
            auto input = from_json<typename F::input_type>(v);
            if (!input)
                return input.error();
            if (auto checked = input->validate(); !checked)
                return checked.error();
            return to_json(*input);
        };
        e.mock = [](boost::json::value const& v, std::uint64_t seed) {
            auto input = from_json<typename F::input_type>(v);
            return to_json(testing::make_mock_result<F>(input.value(), seed));
        };
        functions_.emplace(std::string(F::name), std::move(e));
    }

    static http_response reply(unsigned status, std::string message)
    {
        http_response r;
        r.status = status;
        r.fields.add("Content-Type", "application/json");
        r.body = boost::json::serialize(boost::json::object{{"message", std::move(message)}});
        return r;
    }

    static std::string http_date(time_point t)
    {
        auto const secs = std::chrono::floor<std::chrono::seconds>(t);
        auto const days = std::chrono::floor<std::chrono::days>(secs);
        std::chrono::year_month_day const ymd{days};
        std::chrono::weekday const wd{days};
        std::chrono::hh_mm_ss const hms{secs - days};
        static constexpr char const* names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
        static constexpr char const* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        char out[40];
        std::snprintf(out, sizeof out, "%s, %02u %s %04d %02d:%02d:%02d GMT", names[wd.c_encoding()],
                      static_cast<unsigned>(ymd.day()), months[static_cast<unsigned>(ymd.month()) - 1],
                      static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                      static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
        return out;
    }

    http_response answer(http_request const& request)
    {
        if (throttled())
            return reply(429, "Rate exceeded");
        if (options_.fault_share > 0 && std::uniform_real_distribution<double>(0.0, 1.0)(faults_) < options_.fault_share)
            return faults_() % 2 == 0 ? reply(500, "Internal Server Error") : reply(503, "Service Unavailable");
        if (auto refused = verify_signature(request))
            return *refused;
        http_response acted = route(request);
        if (options_.gateway_timeout_share > 0 &&
            std::uniform_real_distribution<double>(0.0, 1.0)(faults_) < options_.gateway_timeout_share) {
            ++fault_counts_["gateway_timeouts"];
            return reply(504, "Gateway Timeout");  // the request took effect; its answer is lost
        }
        return acted;
    }

    /// A token bucket on the emulator's clock: `throttle_rps` tokens a second, at most
    /// `throttle_burst`; a request takes one or is throttled.
    bool throttled()
    {
        if (options_.throttle_rps <= 0)
            return false;
        auto const now = now_();
        if (!bucket_time_) {
            bucket_time_ = now;
            tokens_ = options_.throttle_burst;
        }
        std::chrono::duration<double> const elapsed = now - *bucket_time_;
        tokens_ = std::min(options_.throttle_burst, tokens_ + elapsed.count() * options_.throttle_rps);
        bucket_time_ = now;
        if (tokens_ < 1.0)
            return true;
        tokens_ -= 1.0;
        return false;
    }

    /// The three parts of `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`.
    struct authorization_parts {
        std::string_view credential;      // AKID/20261128/us-east-1/crowd/aws4_request
        std::string_view signed_headers;  // host;x-amz-date
        std::string_view signature;       // 64 hex digits
    };

    static std::optional<authorization_parts> parse_authorization(std::string_view header)
    {
        constexpr std::string_view algorithm = "AWS4-HMAC-SHA256 ";
        if (!header.starts_with(algorithm))
            return std::nullopt;
        header.remove_prefix(algorithm.size());
        authorization_parts parts;
        // Comma-separated key=value pairs, in any order, blanks after the commas allowed.
        while (!header.empty()) {
            auto const comma = header.find(',');
            std::string_view pair = header.substr(0, comma);
            header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
            while (!pair.empty() && pair.front() == ' ')
                pair.remove_prefix(1);
            auto const equals = pair.find('=');
            if (equals == std::string_view::npos)
                return std::nullopt;
            auto const key = pair.substr(0, equals);
            auto const value = pair.substr(equals + 1);
            if (key == "Credential")
                parts.credential = value;
            else if (key == "SignedHeaders")
                parts.signed_headers = value;
            else if (key == "Signature")
                parts.signature = value;
        }
        if (parts.credential.empty() || parts.signed_headers.empty() || parts.signature.empty())
            return std::nullopt;
        return parts;
    }

    /// X-Amz-Date's YYYYMMDDTHHMMSSZ, read through the ISO 8601 reader in its extended form.
    static std::optional<std::chrono::sys_seconds> parse_amz_date(std::string const& text)
    {
        if (text.size() != 16 || text[8] != 'T')
            return std::nullopt;
        return crowd::detail::parse_iso8601_utc(text.substr(0, 4) + "-" + text.substr(4, 2) + "-" + text.substr(6, 2) +
                                                "T" + text.substr(9, 2) + ":" + text.substr(11, 2) + ":" +
                                                text.substr(13));
    }

    /// 403 with a message saying what is wrong, or nothing when the signature holds: the
    /// header's parts, the key id, the date within the skew window, then the signer run
    /// again over the headers the client said it signed.
    std::optional<http_response> verify_signature(http_request const& request)
    {
        auto const authorization = request.fields.find("Authorization");
        auto const amz_date = request.fields.find("X-Amz-Date");
        if (!authorization || !amz_date || !request.fields.find("Host"))
            return reply(403, "Missing Authentication Token: the request needs Authorization, X-Amz-Date and Host");
        auto const parts = parse_authorization(*authorization);
        if (!parts)
            return reply(403, "Authorization header is not AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...");
        auto const [credential, signed_headers, signature] = *parts;
        if (credential.substr(0, credential.find('/')) != options_.access_key_id)
            return reply(403, "The security token included in the request is invalid: unknown access key id");

        std::string const date_text(*amz_date);
        auto const signed_at_time = parse_amz_date(date_text);
        if (!signed_at_time)
            return reply(403, "X-Amz-Date is not YYYYMMDDTHHMMSSZ");
        auto const signed_time = *signed_at_time;
        auto const now = now_();
        auto const skew = now > signed_time ? now - signed_time : signed_time - now;
        if (skew > options_.max_skew) {
            auto r = reply(403, "Signature expired: " + date_text + " is more than " +
                                    std::to_string(options_.max_skew.count()) + " minutes from the service's time");
            r.fields.add("Date", http_date(now));
            return r;
        }

        // Run the signer over the headers the client said it signed, and compare.
        http_request copy;
        copy.method = request.method;
        copy.target = request.target;
        copy.body = request.body;
        std::size_t start = 0;
        while (start <= signed_headers.size()) {
            auto end = signed_headers.find(';', start);
            if (end == std::string_view::npos)
                end = signed_headers.size();
            auto const name = signed_headers.substr(start, end - start);
            bool found = false;
            for (auto const& f : request.fields) {
                if (crowd::detail::iequals(f.name, name)) {
                    copy.fields.add(f.name, f.value);
                    found = true;
                }
            }
            if (!found)
                return reply(403, "a signed header is missing from the request: " + std::string(name));
            start = end + 1;
        }
        auto const creds = sigv4::credentials::make(options_.access_key_id, options_.secret_access_key).value();
        std::string_view constexpr none[] = {"x-no-header"};
        sigv4::signature_details details;
        auto const resigned = signer_.sign(copy, creds,
                                           {.region = options_.region,
                                            .service = "crowd",
                                            .time = signed_time,
                                            .unsigned_headers = none},
                                           &details);
        if (!resigned || details.signature != signature)
            return reply(403, "The request signature we calculated does not match the signature you provided: "
                              "check the secret access key, the region, and that nothing changed the body or a "
                              "signed header");
        return std::nullopt;
    }

    http_response route(http_request const& request)
    {
        // /<account>/functions/<function>/tasks/<task>
        std::string_view path = request.target;
        std::string_view parts[5];
        std::size_t count = 0;
        while (!path.empty() && count < 5) {
            path.remove_prefix(1);
            auto const slash = path.find('/');
            parts[count++] = path.substr(0, slash);
            path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
        }
        if (count != 5 || !path.empty() || parts[1] != "functions" || parts[3] != "tasks")
            return reply(404, "Not Found");
        auto const account = account_id::parse(parts[0]);
        if (!account || (options_.account && *options_.account != *account))
            return reply(404, "Not Found: unknown account");
        auto const name = task_name::parse(parts[4]);
        if (!name)
            return reply(400, "Invalid task name: " + name.error().message());
        auto const function = functions_.find(std::string(parts[2]));
        if (function == functions_.end())
            return reply(404, "Not Found");
        task_key const key{std::string(parts[0]), std::string(parts[2]), std::string(parts[4])};
        switch (request.method) {
        case http_method::put: return put(request, key, function->second);
        case http_method::get: return get(key);
        case http_method::delete_: return remove(key);
        default: return reply(405, "Method Not Allowed");
        }
    }


    void advance(std::string const& function, std::string const& name, stored_task& t)
    {
        if (t.state != task_state::processing)
            return;
        auto const& entry = functions_.at(function);
        if (!entry.is_test && now_() < t.created + options_.complete_after)
            return;
        std::uint64_t const seed = options_.seed ^ std::hash<std::string>{}(function + "/" + name);
        std::mt19937_64 random(seed);
        if (std::uniform_real_distribution<double>(0.0, 1.0)(random) < options_.fail_share) {
            t.state = task_state::failed;
            bool const expired = random() % 2 == 0;
            ++changes_;
            t.problem = boost::json::object{
                {"code", expired ? "Expired" : "BadInputContent"},
                {"message", expired ? "Not enough Workers provided answers within the allotted time."
                                    : "Workers indicated they were unable to understand the input content."}};
            return;
        }
        t.state = task_state::completed;
        t.result = entry.mock(t.input, seed);
        ++changes_;
    }

    static http_response task_response(unsigned status, std::string const& name, stored_task const& t)
    {
        boost::json::object doc;
        doc.emplace("taskName", name);
        doc.emplace("input", t.input);
        doc.emplace("problemDetails", t.state == task_state::failed ? t.problem : boost::json::value(nullptr));
        doc.emplace("state", to_string(t.state));
        doc.emplace("result", t.state == task_state::completed ? t.result : boost::json::value(nullptr));
        http_response r;
        r.status = status;
        r.fields.add("Content-Type", "application/json");
        r.body = boost::json::serialize(doc);
        return r;
    }

    http_response put(http_request const& request, task_key const& key, function_entry const& entry)
    {
        boost::system::error_code ec;
        auto body = boost::json::parse(request.body, ec);
        auto const* input = !ec && body.is_object() ? body.get_object().if_contains("input") : nullptr;
        if (!input)
            return reply(400, "Request body must be a JSON object with an \"input\" member");
        auto checked = entry.read_input(*input);
        if (!checked)
            return reply(400, "Invalid input: " + std::string(checked.error().detail()));
        auto const existing = tasks_.find(key);
        if (existing != tasks_.end()) {
            if (existing->second.input != *checked)
                return reply(400, "Task name already in use with a different input; the input of a task cannot be changed");
            advance(key.function, key.name, existing->second);
            return task_response(200, key.name, existing->second);
        }
        stored_task t;
        t.input = std::move(*checked);
        t.created = now_();
        auto const& stored = tasks_.emplace(key, std::move(t)).first->second;
        ++changes_;
        ++created_;
        return task_response(201, key.name, stored);  // always processing when created
    }

    http_response get(task_key const& key)
    {
        auto const found = tasks_.find(key);
        if (found == tasks_.end())
            return reply(404, "Not Found");
        advance(key.function, key.name, found->second);
        return task_response(200, key.name, found->second);
    }

    /// A task still processing cannot be deleted; the reference gives no status for that,
    /// and 409 Conflict says it best (the client reads it as task_still_processing).
    http_response remove(task_key const& key)
    {
        auto const found = tasks_.find(key);
        if (found == tasks_.end())
            return reply(404, "Not Found");
        advance(key.function, key.name, found->second);
        if (found->second.state == task_state::processing)
            return reply(409, "Task is still processing and cannot be deleted");
        tasks_.erase(found);
        ++changes_;
        http_response r;
        r.status = 204;
        return r;
    }

    emulator_options options_;
    std::function<time_point()> now_;
    std::map<std::string, function_entry> functions_;
    std::map<task_key, stored_task> tasks_;
    sigv4::signer signer_;
    std::mutex mutex_;
    std::map<std::string, int> requests_;
    std::mt19937_64 faults_;
    std::optional<time_point> bucket_time_;
    double tokens_ = 0;
    std::uint64_t changes_ = 0;
    std::mt19937_64 connection_faults_;
    std::map<std::string, std::int64_t> fault_counts_;
    std::int64_t created_ = 0;
};

/** A transport that hands requests to an emulator in the same process. Dropped
    connections (`drop_share`) fail as a reset after the request was sent, before or after
    the emulator acted on it; slow answers come at once. */
class emulator_transport {
public:
    explicit emulator_transport(std::shared_ptr<emulator> e) : emulator_(std::move(e)) {}
    result<http_response> send(http_request const& request)
    {
        auto const fault = emulator_->draw_connection_fault();
        auto dropped = [] {
            return error(boost::system::errc::make_error_code(boost::system::errc::connection_reset),
                         "emulator_transport: the connection was dropped without an answer")
                .set_progress(request_progress::sent_no_answer);
        };
        if (fault == connection_fault::dropped_before_acting)
            return dropped();
        http_response response = emulator_->handle(request);
        if (fault == connection_fault::dropped_after_acting)
            return dropped();
        return response;
    }

private:
    std::shared_ptr<emulator> emulator_;
};

}  // namespace mturk::crowd::testing

#endif
