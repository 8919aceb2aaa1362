// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TESTING_IMPL_EMULATOR_IPP
#define MTURK_CROWD_TESTING_IMPL_EMULATOR_IPP

#include <mturk/crowd/testing/emulator.hpp>
#include <mturk/crowd/detail/utf8.hpp>
#include <mturk/crowd/request.hpp>
#include <mturk/crowd/service_response.hpp>

namespace mturk::crowd::testing {

template <class F>
void emulator::register_function()
{
    // A function and its -test twin share their types, so they share one entry's code.
    function_entry e;
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
    function_entry twin = e;
    twin.is_test = true;
    functions_.emplace(std::string(F::name), std::move(e));
    functions_.emplace(std::string(F::test::name), std::move(twin));
}

template <class... F>
void emulator::register_all(functions::function_list<F...>)
{
    (register_function<F>(), ...);
}

MTURK_CROWD_DECL emulator::emulator(emulator_options options, std::function<time_point()> now)
    : options_(std::move(options)), now_(std::move(now)), faults_(options_.seed), connection_faults_(options_.seed + 1)
{
    register_all(functions::all_functions{});
}

MTURK_CROWD_DECL auto emulator::draw_connection_fault() -> connection_fault
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

MTURK_CROWD_DECL auto emulator::handle(http_request const& request) -> http_response
{
    std::lock_guard<std::mutex> lock(mutex_);
    http_response response = answer(request);
    ++requests_[std::string(to_string(request.method)) + " " + std::to_string(response.status)];
    return response;
}

MTURK_CROWD_DECL auto emulator::save_state() -> std::string
{
    std::lock_guard<std::mutex> lock(mutex_);
    boost::json::array tasks;
    for (auto& [key, t] : tasks_) {
        advance(key, t);
        tasks.emplace_back(entry_of(key, t));
    }
    return boost::json::serialize(boost::json::object{{"version", 1}, {"tasks", std::move(tasks)}});
}

MTURK_CROWD_DECL auto emulator::read_entry(boost::json::object const& entry, std::string const& where) const
    -> result<std::pair<task_key, stored_task>>
{
    auto text = [&](char const* name) -> std::string {
        auto const* v = entry.if_contains(name);
        return v && v->is_string() ? std::string(v->get_string()) : std::string();
    };
    auto const account = account_id::parse(text("account"));
    auto const name = task_name::parse(text("taskName"));
    auto const function = functions_.find(text("function"));
    if (!account || !name || function == functions_.end())
        return error(errc::invalid_value, where + "needs a 12-digit account, a valid taskName and a known function");
    auto const* input = entry.if_contains("input");
    auto checked = input ? function->second.read_input(*input) : result<boost::json::value>(error(errc::missing_field, "no input"));
    if (!checked)
        return error(errc::invalid_value, where + "input: " + std::string(checked.error().detail()));
    auto const* created = entry.if_contains("createdMs");
    std::optional<task_state> state;
    for (auto s : {task_state::processing, task_state::completed, task_state::failed})
        if (text("state") == to_string(s))
            state = s;
    if (!created || !created->is_int64() || !state)
        return error(errc::invalid_value, where + "needs createdMs (an integer) and a state");
    stored_task t;
    t.input = std::move(*checked);
    t.created = time_point(std::chrono::duration_cast<time_point::duration>(std::chrono::milliseconds(created->get_int64())));
    t.state = *state;
    auto const* finished = entry.if_contains(*state == task_state::failed ? "problemDetails" : "result");
    if (*state != task_state::processing && (!finished || !finished->is_object()))
        return error(errc::inconsistent_task, where + "a " + text("state") + " task needs its " +
                                                  (*state == task_state::failed ? "problemDetails" : "result"));
    if (*state == task_state::completed)
        t.result = *finished;
    if (*state == task_state::failed)
        t.problem = *finished;
    return std::pair<task_key, stored_task>{task_key{std::string(account->view()), function->first, std::string(name->view())},
                                            std::move(t)};
}

MTURK_CROWD_DECL auto emulator::load_state(std::string_view document) -> result<void>
{
    std::map<task_key, stored_task> loaded;
    auto const first_end = document.find('\n');
    boost::system::error_code ec;
    auto const first = boost::json::parse(document.substr(0, first_end), ec);
    bool const journal = !ec && first.is_object() && first.get_object().size() == 1 &&
                         first.get_object().if_contains("version") && first.get_object().at("version") == 2;
    if (journal) {
        // One record a line; a last line without its newline was never acknowledged.
        std::size_t number = 1;
        for (std::size_t start = first_end + 1; first_end != std::string_view::npos && start < document.size();) {
            auto const end = document.find('\n', start);
            if (end == std::string_view::npos)
                break;  // cut short by a crash: left out
            auto const line = document.substr(start, end - start);
            start = end + 1;
            ++number;
            auto const where = "line " + std::to_string(number) + ": ";
            auto const record = boost::json::parse(line, ec);
            auto const* object = ec ? nullptr : record.if_object();
            auto const* task = object ? object->if_contains("task") : nullptr;
            auto const* removed = object ? object->if_contains("removed") : nullptr;
            if (task && task->is_object()) {
                auto read = read_entry(task->get_object(), where);
                if (!read)
                    return read.error();
                loaded.insert_or_assign(std::move(read->first), std::move(read->second));
            } else if (removed && removed->is_object()) {
                auto text = [&](char const* name) -> std::string {
                    auto const* v = removed->get_object().if_contains(name);
                    return v && v->is_string() ? std::string(v->get_string()) : std::string();
                };
                loaded.erase(task_key{text("account"), text("function"), text("taskName")});
            } else {
                return error(errc::invalid_value, where + "not a journal record ({\"task\":...} or {\"removed\":...})");
            }
        }
    } else {
        auto const doc = boost::json::parse(document, ec);
        if (ec)
            return error(errc::invalid_json, "the state is not JSON: " + ec.message());
        auto const* root = doc.if_object();
        auto const* version = root ? root->if_contains("version") : nullptr;
        auto const* list = root ? root->if_contains("tasks") : nullptr;
        if (!version || *version != 1 || !list || !list->is_array())
            return error(errc::invalid_value, "the state is neither a version 1 emulator state ({\"version\":1,\"tasks\":[...]}) "
                                              "nor a journal (a first line {\"version\":2})");
        std::size_t index = 0;
        for (auto const& item : list->get_array()) {
            auto const where = "task " + std::to_string(index++) + ": ";
            auto const* entry = item.if_object();
            if (!entry)
                return error(errc::wrong_type, where + "not an object");
            auto read = read_entry(*entry, where);
            if (!read)
                return read.error();
            if (!loaded.emplace(std::move(read->first), std::move(read->second)).second)
                return error(errc::invalid_value, where + "a second task with the same account, function and name");
        }
    }
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_ = std::move(loaded);
    ++changes_;
    return {};
}

MTURK_CROWD_DECL auto emulator::changes() -> std::uint64_t
{
    std::lock_guard<std::mutex> lock(mutex_);
    return changes_;
}

MTURK_CROWD_DECL auto emulator::request_counts() -> std::map<std::string, int>
{
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
}

MTURK_CROWD_DECL auto emulator::tasks_created() -> std::int64_t
{
    std::lock_guard<std::mutex> lock(mutex_);
    return created_;
}

MTURK_CROWD_DECL auto emulator::fault_counts() -> std::map<std::string, std::int64_t>
{
    std::lock_guard<std::mutex> lock(mutex_);
    std::map<std::string, std::int64_t> out{
        {"gateway_timeouts", 0}, {"dropped_before", 0}, {"dropped_after", 0}, {"slow", 0}};
    for (auto const& [kind, n] : fault_counts_)
        out[kind] = n;
    return out;
}

MTURK_CROWD_DECL auto emulator::task_counts() -> std::map<std::string, int>
{
    std::lock_guard<std::mutex> lock(mutex_);
    std::map<std::string, int> out{{"processing", 0}, {"completed", 0}, {"failed", 0}};
    for (auto& [key, t] : tasks_) {
        advance(key, t);
        ++out[std::string(to_string(t.state))];
    }
    return out;
}

MTURK_CROWD_DECL auto emulator::reply(unsigned status, std::string message) -> http_response
{
    http_response r;
    r.status = status;
    r.fields.add("Content-Type", "application/json");
    // A message may quote what the request sent (a header's name); bytes that are not
    // UTF-8 would make the answer invalid JSON, so they are written as \xNN (found by
    // fuzzing).
    if (!crowd::detail::utf8_length(message)) {
        std::string readable;
        for (char c : message) {
            auto const byte = static_cast<unsigned char>(c);
            if (byte < 0x80) {
                readable += c;
            } else {
                readable += "\\x";
                crowd::detail::append_hex(readable, byte);
            }
        }
        message = std::move(readable);
    }
    r.body = boost::json::serialize(boost::json::object{{"message", std::move(message)}});
    return r;
}

MTURK_CROWD_DECL auto emulator::answer(http_request const& request) -> http_response
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

MTURK_CROWD_DECL auto emulator::throttled() -> bool
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

MTURK_CROWD_DECL auto emulator::parse_authorization(std::string_view header) -> std::optional<authorization_parts>
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

MTURK_CROWD_DECL auto emulator::parse_amz_date(std::string const& text) -> std::optional<std::chrono::sys_seconds>
{
    if (text.size() != 16 || text[8] != 'T')
        return std::nullopt;
    return crowd::detail::parse_iso8601_utc(text.substr(0, 4) + "-" + text.substr(4, 2) + "-" + text.substr(6, 2) +
                                            "T" + text.substr(9, 2) + ":" + text.substr(11, 2) + ":" +
                                            text.substr(13));
}

MTURK_CROWD_DECL auto emulator::verify_signature(http_request const& request) -> std::optional<http_response>
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
    // AKID/date/region/service/aws4_request: a scope of another region is refused in the
    // gateway's words.
    {
        std::string_view scope = credential;
        std::string_view region;
        for (int i = 0; i != 3 && !scope.empty(); ++i) {
            auto const slash = scope.find('/');
            region = scope.substr(0, slash);
            scope = slash == std::string_view::npos ? std::string_view{} : scope.substr(slash + 1);
        }
        if (region != options_.region)
            return reply(403, "Credential should be scoped to a valid region, not '" + std::string(region) + "'. ");
    }

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
        r.fields.add("Date", format_http_date(std::chrono::floor<std::chrono::seconds>(now)));
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

MTURK_CROWD_DECL auto emulator::route(http_request const& request) -> http_response
{
    auto const path = parse_task_path(request.target);
    if (!path)
        return reply(404, "Not Found");
    auto const account = account_id::parse(path->account);
    if (!account || (options_.account && *options_.account != *account))
        return reply(404, "Not Found: unknown account");
    auto const name = task_name::parse_with_reason(path->name);
    if (!name)
        return reply(400, "Invalid task name " + std::string(name.error().detail()));
    auto const function = functions_.find(std::string(path->function));
    if (function == functions_.end())
        return reply(404, "Not Found");
    task_key const key{std::string(path->account), std::string(path->function), std::string(path->name)};
    switch (request.method) {
    case http_method::put: return put(request, key, function->second);
    case http_method::get: return get(key);
    case http_method::delete_: return remove(key);
    default: return reply(405, "Method Not Allowed");
    }
}

MTURK_CROWD_DECL auto emulator::advance(task_key const& key, stored_task& t) -> void
{
    if (t.state != task_state::processing)
        return;
    auto const& function = key.function;
    auto const& name = key.name;
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
        journal_task(key, t);
        return;
    }
    t.state = task_state::completed;
    t.result = entry.mock(t.input, seed);
    ++changes_;
    journal_task(key, t);
}

