# Builds one target and judges the outcome (see compile_fail.cmake).
# -DBUILD_DIR -DTARGET -DCONFIG -DMODE=must-fail|must-build [-DEXPECT=<regex>]
execute_process(
  COMMAND "${CMAKE_COMMAND}" --build "${BUILD_DIR}" --target "${TARGET}" --config "${CONFIG}"
  RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
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
