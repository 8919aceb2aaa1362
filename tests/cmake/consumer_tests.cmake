# The three ways users consume the library, each a separate CMake project built and
# run by ctest: add_subdirectory, FetchContent (pointing at this source tree), and
# find_package, after `cmake --install` into a fresh prefix and from the build tree.
set(_consumers "${CMAKE_CURRENT_BINARY_DIR}/consumers")
set(_prefix "${_consumers}/prefix")
set(_common_options
  "-DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}"
  # No build type: no optimiser, no debug information. These builds check that the
  # package works, not what the compiler makes of it, and -g costs a fifth of their time.
  "-DCMAKE_BUILD_TYPE="
  "-DMTURK_CROWD_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
  "-DMTURK_CROWD_EXPECTED_VERSION=${PROJECT_VERSION}")

function(_mturk_crowd_consumer_test name source_dir)
  add_test(NAME "package: consumer via ${name}"
    COMMAND "${CMAKE_CTEST_COMMAND}" --build-and-test "${source_dir}" "${_consumers}/${name}"
      --build-generator "${CMAKE_GENERATOR}"
      --build-makeprogram "${CMAKE_MAKE_PROGRAM}"
      --build-options ${_common_options} ${ARGN}
      --test-command "${_consumers}/${name}/consumer")
  # A build: it takes two of CTest's slots (scripts/test runs twice as many tests as
  # there are cores, because most of them wait on sockets, not on the processor).
  set_tests_properties("package: consumer via ${name}" PROPERTIES LABELS consumer TIMEOUT 600 PROCESSORS 2 COST 5)
endfunction()

_mturk_crowd_consumer_test(add_subdirectory "${CMAKE_CURRENT_SOURCE_DIR}/consumers/add_subdirectory")
_mturk_crowd_consumer_test(separate-compilation "${CMAKE_CURRENT_SOURCE_DIR}/consumers/separate_compilation")
# It compiles Asio, Beast and the library in one translation unit: the longest test, started first.
set_tests_properties("package: consumer via separate-compilation" PROPERTIES COST 30)
# ... and the same program without src.hpp does not link: the code really left the headers.
add_test(NAME "package: separate compilation without src.hpp does not link"
  COMMAND "${CMAKE_COMMAND}" --build "${_consumers}/separate-compilation" --target consumer_without_src)
set_tests_properties("package: separate compilation without src.hpp does not link" PROPERTIES
  DEPENDS "package: consumer via separate-compilation"
  PASS_REGULAR_EXPRESSION "undefined reference to [^\n]*(parse_endpoint|make_client|error_from_response)")
_mturk_crowd_consumer_test(FetchContent "${CMAKE_CURRENT_SOURCE_DIR}/consumers/fetch_content")
_mturk_crowd_consumer_test(find_package-installed "${CMAKE_CURRENT_SOURCE_DIR}/consumers/find_package"
  "-DCMAKE_PREFIX_PATH=${_prefix}" "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF")
_mturk_crowd_consumer_test(find_package-build-tree "${CMAKE_CURRENT_SOURCE_DIR}/consumers/find_package"
  "-Dmturk_crowd_DIR=${PROJECT_BINARY_DIR}" "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF")

add_test(NAME "package: cmake --install into a fresh prefix"
  COMMAND "${CMAKE_COMMAND}" "-DBUILD_DIR=${PROJECT_BINARY_DIR}" "-DPREFIX=${_prefix}"
          -P "${CMAKE_CURRENT_SOURCE_DIR}/cmake/install_into_prefix.cmake")
set_tests_properties("package: cmake --install into a fresh prefix" PROPERTIES FIXTURES_SETUP mturk_crowd_installed)
set_tests_properties("package: consumer via find_package-installed" PROPERTIES FIXTURES_REQUIRED mturk_crowd_installed)
