// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_DETAIL_SMALL_VECTOR_HPP
#define MTURK_CROWD_DETAIL_SMALL_VECTOR_HPP

#include <array>
#include <cstddef>
#include <type_traits>
#include <vector>

namespace mturk::crowd::detail {

/// Up to N trivially copyable elements in place, more on the heap: the signer's
/// scratch space, so that a request of ordinary size signs without allocating.
template <class T, std::size_t N>
class small_vector {
    static_assert(std::is_trivially_copyable_v<T>);

public:
    void push_back(T const& value)
    {
        if (size_ < N) {
            inline_[size_] = value;
        } else {
            if (size_ == N)
                heap_.assign(inline_.begin(), inline_.end());
            heap_.push_back(value);
        }
        ++size_;
    }
    void pop_back() noexcept
    {
        if (size_ > N)
            heap_.pop_back();
        --size_;
    }
    T* data() noexcept { return size_ > N ? heap_.data() : inline_.data(); }
    T const* data() const noexcept { return size_ > N ? heap_.data() : inline_.data(); }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    T& operator[](std::size_t i) noexcept { return data()[i]; }
    T const& operator[](std::size_t i) const noexcept { return data()[i]; }
    T& back() noexcept { return data()[size_ - 1]; }
    T* begin() noexcept { return data(); }
    T* end() noexcept { return data() + size_; }
    T const* begin() const noexcept { return data(); }
    T const* end() const noexcept { return data() + size_; }

private:
    std::array<T, N> inline_{};
    std::vector<T> heap_;
    std::size_t size_ = 0;
};

}  // namespace mturk::crowd::detail

#endif
