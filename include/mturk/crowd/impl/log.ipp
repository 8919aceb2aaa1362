// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_IMPL_LOG_IPP
#define MTURK_CROWD_IMPL_LOG_IPP

#include <mturk/crowd/detail/iso8601.hpp>
#include <mturk/crowd/detail/json_text.hpp>
#include <mturk/crowd/log.hpp>

#include <cctype>
#include <memory>
#include <mutex>

namespace mturk::crowd {

MTURK_CROWD_DECL std::string format_log_line(log_record const& record, log_format format)
{
    std::string const time = detail::format_iso8601_utc(record.time, true);
    std::string out;
    out.reserve(96 + record.message.size());
    if (format == log_format::json) {
        out += "{\"time\":";
        detail::append_json_string(out, time);
        out += ",\"level\":";
        detail::append_json_string(out, to_string(record.level));
        out += ",\"component\":";
        detail::append_json_string(out, record.component);
        if (!record.invocation_id.empty()) {
            out += ",\"invocation_id\":";
            detail::append_json_string(out, record.invocation_id);
        }
        if (record.attempt != 0)
            out += ",\"attempt\":" + std::to_string(record.attempt);
        out += ",\"message\":";
        std::string_view message = record.message;
        while (!message.empty() && message.back() == '\n')
            message.remove_suffix(1);
        detail::append_json_string(out, message);
        out += '}';
        return out;
    }
    out += time;
    out += ' ';
    for (char c : to_string(record.level))
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out += ' ';
    out += record.component;
    if (!record.invocation_id.empty()) {
        out += " [";
        out += record.invocation_id;
        if (record.attempt != 0)
            out += " #" + std::to_string(record.attempt);
        out += ']';
    }
    out += ' ';
    // A message of several lines (a request's headers) continues indented, so that every
    // line that starts at the margin starts a record.
    std::string_view message = record.message;
    while (!message.empty() && message.back() == '\n')
        message.remove_suffix(1);
    for (char c : message) {
        out += c;
        if (c == '\n')
            out += "    ";
    }
    return out;
}

MTURK_CROWD_DECL std::function<void(log_record const&)> log_to_stream(std::FILE* stream, log_format format)
{
    auto lock = std::make_shared<std::mutex>();
    return [stream, format, lock](log_record const& record) {
        std::string line = format_log_line(record, format);
        line += '\n';
        std::lock_guard<std::mutex> hold(*lock);
        std::fwrite(line.data(), 1, line.size(), stream);
        std::fflush(stream);
    };
}

}  // namespace mturk::crowd

#endif
