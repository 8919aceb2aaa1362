// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_HTTP_MESSAGE_HPP
#define MTURK_CROWD_HTTP_MESSAGE_HPP

#include <boost/throw_exception.hpp>

#include <algorithm>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <limits>
#include <stdexcept>
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

/// One header field, as `http_fields` hands it out: views of its storage, valid until
/// the fields are next changed.
struct http_field {
    std::string_view name;
    std::string_view value;

    friend bool operator==(http_field const&, http_field const&) = default;
};

/** Header fields in the order they were added. Names compare without regard to case;
    a name may repeat (the signer joins repeated fields, as SigV4 says).

    Every name and value is kept in one buffer, so a message's fields cost two
    allocations however many there are (none once `reserve`d, or when reused after
    `clear`). What `find` and iteration give are views of that buffer: valid until the
    fields are next changed. */
class http_fields {
    // Where one field's name and value are in text_.
    struct entry {
        std::uint32_t name_at;
        std::uint32_t name_size;
        std::uint32_t value_at;
        std::uint32_t value_size;
    };

public:
    /// Iterates the fields as `http_field` values (views into the buffer).
    class const_iterator {
    public:
        using iterator_category = std::random_access_iterator_tag;
        using value_type = http_field;
        using difference_type = std::ptrdiff_t;
        using reference = http_field;
        struct pointer {
            http_field field;
            http_field const* operator->() const noexcept { return &field; }
        };

        const_iterator() = default;
        http_field operator*() const noexcept { return owner_->field_at(index_); }
        pointer operator->() const noexcept { return {**this}; }
        http_field operator[](difference_type n) const noexcept { return *(*this + n); }
        const_iterator& operator++() noexcept { ++index_; return *this; }
        const_iterator operator++(int) noexcept { auto old = *this; ++index_; return old; }
        const_iterator& operator--() noexcept { --index_; return *this; }
        const_iterator operator--(int) noexcept { auto old = *this; --index_; return old; }
        const_iterator& operator+=(difference_type n) noexcept { index_ = static_cast<std::size_t>(static_cast<difference_type>(index_) + n); return *this; }
        const_iterator& operator-=(difference_type n) noexcept { return *this += -n; }
        friend const_iterator operator+(const_iterator i, difference_type n) noexcept { return i += n; }
        friend const_iterator operator+(difference_type n, const_iterator i) noexcept { return i += n; }
        friend const_iterator operator-(const_iterator i, difference_type n) noexcept { return i -= n; }
        friend difference_type operator-(const_iterator const& a, const_iterator const& b) noexcept
        {
            return static_cast<difference_type>(a.index_) - static_cast<difference_type>(b.index_);
        }
        friend bool operator==(const_iterator const& a, const_iterator const& b) noexcept { return a.index_ == b.index_; }
        friend auto operator<=>(const_iterator const& a, const_iterator const& b) noexcept { return a.index_ <=> b.index_; }

    private:
        friend class http_fields;
        const_iterator(http_fields const* owner, std::size_t index) noexcept : owner_(owner), index_(index) {}

        http_fields const* owner_ = nullptr;
        std::size_t index_ = 0;
    };

    /// Room for `fields` fields of `bytes` bytes of names and values in all, so that
    /// adding them allocates nothing more.
    void reserve(std::size_t fields, std::size_t bytes)
    {
        entries_.reserve(fields);
        text_.reserve(bytes);
    }

    /// Removes every field, keeping the storage for the next ones.
    void clear() noexcept
    {
        entries_.clear();
        text_.clear();
        unused_ = 0;
    }

    /// Appends a field, keeping any others of the same name.
    void add(std::string_view name, std::string_view value)
    {
        // A value that is a view of this buffer is found again after appending the name,
        // which may move the buffer (one append copes with its own argument, not two).
        auto const value_offset = offset_in_buffer(value);
        entry e{};
        e.name_at = append(name);
        e.name_size = static_cast<std::uint32_t>(name.size());
        if (value_offset)
            value = std::string_view(text_.data() + *value_offset, value.size());
        e.value_at = append(value);
        e.value_size = static_cast<std::uint32_t>(value.size());
        entries_.push_back(e);
    }

