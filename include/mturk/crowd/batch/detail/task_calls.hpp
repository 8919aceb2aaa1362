// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_BATCH_DETAIL_TASK_CALLS_HPP
#define MTURK_CROWD_BATCH_DETAIL_TASK_CALLS_HPP

#include <mturk/crowd/batch/pipeline_types.hpp>
#include <mturk/crowd/client.hpp>

#include <string>
#include <string_view>
#include <utility>

/* The client's calls for one task of a batch, typed (`F`) or untyped (a function named by
   each task): the synchronous calls, and the operations the asynchronous runner starts
   (what `basic_client`'s async members build). */
namespace mturk::crowd::batch::detail {

template <api_function F>
struct task_calls {
    static std::string_view function_of(batch_task<F> const&) noexcept { return F::name; }

    static auto creation(batch_task<F> const& t)
    {
        return [name = t.name, body = crowd::detail::checked_put_body(t.input)](auto& engine) mutable {
            return crowd::detail::make_request(engine, http_method::put, F::name, name, std::move(body));
        };
    }
    static auto request(http_method method, std::string_view, task_name const& name)
    {
        return [method, name](auto& engine) { return crowd::detail::make_request(engine, method, F::name, name); };
    }

    template <class Client>
    static auto create(Client& client, batch_task<F> const& t)
    {
        return client.template create<F>(t.name, t.input);
    }
    template <class Client>
    static auto get(Client& client, std::string_view, task_name const& name)
    {
        return client.template get<F>(name);
    }
    template <class Client>
    static auto remove(Client& client, std::string_view, task_name const& name)
    {
        return client.template remove<F>(name);
    }
};

template <>
struct task_calls<untyped_function> {
private:
    static auto request_with(http_method method, std::string_view function, task_name const& name,
                             result<std::string> body)
    {
        return [method, function = std::string(function), name, body = std::move(body)](auto& engine) mutable {
            if (auto checked = crowd::detail::check_function(function); !checked)
                return crowd::detail::make_request(engine, method, function, name, checked.error());
            return crowd::detail::make_request(engine, method, function, name, std::move(body));
        };
    }

public:
    static std::string_view function_of(batch_task<untyped_function> const& t) noexcept { return t.function; }

    static auto creation(batch_task<untyped_function> const& t)
    {
        return request_with(http_method::put, t.function, t.name, crowd::detail::untyped_put_body(t.input));
    }
    static auto request(http_method method, std::string_view function, task_name const& name)
    {
        return request_with(method, function, name, std::string());
    }

    template <class Client>
    static auto create(Client& client, batch_task<untyped_function> const& t)
    {
        return client.create(t.function, t.name, t.input);
    }
    template <class Client>
    static auto get(Client& client, std::string_view function, task_name const& name)
    {
        return client.get(function, name);
    }
    template <class Client>
    static auto remove(Client& client, std::string_view function, task_name const& name)
    {
        return client.remove(function, name);
    }

};

}  // namespace mturk::crowd::batch::detail

#endif
