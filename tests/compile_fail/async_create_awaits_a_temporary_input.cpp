// On g++ 12, co_await async_create with a temporary input does not compile (the compiler
// would destroy the temporary twice); the named input does.
#include <mturk/crowd/functions/sentiment_analysis.hpp>
#include <mturk/crowd/beast_async_client.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace asio = boost::asio;
namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;

asio::awaitable<void> probe(crowd::async_client& client)
{
    constexpr crowd::task_name name{"t1"};
#ifdef MTURK_CROWD_COMPILE_FAIL
    auto created = co_await client.async_create<fn::sentiment_analysis>(name, {.text = "hi"}, asio::use_awaitable);
#else
    fn::sentiment_analysis_input const input{.text = "hi"};
    auto created = co_await client.async_create<fn::sentiment_analysis>(name, input, asio::use_awaitable);
#endif
    (void)created;
}
