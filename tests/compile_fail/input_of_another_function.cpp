// Creating a task of function A with the input type of function B does not compile.
#include <mturk/crowd/request.hpp>

#include <boost/describe/class.hpp>

#include <string>

namespace {
struct text_input {
    std::string text;
};
BOOST_DESCRIBE_STRUCT(text_input, (), (text))
struct image {
    std::string url;
};
BOOST_DESCRIBE_STRUCT(image, (), (url))
struct image_input {
    image picture;
};
BOOST_DESCRIBE_STRUCT(image_input, (), (picture))
struct anything {
    std::string label;
};
BOOST_DESCRIBE_STRUCT(anything, (), (label))

using text_function = mturk::crowd::function<"sentiment-analysis", text_input, anything>;
using image_function = mturk::crowd::function<"image-contains", image_input, anything>;
}  // namespace

std::string probe()
{
    image_input const picture{{"https://example.com/a.png"}};
#ifdef MTURK_CROWD_COMPILE_FAIL
    return mturk::crowd::put_body<text_function>(picture);
#else
    return mturk::crowd::put_body<image_function>(picture) + mturk::crowd::put_body<text_function>({.text = "hi"});
#endif
}
