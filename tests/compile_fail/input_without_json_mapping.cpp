// A function whose Input has no JSON mapping (neither described nor tag_invoke) does not compile.
#include <mturk/crowd/function.hpp>

#include <boost/describe/class.hpp>

#include <string>

namespace {
struct undescribed {
    std::string text;
};
struct described {
    std::string text;
};
BOOST_DESCRIBE_STRUCT(described, (), (text))
}  // namespace

#ifdef MTURK_CROWD_COMPILE_FAIL
using f = mturk::crowd::function<"sentiment-analysis", undescribed, described>;
#else
using f = mturk::crowd::function<"sentiment-analysis", described, described>;
#endif

int probe()
{
    f::input_type input{};
    return static_cast<int>(input.text.size());
}
