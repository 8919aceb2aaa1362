// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// crowd batch's files and shards: the task lines (checked, then read again when sent), the
// results file (resumed, repaired, appended a line at a time), and which shard this is.
#ifndef MTURK_CROWD_TOOLS_CROWD_BATCH_FILES_HPP
#define MTURK_CROWD_TOOLS_CROWD_BATCH_FILES_HPP

#include "cli_support.hpp"

#include <mturk/crowd/batch/pipeline_types.hpp>
#include <mturk/crowd/engine/client_engine.hpp>
#include <mturk/crowd/functions/input_check.hpp>
#include <mturk/crowd/settings/environment.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/system/result.hpp>

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace crowd_cli {

/// A value, or a message for the user.
template <class T>
using checked = boost::system::result<T, std::string>;

inline std::optional<unsigned long long> parse_count(std::string_view text)
{
    unsigned long long n = 0;
    auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return n;
}

/// Which lines this run takes: I, I+N, I+2N... of the file (counted from 0).
struct shard_spec {
    std::size_t index = 0;
    std::size_t count = 1;
};

/** --shard I/N, else the scheduler's environment: Kubernetes Indexed Jobs
    (JOB_COMPLETION_INDEX of --shards N), Slurm job arrays ((ID - MIN) / STEP of COUNT,
    for ids that are a regular range), AWS Batch array jobs (INDEX of SIZE); else the whole
    file. An environment that cannot be read as a shard is refused, never guessed. */
inline checked<shard_spec> resolve_shard(std::optional<std::string> const& flag, std::optional<std::string> const& shards,
                                         crowd::environment const& env)
{
    auto number = [](std::optional<std::string> const& text) -> std::optional<long long> {
        if (!text)
            return std::nullopt;
        std::string_view t = *text;
        bool const negative = t.starts_with('-');
        auto n = parse_count(negative ? t.substr(1) : t);
        if (!n || *n > (1ull << 40))
            return std::nullopt;
        return negative ? -static_cast<long long>(*n) : static_cast<long long>(*n);
    };
    if (flag) {
        auto const slash = flag->find('/');
        auto const i = slash == std::string::npos ? std::nullopt : number(flag->substr(0, slash));
        auto const n = slash == std::string::npos ? std::nullopt : number(flag->substr(slash + 1));
        if (!i || !n || *n < 1 || *i < 0 || *i >= *n)
            return "--shard takes I/N with 0 <= I < N, not \"" + *flag + "\"";
        return shard_spec{static_cast<std::size_t>(*i), static_cast<std::size_t>(*n)};
    }
    if (auto const k8s = env("JOB_COMPLETION_INDEX")) {
        auto const i = number(k8s);
        auto const n = number(shards);
        if (!shards)
            return "JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job): give --shards N, the Job's completions";
        if (!i || !n || *n < 1 || *i < 0 || *i >= *n)
            return "JOB_COMPLETION_INDEX=" + *k8s + " is not a shard of --shards " + *shards;
        return shard_spec{static_cast<std::size_t>(*i), static_cast<std::size_t>(*n)};
    }
    if (shards)
        return "--shards needs JOB_COMPLETION_INDEX (a Kubernetes Indexed Job); elsewhere give --shard I/N";
    if (auto const slurm = env("SLURM_ARRAY_TASK_ID")) {
        auto const id = number(slurm);
        auto const min = number(env("SLURM_ARRAY_TASK_MIN"));
        auto const max = number(env("SLURM_ARRAY_TASK_MAX"));
        auto const count = number(env("SLURM_ARRAY_TASK_COUNT"));
        auto const step = env("SLURM_ARRAY_TASK_STEP") ? number(env("SLURM_ARRAY_TASK_STEP")) : std::optional<long long>(1);
        if (!id || !min || !max || !count || !step || *step < 1)
            return std::string("a Slurm job array without SLURM_ARRAY_TASK_MIN, _MAX, _COUNT (and a positive _STEP): "
                               "cannot tell the shard; give --shard I/N");
        bool const regular = *max >= *min && (*max - *min) % *step == 0 && (*max - *min) / *step + 1 == *count &&
                             *id >= *min && *id <= *max && (*id - *min) % *step == 0;
        if (!regular)
            return "Slurm array task " + *slurm + " of ids " + std::to_string(*min) + ".." + std::to_string(*max) +
                   " step " + std::to_string(*step) + ", " + std::to_string(*count) +
                   " tasks: not a regular range (--array=1-10 or 1-7:2 are), so a shard could be lost; give --shard I/N";
        return shard_spec{static_cast<std::size_t>((*id - *min) / *step), static_cast<std::size_t>(*count)};
    }
    if (auto const aws = env("AWS_BATCH_JOB_ARRAY_INDEX")) {
        auto const i = number(aws);
        auto const n = number(env("AWS_BATCH_JOB_ARRAY_SIZE"));
        if (!i || !n || *n < 1 || *i < 0 || *i >= *n)
            return "AWS_BATCH_JOB_ARRAY_INDEX=" + *aws + " is not a shard of AWS_BATCH_JOB_ARRAY_SIZE";
        return shard_spec{static_cast<std::size_t>(*i), static_cast<std::size_t>(*n)};
    }
    return shard_spec{};
}

/// A task's key in both files: its function and name.
inline std::string task_key(std::string_view function, std::string_view name)
{
    std::string key(function);
    key += '\n';
    key += name;
    return key;
}

/** Reads one input line: an object of "taskName", "input" and, optionally, "function"
    (else `default_function`; its -test twin with `test`), the input checked against the
    function's typed schema when it is a documented one. */
inline checked<crowd::batch::batch_task<crowd::untyped_function>> parse_task_line(std::string_view text,
                                                                                   std::string const& default_function,
                                                                                   bool test)
{
    boost::system::error_code ec;
    auto line = boost::json::parse(text, ec);
    if (ec)
        return "not JSON: " + ec.message();
    auto const* object = line.if_object();
    if (!object)
        return std::string("not a JSON object");
    for (auto const& member : *object)
        if (member.key() != "taskName" && member.key() != "input" && member.key() != "function")
            return "unknown key \"" + std::string(member.key()) + "\" (a line has taskName, input and function)";
    auto const* name_text = object->if_contains("taskName");
    if (!name_text || !name_text->is_string())
        return std::string("no \"taskName\" string");
    auto name = crowd::task_name::parse_with_reason(std::string_view(name_text->get_string()));
    if (!name)  // the detail quotes the name and says which character, where
        return "taskName " + std::string(name.error().detail());
    std::string function = default_function;
    if (auto const* named = object->if_contains("function")) {
        if (!named->is_string())
            return std::string("\"function\" is not a string");
        function = std::string(named->get_string());
    }
    if (test && !function.ends_with("-test"))
        function += "-test";
    if (auto valid = crowd::detail::check_function(function); !valid)
        return "function \"" + function + "\": " + std::string(valid.error().detail().empty()
                                                                     ? valid.error().code().message()
                                                                     : valid.error().detail());
    auto const* input = object->if_contains("input");
    if (!input)
        return std::string("no \"input\"");
    if (auto checked_input = crowd::functions::check_input(function, *input); !checked_input)
        return "input: " + std::string(checked_input.error().detail());
    return crowd::batch::batch_task<crowd::untyped_function>{std::move(function), *name, std::move(*input)};
}

/// What follows a file's last newline: a last line without its own, at `offset`.
struct line_tail {
    std::string text;
    std::uint64_t offset = 0;
};

/** Reads `fd` from where it stands, a block at a time (a file of a million lines is never
    held whole), calling `line(text, offset, number)` for each line a newline ends; a
    message from `line` stops the reading with it, prefixed with the line's place. Returns
    what follows the last newline. Lines over 64 MiB are refused. */
template <class OnLine>
checked<line_tail> for_each_line(int fd, std::string const& path, OnLine&& line)
{
    // A tail holds a string: a message must be said to be the error.
    auto const refused = [](std::string why) { return checked<line_tail>(boost::system::in_place_error, std::move(why)); };
    line_tail tail;
    std::size_t number = 0;
    char buffer[1 << 16];
    for (;;) {
        auto const got = ::read(fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return refused("cannot read " + path + ": " + std::strerror(errno));
        if (got == 0)
            return tail;
        tail.text.append(buffer, static_cast<std::size_t>(got));
        std::size_t start = 0;
        for (auto end = tail.text.find('\n'); end != std::string::npos; end = tail.text.find('\n', start)) {
            ++number;
            if (checked<void> taken = line(std::string_view(tail.text).substr(start, end - start), tail.offset, number);
                !taken)
                return refused(path + ":" + std::to_string(number) + ": " + taken.error());
            tail.offset += end - start + 1;
            start = end + 1;
        }
        tail.text.erase(0, start);
        if (tail.text.size() > (64u << 20))
            return refused(path + ":" + std::to_string(number + 1) + ": a line longer than 64 MiB");
    }
}

/** The task lines of a file: checked once, all of them, before anything is sent; then
    each is read again from the file when its PUT can go (the batch never holds the inputs). */
class task_lines {
public:
    struct bad_line {
        std::size_t line;  // from 1
        std::string why;
    };
    std::vector<bad_line> bad;

    task_lines(task_lines&& other) noexcept
        : bad(std::move(other.bad)), fd_(std::exchange(other.fd_, -1)), lines_(std::move(other.lines_)),
          default_function_(std::move(other.default_function_)), test_(other.test_)
    {
    }
    task_lines& operator=(task_lines&&) = delete;
    ~task_lines()
    {
        if (fd_ >= 0)
            ::close(fd_);
    }

    static checked<task_lines> load(std::string const& path, std::string default_function, bool test, shard_spec shard)
    {
        task_lines out(std::move(default_function), test);
        out.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (out.fd_ < 0)
            return "cannot read " + path + ": " + std::strerror(errno);
        std::unordered_set<std::string> seen;
        std::size_t last_number = 0;
        auto take_line = [&](std::string_view line, std::uint64_t at, std::size_t number) -> checked<void> {
            last_number = number;
            if ((number - 1) % shard.count != shard.index)
                return {};  // another shard's
            if (line.find_first_not_of(" \t\r") == std::string_view::npos)
                return {};  // a blank line is no task
            auto task = parse_task_line(line, out.default_function_, out.test_);
            if (!task) {
                out.bad.push_back({number, task.error()});
                return {};
            }
            auto key = task_key(task->function, task->name.view());
            if (!seen.insert(key).second) {
                out.bad.push_back({number, "task \"" + std::string(task->name.view()) + "\" of " + task->function +
                                               " again (each task once in a batch)"});
                return {};
            }
            out.lines_.push_back({at, static_cast<std::uint32_t>(line.size()), std::move(key)});
            return {};
        };
        auto tail = for_each_line(out.fd_, path, take_line);
        if (!tail)
            return tail.error();
        if (!tail->text.empty())
            (void)take_line(tail->text, tail->offset, last_number + 1);  // the last line, without its newline
        return out;
    }

    std::size_t valid_count() const noexcept { return lines_.size(); }

    /// The valid lines whose task is not in `done`, in the file's order.
    std::vector<std::size_t> not_in(std::unordered_set<std::string> const& done) const
    {
        std::vector<std::size_t> out;
        for (std::size_t i = 0; i != lines_.size(); ++i)
            if (!done.contains(lines_[i].key))
                out.push_back(i);
        return out;
    }

    /// Valid line `i`, read again from the file.
    checked<crowd::batch::batch_task<crowd::untyped_function>> read(std::size_t i) const
    {
        auto const& ref = lines_[i];
        std::string text(ref.length, '\0');
        std::size_t got = 0;
        while (got < text.size()) {
            auto const n = ::pread(fd_, text.data() + got, text.size() - got, static_cast<off_t>(ref.offset + got));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return std::string("the task file changed while the batch ran (cannot read a checked line again)");
            got += static_cast<std::size_t>(n);
        }
        auto task = parse_task_line(text, default_function_, test_);
        if (!task || task_key(task->function, task->name.view()) != ref.key)
            return std::string("the task file changed while the batch ran (a checked line reads otherwise now)");
        return task;
    }

private:
    struct line_ref {
        std::uint64_t offset;
        std::uint32_t length;
        std::string key;
    };
    task_lines(std::string default_function, bool test) : default_function_(std::move(default_function)), test_(test) {}

    int fd_ = -1;
    std::vector<line_ref> lines_;
    std::string default_function_;
    bool test_ = false;
};

inline checked<task_lines> read_task_lines(std::string const& path, std::string default_function, bool test,
                                           shard_spec shard)
{
    return task_lines::load(path, std::move(default_function), test, shard);
}

/** The results file: the tasks it already holds (a run before this one), a last line cut
    short by a kill removed, and each new line appended whole and handed to the kernel
    at once (one write(2) of an O_APPEND file: a SIGKILL after it loses nothing). */
class results_file {
public:
    results_file(results_file&& other) noexcept : fd_(std::exchange(other.fd_, -1)), done_(std::move(other.done_)) {}
    results_file& operator=(results_file&&) = delete;
    ~results_file()
    {
        if (fd_ >= 0)
            ::close(fd_);
    }

    static checked<results_file> open(std::string const& path)
    {
        results_file out;
        out.fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (out.fd_ < 0)
            return "cannot open " + path + ": " + std::strerror(errno);
        auto tail = for_each_line(out.fd_, path, [&](std::string_view line, std::uint64_t, std::size_t) {
            return out.take_line(line);
        });
        if (!tail)
            return tail.error();
        if (!tail->text.empty()) {
            // A line cut short by a kill: removed, and its task done again.
            if (::ftruncate(out.fd_, static_cast<off_t>(tail->offset)) != 0)
                return "cannot repair " + path + " (a last line cut short): " + std::strerror(errno);
            std::fprintf(stderr, "crowd: batch: %s: removed a last line cut short (its task is done again)\n",
                         path.c_str());
        }
        return out;
    }

    std::unordered_set<std::string> const& done() const noexcept { return done_; }

    /// Appends `line` and a newline in one write.
    checked<void> append(std::string line)
    {
        line += '\n';
        std::size_t written = 0;
        while (written < line.size()) {
            auto const n = ::write(fd_, line.data() + written, line.size() - written);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                return std::string("cannot write a result: ") + std::strerror(errno);
            written += static_cast<std::size_t>(n);
        }
        return {};
    }

private:
    results_file() = default;

    // A complete line of the file: the task it holds is done.
    checked<void> take_line(std::string_view line)
    {
        if (line.empty())
            return {};
        boost::system::error_code ec;
        auto const value = boost::json::parse(line, ec);
        auto const* object = ec ? nullptr : value.if_object();
        auto const* function = object ? object->if_contains("function") : nullptr;
        auto const* name = object ? object->if_contains("taskName") : nullptr;
        if (!function || !function->is_string() || !name || !name->is_string())
            return std::string("not a line of crowd batch (no \"function\" and \"taskName\"); give another --out");
        done_.insert(task_key(function->get_string(), name->get_string()));
        return {};
    }

    int fd_ = -1;
    std::unordered_set<std::string> done_;
};

/// One task's line: the finished task document with its function, or the task and its error.
inline std::string outcome_line(crowd::batch::task_outcome<crowd::untyped_function> const& outcome)
{
    boost::json::object line;
    line["function"] = outcome.function;
    if (outcome.task) {
        for (auto const& member : outcome.task->raw)
            line.emplace(member.key(), member.value());
        return boost::json::serialize(line);
    }
    auto const& e = outcome.task.error();
    line["taskName"] = outcome.name.view();
    boost::json::object error{{"message", e.code().message()}, {"category", e.code().category().name()},
                              {"value", e.code().value()}};
    if (!e.detail().empty())
        error["detail"] = e.detail();
    if (e.http_status() != 0)
        error["httpStatus"] = e.http_status();
    if (!e.request_id().empty())
        error["requestId"] = e.request_id();
    line["error"] = std::move(error);
    return boost::json::serialize(line);
}

}  // namespace crowd_cli

#endif
