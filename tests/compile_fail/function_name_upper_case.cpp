// A function name with an upper-case letter does not compile.
#include <mturk/crowd/function.hpp>

#include <boost/describe/class.hpp>

#include <string>

namespace {
struct text_input {
    std::string text;
};
BOOST_DESCRIBE_STRUCT(text_input, (), (text))
}  // namespace

#ifdef MTURK_CROWD_COMPILE_FAIL
using sentiment = mturk::crowd::function<"sentiment-Analysis", text_input, text_input>;
#else
using sentiment = mturk::crowd::function<"sentiment-analysis", text_input, text_input>;
#endif

int probe() { return static_cast<int>(sentiment::name.size()); }