MTURK_CROWD_DECL auto emulator::entry_of(task_key const& key, stored_task const& t) -> boost::json::object
{
    boost::json::object entry;
    entry.emplace("account", key.account);
    entry.emplace("function", key.function);
    entry.emplace("taskName", key.name);
    entry.emplace("input", t.input);
    entry.emplace("createdMs",
                  std::chrono::duration_cast<std::chrono::milliseconds>(t.created.time_since_epoch()).count());
    entry.emplace("state", to_string(t.state));
    if (t.state == task_state::completed)
        entry.emplace("result", t.result);
    if (t.state == task_state::failed)
        entry.emplace("problemDetails", t.problem);
    return entry;
}

MTURK_CROWD_DECL auto emulator::journal_task(task_key const& key, stored_task const& t) -> void
{
    if (journaling_)
        journal_.push_back(boost::json::object{{"task", entry_of(key, t)}});
}

MTURK_CROWD_DECL auto emulator::keep_journal(bool on) -> void
{
    std::lock_guard<std::mutex> lock(mutex_);
    journaling_ = on;
    journal_.clear();
}

MTURK_CROWD_DECL auto emulator::take_journal() -> std::vector<boost::json::object>
{
    std::lock_guard<std::mutex> lock(mutex_);
    return std::exchange(journal_, {});
}

