// async_create of function A with the input of function B does not compile either.
#include <mturk/crowd/functions/image_contains.hpp>
#include <mturk/crowd/functions/sentiment_analysis.hpp>
#include <mturk/crowd/beast_async_client.hpp>

namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;

void probe(crowd::async_client& client)
{
    constexpr crowd::task_name name{"t1"};
    auto ignore = [](auto) {};
#ifdef MTURK_CROWD_COMPILE_FAIL
    fn::sentiment_analysis_input const input{.text = "Is there a dog?"};
    client.async_create<fn::image_contains>(name, input, ignore);
#else
    fn::image_contains_input const input{.image = {"https://example.com/dog.jpg"}, .target = {"dog"}};
    client.async_create<fn::image_contains>(name, input, ignore);
#endif
}
