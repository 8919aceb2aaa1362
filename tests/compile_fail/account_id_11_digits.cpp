// An account id literal of 11 digits does not compile.
#include <mturk/crowd/account_id.hpp>

#ifdef MTURK_CROWD_COMPILE_FAIL
constexpr mturk::crowd::account_id id{"12345678901"};
#else
constexpr mturk::crowd::account_id id{"123456789012"};
#endif

int probe() { return static_cast<int>(id.view().size()); }
