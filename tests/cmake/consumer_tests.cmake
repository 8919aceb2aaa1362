# The ways users consume the library, each a separate project built and run by ctest:
# add_subdirectory, FetchContent (pointing at this source tree), find_package after
# `cmake --install` into a fresh prefix and from the build tree, the installed compiled
# library (shared and static), pkg-config from a plain Makefile, and the Debian packages.
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
# ... and from git, pinned to a commit: this clone's HEAD when the build was configured.
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${PROJECT_SOURCE_DIR}" rev-parse --verify HEAD
                  OUTPUT_VARIABLE _head OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _status ERROR_QUIET)
  if(_status EQUAL 0)
    _mturk_crowd_consumer_test(FetchContent-git "${CMAKE_CURRENT_SOURCE_DIR}/consumers/fetch_content"
      "-DMTURK_CROWD_GIT_TAG=${_head}")
  endif()
endif()
_mturk_crowd_consumer_test(find_package-installed "${CMAKE_CURRENT_SOURCE_DIR}/consumers/find_package"
  "-DCMAKE_PREFIX_PATH=${_prefix}" "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF")
_mturk_crowd_consumer_test(find_package-build-tree "${CMAKE_CURRENT_SOURCE_DIR}/consumers/find_package"
  "-Dmturk_crowd_DIR=${PROJECT_BINARY_DIR}" "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF")

add_test(NAME "package: cmake --install into a fresh prefix"
  COMMAND "${CMAKE_COMMAND}" "-DBUILD_DIR=${PROJECT_BINARY_DIR}" "-DPREFIX=${_prefix}" "-DLIBDIR=${CMAKE_INSTALL_LIBDIR}"
          "-DCOMPILED=${MTURK_CROWD_BUILD_COMPILED}"
          "-DSONAME_VERSION=${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}"
          -P "${CMAKE_CURRENT_SOURCE_DIR}/cmake/install_into_prefix.cmake")
set_tests_properties("package: cmake --install into a fresh prefix" PROPERTIES FIXTURES_SETUP mturk_crowd_installed)
set_tests_properties("package: consumer via find_package-installed" PROPERTIES FIXTURES_REQUIRED mturk_crowd_installed)

if(MTURK_CROWD_BUILD_COMPILED)
  # The installed compiled library: find_package(mturk_crowd COMPONENTS compiled), the
  # shared library and the archive, each linked by the same program.
  _mturk_crowd_consumer_test(find_package-compiled "${CMAKE_CURRENT_SOURCE_DIR}/consumers/find_package_compiled"
    "-DCMAKE_PREFIX_PATH=${_prefix}" "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF")
  set_tests_properties("package: consumer via find_package-compiled" PROPERTIES FIXTURES_REQUIRED mturk_crowd_installed)
  add_test(NAME "package: the installed compiled library, static, runs the same program"
    COMMAND "${_consumers}/find_package-compiled/consumer_static")
  # ... and the shared one is what the first program loads, from the installed tree.
  add_test(NAME "package: the program linked with mturk::crowd_compiled loads libmturk-crowd.so from the prefix"
    COMMAND ldd "${_consumers}/find_package-compiled/consumer")
  set_tests_properties("package: the program linked with mturk::crowd_compiled loads libmturk-crowd.so from the prefix" PROPERTIES
    PASS_REGULAR_EXPRESSION "libmturk-crowd\\.so\\.${PROJECT_VERSION_MAJOR}\\.${PROJECT_VERSION_MINOR} => ${_prefix}/")
  set_tests_properties("package: the installed compiled library, static, runs the same program"
    "package: the program linked with mturk::crowd_compiled loads libmturk-crowd.so from the prefix"
    PROPERTIES DEPENDS "package: consumer via find_package-compiled" LABELS consumer)
endif()

# A find_package of a component that does not exist fails, naming it.
add_test(NAME "package: find_package with an unknown component fails and names it"
  COMMAND "${CMAKE_COMMAND}" -S "${CMAKE_CURRENT_SOURCE_DIR}/consumers/unknown_component" -B "${_consumers}/unknown-component"
          "-DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}" "-DCMAKE_PREFIX_PATH=${_prefix}" "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF")
