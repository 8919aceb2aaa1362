// A task name literal ".." does not compile: URL paths remove dot segments, so it would
// be signed for one path and sent to another.
#include <mturk/crowd/task_name.hpp>

#ifdef MTURK_CROWD_COMPILE_FAIL
constexpr mturk::crowd::task_name name{".."};
#else
constexpr mturk::crowd::task_name name{"..."};  // three dots are a name like any other
#endif

int probe() { return static_cast<int>(name.view().size()); }
