# Builds one target and judges the outcome (see compile_fail.cmake).
# -DBUILD_DIR -DTARGET -DCONFIG -DMODE=must-fail|must-build [-DEXPECT=<regex>] [-DNINJA=<ninja>]
if(NINJA)
  # Ninja: run the target's one compile command as Ninja would, outside Ninja, so that
  # the cases run side by side instead of one at a time in the build tree.
  execute_process(COMMAND "${NINJA}" -C "${BUILD_DIR}" -t commands "${TARGET}"
    RESULT_VARIABLE listed OUTPUT_VARIABLE commands ERROR_VARIABLE commands)
  string(STRIP "${commands}" commands)
  string(REGEX REPLACE ".*\n" "" command "${commands}")  # the last: the case's own compile
  if(NOT listed EQUAL 0 OR NOT command MATCHES " -fsyntax-only ")
    message(FATAL_ERROR "no compile command for ${TARGET} in ${BUILD_DIR}:\n${commands}")
  endif()
  # No dependency file: nothing reads it, and its folder may not exist yet.
  string(REGEX REPLACE " -MD -MT [^ ]+ -MF [^ ]+" "" command "${command}")
  execute_process(COMMAND sh -c "${command}" WORKING_DIRECTORY "${BUILD_DIR}"
    RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
else()
  execute_process(
    COMMAND "${CMAKE_COMMAND}" --build "${BUILD_DIR}" --target "${TARGET}" --config "${CONFIG}"
    RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
endif()
if(MODE STREQUAL "must-build")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "the twin ${TARGET} must compile but did not:\n${output}")
  endif()
  message(STATUS "${TARGET} compiled, as it must")
elseif(MODE STREQUAL "must-fail")
  if(status EQUAL 0)
    message(FATAL_ERROR "${TARGET} compiled, but this misuse must not compile")
  endif()
  if(NOT output MATCHES "${EXPECT}")
    message(FATAL_ERROR "${TARGET} failed to compile, but not with the library's message /${EXPECT}/:\n${output}")
  endif()
  message(STATUS "${TARGET} failed to compile with the expected message /${EXPECT}/")
else()
  message(FATAL_ERROR "MODE must be must-fail or must-build, not '${MODE}'")
endif()