set_tests_properties("package: find_package with an unknown component fails and names it" PROPERTIES
  FIXTURES_REQUIRED mturk_crowd_installed WILL_FAIL OFF
  PASS_REGULAR_EXPRESSION "mturk_crowd has no component 'python'")

# pkg-config and a plain Makefile: the installed tree's pkgconfig folder, nothing else.
add_test(NAME "package: consumer via pkg-config and a plain Makefile, header-only and compiled"
  COMMAND "${CMAKE_COMMAND}" "-DCXX=${CMAKE_CXX_COMPILER}" "-DROOT=${_prefix}"
          "-DPKGCONFIG_DIR=${_prefix}/${MTURK_CROWD_PKGCONFIG_INSTALL_DIR}"
          "-DLIBRARY_DIR=${_prefix}/${CMAKE_INSTALL_LIBDIR}"
          "-DSOURCES=${CMAKE_CURRENT_SOURCE_DIR}/consumers" "-DWORK=${_consumers}/pkg-config"
          "-DEXPECTED_VERSION=${PROJECT_VERSION}" "-DTARGETS=consumer$<$<BOOL:${MTURK_CROWD_BUILD_COMPILED}>:|consumer-compiled>"
          -P "${CMAKE_CURRENT_SOURCE_DIR}/cmake/pkg_config_consumer.cmake")
# make without -j: one compile at a time, one slot.
set_tests_properties("package: consumer via pkg-config and a plain Makefile, header-only and compiled" PROPERTIES
  FIXTURES_REQUIRED mturk_crowd_installed LABELS consumer PROCESSORS 1 COST 20)

if(MTURK_CROWD_BUILD_COMPILED)
  # The ABI guard: header-only and separately compiled units in one program do not link.
  add_test(NAME "package: a program mixing header-only and separately compiled units fails to link, naming why"
    COMMAND "${CMAKE_COMMAND}" "-DCXX=${CMAKE_CXX_COMPILER}" "-DSOURCES=${CMAKE_CURRENT_SOURCE_DIR}/consumers/mixed_modes"
            "-DWORK=${_consumers}/mixed-modes"
            "-DINCLUDES=${PROJECT_SOURCE_DIR}/include|$<JOIN:$<TARGET_PROPERTY:Boost::headers,INTERFACE_INCLUDE_DIRECTORIES>,|>"
            "-DLIBRARIES=$<TARGET_FILE:mturk_crowd_compiled_static>|$<TARGET_LINKER_FILE:Boost::json>|$<TARGET_LINKER_FILE:OpenSSL::SSL>|$<TARGET_LINKER_FILE:OpenSSL::Crypto>|${EXPAT_LIBRARIES}"
            -P "${CMAKE_CURRENT_SOURCE_DIR}/cmake/mixed_modes.cmake")
endif()

# The Debian packages (cmake/debian_packages.cmake), from this build: it must be
# configured for /usr (scripts/test does), where Debian's library folder is multiarch.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr" AND MTURK_CROWD_BUILD_COMPILED)
  add_test(NAME "package: the Debian packages: fields, contents, lintian, and a consumer of the unpacked tree"
    COMMAND "${CMAKE_COMMAND}" "-DBUILD_DIR=${PROJECT_BINARY_DIR}" "-DWORK=${_consumers}/debian"
            "-DSOURCES=${CMAKE_CURRENT_SOURCE_DIR}/consumers" "-DCXX=${CMAKE_CXX_COMPILER}" "-DVERSION=${PROJECT_VERSION}"
            "-DSOVERSION=${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}" "-DLIBDIR=${CMAKE_INSTALL_LIBDIR}"
            "-DWITH_TOOLS=${MTURK_CROWD_BUILD_TOOLS}"
            -P "${CMAKE_CURRENT_SOURCE_DIR}/cmake/debian_packages.cmake")
  # Its 48 s are CPack, lintian and one compile, one after the other: one slot. (With two,
  # CTest started it only once every one-slot test had run, at the end of the suite.)
  set_tests_properties("package: the Debian packages: fields, contents, lintian, and a consumer of the unpacked tree"
    PROPERTIES LABELS consumer PROCESSORS 1 COST 50)
else()
  message(STATUS "mturk-crowd: the Debian packages' test needs -DCMAKE_INSTALL_PREFIX=/usr and MTURK_CROWD_BUILD_COMPILED")
endif()
