// A std::string handed to the compile-time constructor does not compile; parse() is the way.
#include <mturk/crowd/task_name.hpp>

#include <string>

int probe(std::string const& text)
{
#ifdef MTURK_CROWD_COMPILE_FAIL
    mturk::crowd::task_name name{text};
    return static_cast<int>(name.view().size());
#else
    auto name = mturk::crowd::task_name::parse(text);
    return name ? static_cast<int>(name->view().size()) : -1;
#endif
}
