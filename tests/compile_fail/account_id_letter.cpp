// An account id literal with a letter does not compile.
#include <mturk/crowd/account_id.hpp>

#ifdef MTURK_CROWD_COMPILE_FAIL
constexpr mturk::crowd::account_id id{"12345678901O"};
#else
constexpr mturk::crowd::account_id id{"123456789010"};
#endif

int probe() { return static_cast<int>(id.view().size()); }
