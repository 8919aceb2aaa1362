# The ABI guard (include/mturk/crowd/detail/config.hpp): a program whose translation units
# mix header-only and MTURK_CROWD_SEPARATE_COMPILATION fails to link, and the linker's
# message names the guard. Its twin, every unit with the macro, links and runs.
# -DCXX -DSOURCES (tests/consumers/mixed_modes) -DWORK -DINCLUDES (|-separated folders)
# -DLIBRARIES (|-separated files: libmturk-crowd.a, then its dependencies)
string(REPLACE "|" ";" INCLUDES "${INCLUDES}")
string(REPLACE "|" ";" LIBRARIES "${LIBRARIES}")
list(TRANSFORM INCLUDES PREPEND "-I")
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

function(compile source object)
  execute_process(COMMAND "${CXX}" -std=c++20 ${INCLUDES} ${ARGN} -c "${SOURCES}/${source}" -o "${WORK}/${object}"
                  RESULT_VARIABLE status ERROR_VARIABLE errors)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "compiling ${source} failed:\n${errors}")
  endif()
endfunction()
compile(separate_part.cpp separate_part.o -DMTURK_CROWD_SEPARATE_COMPILATION)
compile(header_only_part.cpp header_only_part.o)
compile(header_only_part.cpp header_only_part_twin.o -DMTURK_CROWD_SEPARATE_COMPILATION)

# The twin: one mode throughout. It links and runs.
execute_process(COMMAND "${CXX}" "${WORK}/separate_part.o" "${WORK}/header_only_part_twin.o" ${LIBRARIES} -pthread
                        -o "${WORK}/twin"
                RESULT_VARIABLE status ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the twin (one mode throughout) did not link:\n${errors}")
endif()
execute_process(COMMAND "${WORK}/twin" RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the twin ran and exited with ${status}")
endif()

# The mistake: it must not link, and the message must say why.
execute_process(COMMAND "${CXX}" "${WORK}/separate_part.o" "${WORK}/header_only_part.o" ${LIBRARIES} -pthread
                        -o "${WORK}/mixed"
                RESULT_VARIABLE status ERROR_VARIABLE errors OUTPUT_VARIABLE output)
if(status EQUAL 0)
  message(FATAL_ERROR "a program mixing header-only and separately compiled units linked")
endif()
if(NOT "${errors}${output}" MATCHES "this_program_mixes_header_only_and_MTURK_CROWD_SEPARATE_COMPILATION_units")
  message(FATAL_ERROR "the link failed, but its message does not name the guard:\n${errors}${output}")
endif()
message(STATUS "the mixed program did not link, as it must:\n${errors}")
