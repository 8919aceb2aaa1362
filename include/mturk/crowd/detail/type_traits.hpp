// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_DETAIL_TYPE_TRAITS_HPP
#define MTURK_CROWD_DETAIL_TYPE_TRAITS_HPP

#include <optional>
#include <type_traits>
#include <vector>

namespace mturk::crowd::detail {

/// For `static_assert`s that must fire only when a template is instantiated.
template <class T>
inline constexpr bool dependent_false = false;

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};

}  // namespace mturk::crowd::detail

#endif
