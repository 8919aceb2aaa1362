# Runs a program and checks both what it printed and how it ended: PASS_REGULAR_EXPRESSION
# alone ignores the exit code, so a crash or a sanitizer report after the matched line
# would pass.
#   -DCOMMAND=<program|arg|arg...>   the command, '|'-separated
#   -DEXPECT_OUTPUT=<regex>          stdout and stderr together must match
#   [-DEXPECT_EXIT=<n>]              the exit code (default 0)
string(REPLACE "|" ";" command "${COMMAND}")
if(NOT DEFINED EXPECT_EXIT)
  set(EXPECT_EXIT 0)
endif()
execute_process(COMMAND ${command} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT "${status}" STREQUAL "${EXPECT_EXIT}")
  message(FATAL_ERROR "exit code ${status}, expected ${EXPECT_EXIT}")
endif()
if(NOT "${out}${err}" MATCHES "${EXPECT_OUTPUT}")
  message(FATAL_ERROR "the output does not match /${EXPECT_OUTPUT}/")
endif()
