// A sentiment_analysis input used for an image_contains task does not compile.
#include <mturk/crowd/functions/image_contains.hpp>
#include <mturk/crowd/functions/sentiment_analysis.hpp>
#include <mturk/crowd/request.hpp>

#include <string>

namespace f = mturk::crowd::functions;

std::string probe()
{
#ifdef MTURK_CROWD_COMPILE_FAIL
    f::sentiment_analysis_input const input{.text = "Is there a dog?"};
    return mturk::crowd::put_body<f::image_contains>(input);
#else
    f::image_contains_input const input{.image = {"https://example.com/dog.jpg"}, .target = {"dog"}};
    return mturk::crowd::put_body<f::image_contains>(input);
#endif
}