MTURK_CROWD_DECL auto emulator::task_response(unsigned status, std::string const& name, stored_task const& t) -> http_response
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

MTURK_CROWD_DECL auto emulator::put(http_request const& request, task_key const& key, function_entry const& entry) -> http_response
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
        advance(key, existing->second);
        return task_response(200, key.name, existing->second);
    }
    stored_task t;
    t.input = std::move(*checked);
    t.created = now_();
    auto const& stored = tasks_.emplace(key, std::move(t)).first->second;
    ++changes_;
    ++created_;
    journal_task(key, stored);
    return task_response(201, key.name, stored);  // always processing when created
}

MTURK_CROWD_DECL auto emulator::get(task_key const& key) -> http_response
{
    auto const found = tasks_.find(key);
    if (found == tasks_.end())
        return reply(404, "Not Found");
    advance(key, found->second);
    return task_response(200, key.name, found->second);
}

MTURK_CROWD_DECL auto emulator::remove(task_key const& key) -> http_response
{
    auto const found = tasks_.find(key);
    if (found == tasks_.end())
        return reply(404, "Not Found");
    advance(key, found->second);
    if (found->second.state == task_state::processing)
        return reply(409, "Task is still processing and cannot be deleted");
    tasks_.erase(found);
    ++changes_;
    if (journaling_)
        journal_.push_back(boost::json::object{
            {"removed", boost::json::object{{"account", key.account}, {"function", key.function}, {"taskName", key.name}}}});
    http_response r;
    r.status = 204;
    return r;
}

MTURK_CROWD_DECL auto emulator_transport::send(http_request const& request) -> result<http_response>
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

}  // namespace mturk::crowd::testing

#endif
