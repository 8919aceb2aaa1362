# Installs the library's development component into an empty prefix and checks that
# what find_package needs is there. -DBUILD_DIR -DPREFIX
file(REMOVE_RECURSE "${PREFIX}")
execute_process(
  COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}" --component mturk_crowd_development
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "cmake --install failed with ${status}")
endif()
foreach(file IN ITEMS
    include/mturk/crowd.hpp
    include/mturk/crowd/version.hpp
    share/cmake/mturk_crowd/mturk_crowd-config.cmake
    share/cmake/mturk_crowd/mturk_crowd-config-version.cmake
    share/cmake/mturk_crowd/mturk_crowd-targets.cmake)
  if(NOT EXISTS "${PREFIX}/${file}")
    message(FATAL_ERROR "not installed: ${PREFIX}/${file}")
  endif()
endforeach()
