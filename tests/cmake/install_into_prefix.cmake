# Installs the library's development and runtime components into an empty prefix and
# checks that what find_package and pkg-config need is there.
# -DBUILD_DIR -DPREFIX -DLIBDIR (CMAKE_INSTALL_LIBDIR) -DSONAME_VERSION (MAJOR.MINOR)
file(REMOVE_RECURSE "${PREFIX}")
foreach(component IN ITEMS mturk_crowd_development mturk_crowd_runtime)
  execute_process(
    COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}" --component ${component}
    RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "cmake --install --component ${component} failed with ${status}")
  endif()
endforeach()
foreach(file IN ITEMS
    include/mturk/crowd.hpp
    include/mturk/crowd/version.hpp
    share/cmake/mturk_crowd/mturk_crowd-config.cmake
    share/cmake/mturk_crowd/mturk_crowd-config-version.cmake
    share/cmake/mturk_crowd/mturk_crowd-targets.cmake
    ${LIBDIR}/cmake/mturk_crowd/mturk_crowd-compiled-targets.cmake
    ${LIBDIR}/pkgconfig/mturk-crowd.pc
    ${LIBDIR}/pkgconfig/mturk-crowd-compiled.pc
    ${LIBDIR}/libmturk-crowd.a
    ${LIBDIR}/libmturk-crowd.so
    ${LIBDIR}/libmturk-crowd.so.${SONAME_VERSION})
  if(NOT EXISTS "${PREFIX}/${file}")
    message(FATAL_ERROR "not installed: ${PREFIX}/${file}")
  endif()
endforeach()
