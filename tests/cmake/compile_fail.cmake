# mturk_crowd_compile_fail(NAME <name> SOURCE <file> EXPECT <regex> [PRECOMPILED])
#
# A misuse must not compile, and must fail for the reason the library gives, not for a
# typo: the test builds <file> with MTURK_CROWD_COMPILE_FAIL defined and passes only
# when the build fails and its output matches <regex>. The same file without the
# definition is the twin, which must build (WILL_FAIL alone would pass on any typo);
# MTURK_CROWD_COMPILE_FAIL_TWINS=OFF leaves the twins to another build's suite.
# PRECOMPILED builds both with the test binaries' precompiled header, for a case that
# includes the Beast transport (4 s a build without it, under 1 s with it).
# Both targets are excluded from `all`. With Ninja the tests run each target's compile
# command themselves, side by side; with other generators they build the targets one at a
# time, since two builds must not run in one build tree at once.
function(mturk_crowd_compile_fail)
  cmake_parse_arguments(arg "PRECOMPILED" "NAME;SOURCE;EXPECT" "" ${ARGN})
  foreach(kind IN ITEMS misuse twin)
    set(target "compile_fail.${arg_NAME}.${kind}")
    add_library(${target} OBJECT EXCLUDE_FROM_ALL "${arg_SOURCE}")
    # The compiled copy's definitions (not its code: these are object files never linked)
    # keep Asio, Beast and the transports out of each build: the async case takes 5 s, not 28.
    target_link_libraries(${target} PRIVATE mturk_crowd_project_compiled mturk_crowd_project_options)
    set_target_properties(${target} PROPERTIES EXCLUDE_FROM_DEFAULT_BUILD ON)
    # The question is whether it compiles, not what it compiles to: both compilers
    # instantiate templates and evaluate consteval calls without generating code.
    target_compile_options(${target} PRIVATE -fsyntax-only)
    if(arg_PRECOMPILED)
      target_link_libraries(${target} PRIVATE mturk_crowd_test_options)
      mturk_crowd_use_test_pch(${target})
    endif()
  endforeach()
  target_compile_definitions("compile_fail.${arg_NAME}.misuse" PRIVATE MTURK_CROWD_COMPILE_FAIL)

  set(script "${PROJECT_SOURCE_DIR}/tests/cmake/run_compile_fail.cmake")
  set(ninja "")
  if(CMAKE_GENERATOR STREQUAL "Ninja")
    set(ninja "-DNINJA=${CMAKE_MAKE_PROGRAM}")
  endif()
  add_test(NAME "compile-fail: ${arg_NAME}"
    COMMAND "${CMAKE_COMMAND}" "-DBUILD_DIR=${PROJECT_BINARY_DIR}" "-DTARGET=compile_fail.${arg_NAME}.misuse"
            "-DCONFIG=$<CONFIG>" "-DEXPECT=${arg_EXPECT}" "-DMODE=must-fail" ${ninja} -P "${script}")
  set(cases "compile-fail: ${arg_NAME}")
  if(MTURK_CROWD_COMPILE_FAIL_TWINS)
    add_test(NAME "compile-fail: ${arg_NAME} (twin compiles)"
      COMMAND "${CMAKE_COMMAND}" "-DBUILD_DIR=${PROJECT_BINARY_DIR}" "-DTARGET=compile_fail.${arg_NAME}.twin"
              "-DCONFIG=$<CONFIG>" "-DMODE=must-build" ${ninja} -P "${script}")
    list(APPEND cases "compile-fail: ${arg_NAME} (twin compiles)")
  endif()
  set_tests_properties(${cases} PROPERTIES LABELS compile-fail PROCESSORS 2)
  if(NOT ninja)
    set_tests_properties(${cases} PROPERTIES RESOURCE_LOCK mturk_crowd_build_tree)
  endif()
endfunction()
