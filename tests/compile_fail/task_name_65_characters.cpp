// A task name literal of 65 characters does not compile; 64 do.
#include <mturk/crowd/task_name.hpp>

#ifdef MTURK_CROWD_COMPILE_FAIL
constexpr mturk::crowd::task_name name{"abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij12345"};
#else
constexpr mturk::crowd::task_name name{"abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1234"};
#endif
static_assert(name.view().size() == 64 || name.view().size() == 65);

int probe() { return static_cast<int>(name.view().size()); }
