// A std::string handed to the compile-time constructor does not compile; parse() is the way.
#include <mturk/crowd/account_id.hpp>

#include <string>

int probe(std::string const& text)
{
#ifdef MTURK_CROWD_COMPILE_FAIL
    mturk::crowd::account_id id{text};
    return static_cast<int>(id.view().size());
#else
    auto id = mturk::crowd::account_id::parse(text);
    return id ? static_cast<int>(id->view().size()) : -1;
#endif
}
