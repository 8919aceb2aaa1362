# Runs one command-line invocation and checks what a user or a script relies on.
#   -DCOMMAND=<program|arg|arg...>    the command, '|'-separated
#   -DEXPECT_EXIT=<n>                 the exit code
#   [-DEXPECT_STDOUT_FILE=<file>]     stdout must equal this file byte for byte
#   [-DEXPECT_STDERR=<regex>]         stderr must match, and be exactly one line
#   [-DFORBID=<regex>]                neither output may match (secrets, tokens)
string(REPLACE "|" ";" command "${COMMAND}")
# One file per command: a hash of the whole command, since tests run side by side and
# their commands may share a long prefix (two of them once shared a truncated name).
string(MD5 id "${COMMAND}")
set(out_file "${CMAKE_CURRENT_BINARY_DIR}/run_cli_${id}.out")
execute_process(COMMAND ${command} RESULT_VARIABLE status OUTPUT_FILE "${out_file}" ERROR_VARIABLE err)
file(READ "${out_file}" out)
if(NOT "${status}" STREQUAL "${EXPECT_EXIT}")
  message(FATAL_ERROR "exit code ${status}, expected ${EXPECT_EXIT}\nstderr: ${err}")
endif()
if(DEFINED EXPECT_STDOUT_FILE)
  execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${out_file}" "${EXPECT_STDOUT_FILE}" RESULT_VARIABLE same)
  if(NOT same EQUAL 0)
    message(FATAL_ERROR "stdout differs from ${EXPECT_STDOUT_FILE}")
  endif()
endif()
if(DEFINED EXPECT_STDERR)
  if(NOT err MATCHES "${EXPECT_STDERR}")
    message(FATAL_ERROR "stderr does not match /${EXPECT_STDERR}/: ${err}")
  endif()
  string(REGEX MATCHALL "\n" newlines "${err}")
  list(LENGTH newlines lines)
  if(NOT lines EQUAL 1)
    message(FATAL_ERROR "stderr must be one line, it has ${lines}: ${err}")
  endif()
endif()
if(DEFINED FORBID AND ("${out}${err}" MATCHES "${FORBID}"))
  message(FATAL_ERROR "the output shows /${FORBID}/, which it must never show")
endif()
file(REMOVE "${out_file}")
