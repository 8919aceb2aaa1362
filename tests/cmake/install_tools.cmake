# Installs the tools component into an empty prefix and runs what was installed.
# -DBUILD_DIR -DPREFIX
file(REMOVE_RECURSE "${PREFIX}")
execute_process(
  COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}" --component mturk_crowd_tools
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "cmake --install of the tools failed with ${status}")
endif()
foreach(tool IN ITEMS crowd crowd-emulator)
  execute_process(COMMAND "${PREFIX}/bin/${tool}" --help RESULT_VARIABLE status OUTPUT_VARIABLE out)
  if(NOT status EQUAL 0 OR NOT out MATCHES "^usage: ${tool}")
    message(FATAL_ERROR "installed ${tool} --help: exit ${status}, output:\n${out}")
  endif()
endforeach()
execute_process(COMMAND "${PREFIX}/bin/crowd" --version OUTPUT_VARIABLE out)
message(STATUS "installed: ${out}")
file(REMOVE_RECURSE "${PREFIX}")
