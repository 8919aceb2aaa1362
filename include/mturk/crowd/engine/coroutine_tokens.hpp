// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_ENGINE_COROUTINE_TOKENS_HPP
#define MTURK_CROWD_ENGINE_COROUTINE_TOKENS_HPP

#include <type_traits>

/* What the client needs to know of a completion token before the asynchronous runner is
   included: whether it resumes a coroutine, where g++ 12 mishandles temporaries. */
namespace mturk::crowd::detail {

/// Whether a completion token resumes a coroutine (`asio::use_awaitable`);
/// <mturk/crowd/engine/async_runner.hpp> says which do.
template <class Token>
struct resumes_coroutine : std::false_type {};

/// g++ before 13 destroys a temporary bound in a `co_await` expression twice.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
inline constexpr bool co_await_destroys_temporaries_twice = true;
#else
inline constexpr bool co_await_destroys_temporaries_twice = false;
#endif

}  // namespace mturk::crowd::detail

#endif
