// A misspelt field in a designated initialiser of an input does not compile.
#include <mturk/crowd/functions/sentiment_analysis.hpp>

namespace f = mturk::crowd::functions;

bool probe()
{
#ifdef MTURK_CROWD_COMPILE_FAIL
    f::sentiment_analysis_input const input{.txt = "Everything is wonderful."};
#else
    f::sentiment_analysis_input const input{.text = "Everything is wonderful."};
#endif
    return input.validate().has_value();
}
