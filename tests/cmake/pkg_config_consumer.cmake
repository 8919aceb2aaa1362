# Builds tests/consumers/pkg_config/Makefile against an installed tree, knowing the library
# only through pkg-config, and runs what it built.
# -DCXX -DROOT (for messages) -DPKGCONFIG_DIR -DLIBRARY_DIR (where libmturk-crowd.so is)
# -DSOURCES (tests/consumers) -DWORK -DEXPECTED_VERSION -DTARGETS (|-separated)
string(REPLACE "|" ";" TARGETS "${TARGETS}")
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
find_program(MAKE NAMES make gmake REQUIRED)
# Only the installed tree: the system's folders are not searched for mturk-crowd.
set(ENV{PKG_CONFIG_PATH} "${PKGCONFIG_DIR}")
execute_process(COMMAND pkg-config --modversion mturk-crowd OUTPUT_VARIABLE version RESULT_VARIABLE status
                OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT status EQUAL 0 OR NOT version STREQUAL EXPECTED_VERSION)
  message(FATAL_ERROR "pkg-config --modversion mturk-crowd gave '${version}' (exit ${status}); expected ${EXPECTED_VERSION}")
endif()
execute_process(COMMAND pkg-config --cflags --libs mturk-crowd-compiled OUTPUT_VARIABLE flags)
message(STATUS "pkg-config --cflags --libs mturk-crowd-compiled: ${flags}")
execute_process(
  COMMAND "${MAKE}" -f "${SOURCES}/pkg_config/Makefile" "CXX=${CXX}" "SOURCES=${SOURCES}"
          "EXPECTED_VERSION=${EXPECTED_VERSION}" ${TARGETS}
  WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "make against ${ROOT} failed with ${status}")
endif()
# The shared library is where the tree put it; the program finds it as any would.
set(ENV{LD_LIBRARY_PATH} "${LIBRARY_DIR}")
foreach(target IN LISTS TARGETS)
  execute_process(COMMAND "${WORK}/${target}" RESULT_VARIABLE status OUTPUT_VARIABLE output)
  message(STATUS "${target}: ${output}")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${target} exited with ${status}")
  endif()
endforeach()
