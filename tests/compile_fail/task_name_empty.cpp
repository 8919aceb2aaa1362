// An empty task name literal does not compile.
#include <mturk/crowd/task_name.hpp>

#ifdef MTURK_CROWD_COMPILE_FAIL
constexpr mturk::crowd::task_name name{""};
#else
constexpr mturk::crowd::task_name name{"a"};
#endif

int probe() { return static_cast<int>(name.view().size()); }
