// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TESTING_EMULATOR_HPP
#define MTURK_CROWD_TESTING_EMULATOR_HPP

#include <mturk/crowd/account_id.hpp>
#include <mturk/crowd/detail/config.hpp>
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
#include <vector>

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

    MTURK_CROWD_DECL explicit emulator(emulator_options options = {}, std::function<time_point()> now = [] {
        return std::chrono::system_clock::now();
    });

    /** Draws what happens to the next request's connection (`drop_share`, `slow_share`):
        the server, or `emulator_transport`, then drops it before or after calling
        `handle`, or answers late. Every fault is set in `emulator_options`; this is the
        part that needs a connection to act out. Counted in `fault_counts()`. */
    MTURK_CROWD_DECL connection_fault draw_connection_fault();

    /// Answers one request as the service would.
    MTURK_CROWD_DECL http_response handle(http_request const& request);

    /** The tasks as one JSON document, to keep them across restarts (`load_state`).
        Each task keeps its input, its creation time, its state and, once finished, its
        result or problem, so a result survives a restart even with another seed. */
    MTURK_CROWD_DECL std::string save_state();

    /** Replaces the tasks with those of a `save_state` document, or of a journal: a
        first line {"version":2}, then one record a line as `take_journal` gives them,
        applied in order. A journal's last line without its newline (a write a crash cut
        short, never acknowledged) is left out; any other line that is not a record is an
        error. All or nothing: on an error (its detail names the entry or line and what is
        wrong) the tasks are unchanged. */
    MTURK_CROWD_DECL result<void> load_state(std::string_view document);

    /// Grows whenever a task is created, finishes, or is deleted: a server saves its
    /// state when this has moved.
    MTURK_CROWD_DECL std::uint64_t changes();

    /** Keeps a record of each change from now on (`take_journal`), for a server that
        appends them to a journal: {"task": <entry>} for a task created or finished,
        {"removed": {"account", "function", "taskName"}} for one deleted. Off by default. */
    MTURK_CROWD_DECL void keep_journal(bool on);

    /// The records of the changes since the last call, in order.
    MTURK_CROWD_DECL std::vector<boost::json::object> take_journal();

    /// Requests answered so far, by "METHOD STATUS" ("PUT 201": 3).
    MTURK_CROWD_DECL std::map<std::string, int> request_counts();

    emulator_options const& options() const noexcept { return options_; }

    /// Tasks created since the start: each successful creation counts once, whatever the
    /// answer said (a gateway timeout answers 504 for a task it created).
    MTURK_CROWD_DECL std::int64_t tasks_created();

    /// Faults so far, by kind: "gateway_timeouts" (acted on, then 504), "dropped_before",
    /// "dropped_after" and "slow" (drawn by `draw_connection_fault`).
    MTURK_CROWD_DECL std::map<std::string, std::int64_t> fault_counts();

    /// How many tasks are in each state.
    MTURK_CROWD_DECL std::map<std::string, int> task_counts();

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

    /// Every function of the catalogue and its -test twin; compiled once, with the
    /// emulator (a program built with separate compilation compiles their JSON here only).
    template <class... F>
    void register_all(functions::function_list<F...>);
    template <class F>
    void register_function();

    MTURK_CROWD_DECL static http_response reply(unsigned status, std::string message);

    MTURK_CROWD_DECL http_response answer(http_request const& request);

    /// A token bucket on the emulator's clock: `throttle_rps` tokens a second, at most
    /// `throttle_burst`; a request takes one or is throttled.
    MTURK_CROWD_DECL bool throttled();

    /// The three parts of `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`.
    struct authorization_parts {
        std::string_view credential;      // AKID/20261128/us-east-1/crowd/aws4_request
        std::string_view signed_headers;  // host;x-amz-date
        std::string_view signature;       // 64 hex digits
    };

    MTURK_CROWD_DECL static std::optional<authorization_parts> parse_authorization(std::string_view header);

    /// X-Amz-Date's YYYYMMDDTHHMMSSZ, read through the ISO 8601 reader in its extended form.
    MTURK_CROWD_DECL static std::optional<std::chrono::sys_seconds> parse_amz_date(std::string const& text);

    /// 403 with a message saying what is wrong, or nothing when the signature holds: the
    /// header's parts, the key id, the date within the skew window, then the signer run
    /// again over the headers the client said it signed.
    MTURK_CROWD_DECL std::optional<http_response> verify_signature(http_request const& request);

    MTURK_CROWD_DECL http_response route(http_request const& request);


    MTURK_CROWD_DECL void advance(task_key const& key, stored_task& t);
    // A task as the state file holds it.
    MTURK_CROWD_DECL static boost::json::object entry_of(task_key const& key, stored_task const& t);
    // Reads one entry of a state file: a task, its key, or why it cannot be used.
    MTURK_CROWD_DECL result<std::pair<task_key, stored_task>> read_entry(boost::json::object const& entry,
                                                                         std::string const& where) const;
    // Needs mutex_.
    MTURK_CROWD_DECL void journal_task(task_key const& key, stored_task const& t);

    MTURK_CROWD_DECL static http_response task_response(unsigned status, std::string const& name, stored_task const& t);

    MTURK_CROWD_DECL http_response put(http_request const& request, task_key const& key, function_entry const& entry);

    MTURK_CROWD_DECL http_response get(task_key const& key);

    /// A task still processing cannot be deleted; the reference gives no status for that,
    /// and 409 Conflict says it best (the client reads it as task_still_processing).
    MTURK_CROWD_DECL http_response remove(task_key const& key);

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
    bool journaling_ = false;
    std::vector<boost::json::object> journal_;
};

/** A transport that hands requests to an emulator in the same process. Dropped
    connections (`drop_share`) fail as a reset after the request was sent, before or after
    the emulator acted on it; slow answers come at once. */
class emulator_transport {
public:
    explicit emulator_transport(std::shared_ptr<emulator> e) : emulator_(std::move(e)) {}
    MTURK_CROWD_DECL result<http_response> send(http_request const& request);

private:
    std::shared_ptr<emulator> emulator_;
};

}  // namespace mturk::crowd::testing

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/testing/impl/emulator.ipp>
#endif

#endif
