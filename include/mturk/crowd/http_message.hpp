// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_HTTP_MESSAGE_HPP
#define MTURK_CROWD_HTTP_MESSAGE_HPP

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

/* The neutral messages a transport carries. They name no HTTP library, so that a
   user's transport (libcurl, an embedded stack, a fake in a test) needs nothing but
   these headers. Where to connect is the transport's configuration, not the
   message's: the `Host` field says which host the request is for. */
namespace mturk::crowd {

enum class http_method { get, put, delete_, post };

constexpr std::string_view to_string(http_method method) noexcept
{
    switch (method) {
    case http_method::get: return "GET";
    case http_method::put: return "PUT";
    case http_method::delete_: return "DELETE";
    case http_method::post: return "POST";
    }
    return "UNKNOWN";
}

namespace detail {

constexpr char ascii_lower(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool iequals(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i != a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i]))
            return false;
    return true;
}

}  // namespace detail

struct http_field {
    std::string name;
    std::string value;

    friend bool operator==(http_field const&, http_field const&) = default;
};

/** Header fields in the order they were added. Names compare without regard to case;
    a name may repeat (the signer joins repeated fields, as SigV4 says). */
class http_fields {
public:
    using const_iterator = std::vector<http_field>::const_iterator;

    /// Appends a field, keeping any others of the same name.
    void add(std::string name, std::string value) { fields_.push_back({std::move(name), std::move(value)}); }

    /// Gives the first field named `name` this value and removes the others of that
    /// name, or appends one. The value is assigned in place, so setting a field again
    /// (re-signing a request for a retry) reuses its storage.
    void set(std::string_view name, std::string_view value)
    {
        auto first = std::find_if(fields_.begin(), fields_.end(),
                                  [&](http_field const& f) { return detail::iequals(f.name, name); });
        if (first == fields_.end()) {
            fields_.push_back({std::string(name), std::string(value)});
            return;
        }
        first->value.assign(value);
        auto const index = first - fields_.begin();
        fields_.erase(std::remove_if(fields_.begin() + index + 1, fields_.end(),
                                     [&](http_field const& f) { return detail::iequals(f.name, name); }),
                      fields_.end());
    }

    /// Removes every field named `name`; returns how many there were.
    std::size_t erase(std::string_view name)
    {
        return std::erase_if(fields_, [&](http_field const& f) { return detail::iequals(f.name, name); });
    }

    /// The value of the first field named `name`.
    std::optional<std::string_view> find(std::string_view name) const noexcept
    {
        for (auto const& f : fields_)
            if (detail::iequals(f.name, name))
                return std::string_view(f.value);
        return std::nullopt;
    }

    bool contains(std::string_view name) const noexcept { return find(name).has_value(); }
    std::size_t size() const noexcept { return fields_.size(); }
    bool empty() const noexcept { return fields_.empty(); }
    const_iterator begin() const noexcept { return fields_.begin(); }
    const_iterator end() const noexcept { return fields_.end(); }

    friend bool operator==(http_fields const&, http_fields const&) = default;

private:
    std::vector<http_field> fields_;
};

/// A request as the client hands it to a transport, after signing.
struct http_request {
    http_method method = http_method::get;
    std::string target;   ///< origin form: "/123456789012/functions/f/tasks/t", plus "?query" if any
    http_fields fields;   ///< every field to send, `Host` included
    std::string body;     ///< sent as is; its SHA-256 is what the signature covers
};

/// A response as a transport hands it back.
struct http_response {
    unsigned status = 0;
    http_fields fields;
    std::string body;
    /// The transport sent the request more than once (a kept-alive connection failed
    /// first), so an earlier copy may have been acted on: a DELETE that now finds no task
    /// deleted it itself.
    bool resent = false;

    /// The service's request id, from `x-amzn-RequestId` (API Gateway) or `x-amz-request-id`.
    std::optional<std::string_view> request_id() const noexcept
    {
        if (auto id = fields.find("x-amzn-RequestId"))
            return id;
        return fields.find("x-amz-request-id");
    }
};

}  // namespace mturk::crowd

#endif
