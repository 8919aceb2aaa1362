// A task name literal with a character outside [A-Za-z0-9._-] does not compile.
#include <mturk/crowd/task_name.hpp>

#ifdef MTURK_CROWD_COMPILE_FAIL
constexpr mturk::crowd::task_name name{"order 42"};
#else
constexpr mturk::crowd::task_name name{"order_42.v-1"};
#endif

int probe() { return static_cast<int>(name.view().size()); }