    /// Gives the first field named `name` this value and removes the others of that
    /// name, or appends one. A value no longer than the one it replaces is written in
    /// its place, so setting a field again (re-signing a request for a retry) reuses the
    /// storage.
    void set(std::string_view name, std::string_view value)
    {
        auto first = std::find_if(entries_.begin(), entries_.end(),
                                  [&](entry const& e) { return detail::iequals(name_of(e), name); });
        if (first == entries_.end()) {
            add(name, value);
            return;
        }
        auto const index = static_cast<std::size_t>(first - entries_.begin());
        // The others of that name go first, while `name` (which may be a view of this
        // buffer) is still where it was: appending the value may move the buffer.
        remove_named(name, index + 1);
        entry& e = entries_[index];
        if (value.size() <= e.value_size) {
            unused_ += e.value_size - value.size();
            // move, not copy: `value` may be a view of this very buffer
            std::char_traits<char>::move(text_.data() + e.value_at, value.data(), value.size());
        } else {
            unused_ += e.value_size;
            e.value_at = append(value);  // may move text_ (one append copes with `value` inside it)
        }
        e.value_size = static_cast<std::uint32_t>(value.size());
        compact_if_wasteful();
    }

    /// Removes every field named `name`; returns how many there were.
    std::size_t erase(std::string_view name)
    {
        auto const before = entries_.size();
        remove_named(name, 0);
        compact_if_wasteful();
        return before - entries_.size();
    }

    /// The value of the first field named `name`.
    std::optional<std::string_view> find(std::string_view name) const noexcept
    {
        for (auto const& e : entries_)
            if (detail::iequals(name_of(e), name))
                return value_of(e);
        return std::nullopt;
    }

    bool contains(std::string_view name) const noexcept { return find(name).has_value(); }
    std::size_t size() const noexcept { return entries_.size(); }
    bool empty() const noexcept { return entries_.empty(); }
    const_iterator begin() const noexcept { return {this, 0}; }
    const_iterator end() const noexcept { return {this, entries_.size()}; }

    /// The same fields in the same order (names and values compared as written).
    friend bool operator==(http_fields const& a, http_fields const& b) noexcept
    {
        return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
    }

private:
    std::string_view name_of(entry const& e) const noexcept { return {text_.data() + e.name_at, e.name_size}; }
    std::string_view value_of(entry const& e) const noexcept { return {text_.data() + e.value_at, e.value_size}; }
    http_field field_at(std::size_t i) const noexcept { return {name_of(entries_[i]), value_of(entries_[i])}; }

    // Where `s` starts in text_, when it is a view of it.
    std::optional<std::size_t> offset_in_buffer(std::string_view s) const noexcept
    {
        char const* const begin = text_.data();
        if (s.empty() || std::less<char const*>()(s.data(), begin) ||
            !std::less<char const*>()(s.data(), begin + text_.size()))
            return std::nullopt;
        return static_cast<std::size_t>(s.data() - begin);
    }

    std::uint32_t append(std::string_view s)
    {
        // Offsets are 32-bit: a message's header fields are kilobytes (a parsed answer's
        // at most Beast's header limit), so more than 4 GiB of them is refused as
        // std::string refuses what does not fit, never wrapped.
        if (s.size() > std::numeric_limits<std::uint32_t>::max() - text_.size())
            boost::throw_exception(std::length_error("mturk::crowd::http_fields: more than 4 GiB of header fields"));
        auto const at = static_cast<std::uint32_t>(text_.size());
        text_.append(s.data(), s.size());
        return at;
    }

    // Removes the fields named `name` from entry `from` on; their bytes become unused.
    void remove_named(std::string_view name, std::size_t from)
    {
        auto const kept = std::remove_if(entries_.begin() + static_cast<std::ptrdiff_t>(from), entries_.end(),
                                         [&](entry const& e) {
                                             if (!detail::iequals(name_of(e), name))
                                                 return false;
                                             unused_ += e.name_size + e.value_size;
                                             return true;
                                         });
        entries_.erase(kept, entries_.end());
    }

    // Rewrites the buffer without the bytes of removed and replaced values once they are
    // most of it, so that a message re-signed many times does not grow without bound.
    void compact_if_wasteful()
    {
        if (unused_ < 1024 || unused_ < text_.size() / 2)
            return;
        std::string packed;
        packed.reserve(text_.size() - unused_);
        for (auto& e : entries_) {
            auto const name = name_of(e);
            auto const value = value_of(e);
            e.name_at = static_cast<std::uint32_t>(packed.size());
            packed.append(name);
            e.value_at = static_cast<std::uint32_t>(packed.size());
            packed.append(value);
        }
        text_ = std::move(packed);
        unused_ = 0;
    }

    std::string text_;            // every name and value, back to back
    std::vector<entry> entries_;  // in the order added
    std::size_t unused_ = 0;      // bytes of text_ no entry points at
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
