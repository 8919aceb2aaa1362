// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TELEMETRY_IMPL_TRACES_IPP
#define MTURK_CROWD_TELEMETRY_IMPL_TRACES_IPP

#include <mturk/crowd/telemetry/traces.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mturk::crowd::telemetry {
namespace detail {

/// The spans still open, by call id, and how ids are made.
struct open_spans {
    struct attempt {
        std::string span_id;
        std::chrono::system_clock::time_point start;
    };
    struct call {
        std::string trace_id, span_id, parent_span_id;
        std::string name, rpc_method, function, task, call_id;
        std::chrono::system_clock::time_point start;
        std::map<std::string, attempt, std::less<>> attempts;  // by invocation id and attempt number
    };

    std::function<void(span_record const&)> export_span;
    trace_options options;
    std::mutex mutex;
    std::mt19937_64 random{std::random_device{}()};
    std::unordered_map<std::string, call> calls;

    // Random ids, never all zero (W3C: an all-zero id is invalid). Needs the lock.
    std::string hex_id(std::size_t digits)
    {
        constexpr char hex[] = "0123456789abcdef";
        for (;;) {
            std::string out;
            while (out.size() < digits) {
                auto bits = random();
                for (int i = 0; i != 16 && out.size() < digits; ++i, bits >>= 4)
                    out += hex[bits & 0xF];
            }
            if (out.find_first_not_of('0') != std::string::npos)
                return out;
        }
    }
};

inline std::string attempt_key(attempt_identity const& id)
{
    return std::string(id.invocation_id) + "#" + std::to_string(id.attempt);
}

}  // namespace detail

MTURK_CROWD_DECL client_hooks trace_hooks(std::function<void(span_record const&)> export_span, client_hooks next,
                                          trace_options options)
{
    auto spans = std::make_shared<detail::open_spans>();
    spans->export_span = std::move(export_span);
    spans->options = std::move(options);
    client_hooks hooks = next;

    hooks.on_call_started = [spans, chained = std::move(next.on_call_started)](call_started const& started) {
        auto const& id = started.id;
        std::optional<trace_context> parent;
        if (spans->options.parent)
            parent = spans->options.parent();
        {
            std::lock_guard<std::mutex> lock(spans->mutex);
            detail::open_spans::call c;
            c.trace_id = parent ? parent->trace_id : spans->hex_id(32);
            c.parent_span_id = parent ? parent->span_id : std::string();
            c.span_id = spans->hex_id(16);
            c.rpc_method = std::string(id.rpc_method);
            c.name = "crowd." + c.rpc_method;
            c.function = std::string(id.function);
            c.task = std::string(id.task);
            c.call_id = std::string(id.call_id);
            c.start = std::chrono::system_clock::now();
            spans->calls[c.call_id] = std::move(c);
        }
        if (chained)
            chained(started);
    };

    hooks.before_signing = [spans, chained = std::move(next.before_signing)](request_to_sign const& r) {
        {
            std::lock_guard<std::mutex> lock(spans->mutex);
            auto const found = spans->calls.find(std::string(r.id.call_id));
            if (found != spans->calls.end()) {
                auto& a = found->second.attempts[detail::attempt_key(r.id)];
                a.span_id = spans->hex_id(16);
                a.start = std::chrono::system_clock::now();
                // The attempt's context goes out: the server's spans become its children.
                r.fields.set("traceparent", "00-" + found->second.trace_id + "-" + a.span_id + "-01");
            }
        }
        if (chained)
            chained(r);
    };

    hooks.after_attempt = [spans, chained = std::move(next.after_attempt)](attempt_finished const& a) {
        std::optional<detail::open_spans::attempt> ended;
        std::string trace_id, parent, name;
        {
            std::lock_guard<std::mutex> lock(spans->mutex);
            auto const found = spans->calls.find(std::string(a.id.call_id));
            if (found != spans->calls.end()) {
                auto const at = found->second.attempts.find(detail::attempt_key(a.id));
                if (at != found->second.attempts.end()) {
                    ended = std::move(at->second);
                    found->second.attempts.erase(at);
                    trace_id = found->second.trace_id;
                    parent = found->second.span_id;
                    name = found->second.name + " attempt";
                }
            }
        }
        if (ended) {
            std::string const attempt_number = std::to_string(a.id.attempt);
            std::string const status = a.response ? std::to_string(a.response->status) : std::string();
            std::string const method = a.id.operation == "create"   ? "PUT"
                                       : a.id.operation == "remove" ? "DELETE"
                                                                    : "GET";
            std::vector<attribute> attributes{{"rpc.system", "aws-api"},
                                              {"rpc.service", "crowd"},
                                              {"rpc.method", rpc_method_of(a.id.operation)},
                                              {"aws.invocation_id", a.id.invocation_id},
                                              {"aws.attempt", attempt_number},
                                              {"http.request.method", method}};
            if (a.response) {
                attributes.push_back({"http.response.status_code", status});
                if (auto id = a.response->request_id())
                    attributes.push_back({"aws.request_id", *id});
            }
            bool const failed = a.failure != nullptr;
            std::string const type = a.failure ? error_type(*a.failure) : std::string();
            std::string const message = a.failure ? a.failure->what() : std::string();
            if (failed)
                attributes.push_back({"error.type", type});
            spans->export_span({.name = name,
                                .trace_id = trace_id,
                                .span_id = ended->span_id,
                                .parent_span_id = parent,
                                .start = ended->start,
                                .end = std::chrono::system_clock::now(),
                                .failed = failed,
                                .status_message = message,
                                .attributes = attributes});
        }
        if (chained)
            chained(a);
    };

    hooks.on_call_finished = [spans, chained = std::move(next.on_call_finished)](call_finished const& end) {
        std::optional<detail::open_spans::call> ended;
        {
            std::lock_guard<std::mutex> lock(spans->mutex);
            auto const found = spans->calls.find(std::string(end.id.call_id));
            if (found != spans->calls.end()) {
                ended = std::move(found->second);
                spans->calls.erase(found);
            }
        }
        if (ended) {
            std::string const attempts = std::to_string(end.attempts);
            std::vector<attribute> attributes{{"rpc.system", "aws-api"},
                                              {"rpc.service", "crowd"},
                                              {"rpc.method", ended->rpc_method},
                                              {"aws.crowd.function", ended->function},
                                              {"aws.crowd.task", ended->task},
                                              {"aws.invocation_id", ended->call_id},
                                              {"aws.attempts", attempts}};
            std::string const type = end.failure ? error_type(*end.failure) : std::string();
            std::string const message = end.failure ? end.failure->what() : std::string();
            if (end.failure)
                attributes.push_back({"error.type", type});
            if (end.creation)
                attributes.push_back({"aws.crowd.creation", to_string(*end.creation)});
            spans->export_span({.name = ended->name,
                                .trace_id = ended->trace_id,
                                .span_id = ended->span_id,
                                .parent_span_id = ended->parent_span_id,
                                .start = ended->start,
                                .end = std::chrono::system_clock::now(),
                                .failed = end.failure != nullptr,
                                .status_message = message,
                                .attributes = attributes});
        }
        if (chained)
            chained(end);
    };
    return hooks;
}

}  // namespace mturk::crowd::telemetry

#endif
