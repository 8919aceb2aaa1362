# Installs the library's development and runtime components into an empty prefix and
# checks that what find_package and pkg-config need is there.
# -DBUILD_DIR -DPREFIX -DLIBDIR (CMAKE_INSTALL_LIBDIR) -DSONAME_VERSION (MAJOR.MINOR)
# -DCOMPILED (whether the compiled library was built)
file(REMOVE_RECURSE "${PREFIX}")
set(components mturk_crowd_development)
set(compiled_files "")
if(COMPILED)
  list(APPEND components mturk_crowd_runtime)
  set(compiled_files ${LIBDIR}/cmake/mturk_crowd/mturk_crowd-compiled-targets.cmake ${LIBDIR}/pkgconfig/mturk-crowd-compiled.pc
      ${LIBDIR}/libmturk-crowd.a ${LIBDIR}/libmturk-crowd.so ${LIBDIR}/libmturk-crowd.so.${SONAME_VERSION})
endif()
foreach(component IN LISTS components)
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
    ${LIBDIR}/pkgconfig/mturk-crowd.pc
    ${compiled_files})
  if(NOT EXISTS "${PREFIX}/${file}")
    message(FATAL_ERROR "not installed: ${PREFIX}/${file}")
  endif()
endforeach()
