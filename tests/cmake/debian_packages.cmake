# Builds the Debian packages with CPack from a build configured for /usr, checks their
# fields and contents with dpkg-deb, runs lintian on them (no error allowed), unpacks them
# into a temporary root and builds the pkg-config consumer against that root.
# -DBUILD_DIR -DWORK -DSOURCES (tests/consumers) -DCXX -DVERSION -DSOVERSION -DLIBDIR
# -DWITH_TOOLS (ON when the tools package is built)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/packages" "${WORK}/root")
execute_process(COMMAND dpkg --print-architecture OUTPUT_VARIABLE arch OUTPUT_STRIP_TRAILING_WHITESPACE
                COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND cpack --config "${BUILD_DIR}/CPackConfig.cmake" -B "${WORK}/packages"
                RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "cpack failed (${status}):\n${output}")
endif()

set(runtime "libmturk-crowd${SOVERSION}")
set(packages libmturk-crowd-dev ${runtime})
if(WITH_TOOLS)
  list(APPEND packages mturk-crowd-tools)
endif()

# What each package must hold, and what its Depends must name.
set(libdir "./usr/${LIBDIR}")
set(contents_libmturk-crowd-dev
  "./usr/include/mturk/crowd.hpp" "./usr/include/mturk/crowd/version.hpp"
  "./usr/share/cmake/mturk_crowd/mturk_crowd-config.cmake"
  "${libdir}/cmake/mturk_crowd/mturk_crowd-compiled-targets.cmake"
  "${libdir}/pkgconfig/mturk-crowd.pc" "${libdir}/pkgconfig/mturk-crowd-compiled.pc"
  "${libdir}/libmturk-crowd.a" "${libdir}/libmturk-crowd.so -> libmturk-crowd.so.${SOVERSION}"
  "./usr/share/doc/libmturk-crowd-dev/copyright")
set(depends_libmturk-crowd-dev "${runtime} \\(= ${VERSION}-1\\)" "libboost-json1.81-dev" "libssl-dev" "libexpat1-dev")
set(contents_${runtime} "${libdir}/libmturk-crowd.so.${SOVERSION}" "./usr/share/doc/${runtime}/changelog.Debian.gz")
set(depends_${runtime} "libboost-json1.81.0" "libssl3" "libexpat1")
set(contents_mturk-crowd-tools "./usr/bin/crowd" "./usr/bin/crowd-emulator" "./usr/share/doc/mturk-crowd-tools/copyright"
  "./usr/share/man/man1/crowd.1.gz" "./usr/share/man/man1/crowd-emulator.1.gz"
  "./usr/share/bash-completion/completions/crowd" "./usr/share/zsh/vendor-completions/_crowd"
  "./usr/share/fish/vendor_completions.d/crowd.fish")
set(depends_mturk-crowd-tools "libboost-json1.81.0" "libssl3" "libexpat1")

find_program(LINTIAN lintian REQUIRED)
set(debs "")
foreach(package IN LISTS packages)
  set(deb "${WORK}/packages/${package}_${VERSION}-1_${arch}.deb")
  if(NOT EXISTS "${deb}")
    file(GLOB built "${WORK}/packages/*.deb")
    message(FATAL_ERROR "no ${deb}; cpack made: ${built}")
  endif()
  execute_process(COMMAND dpkg-deb --field "${deb}" Package Version Depends OUTPUT_VARIABLE fields COMMAND_ERROR_IS_FATAL ANY)
  execute_process(COMMAND dpkg-deb --contents "${deb}" OUTPUT_VARIABLE contents COMMAND_ERROR_IS_FATAL ANY)
  message(STATUS "${package}:\n${fields}")
  if(NOT fields MATCHES "Package: ${package}\nVersion: ${VERSION}-1\n")
    message(FATAL_ERROR "${deb}: unexpected fields:\n${fields}")
  endif()
  foreach(dependency IN LISTS depends_${package})
    if(NOT fields MATCHES "Depends: [^\n]*${dependency}")
      message(FATAL_ERROR "${package} does not depend on ${dependency}:\n${fields}")
    endif()
  endforeach()
  foreach(path IN LISTS contents_${package})
    # A file's line ends with its path; a link's with " -> " and its target.
    string(FIND "${contents}" " ${path}\n" at)
    string(FIND "${contents}" " ${path} -> " link_at)
    if(at EQUAL -1 AND link_at EQUAL -1)
      message(FATAL_ERROR "${package} lacks ${path}; it holds:\n${contents}")
    endif()
  endforeach()
  list(APPEND debs "${deb}")
  execute_process(COMMAND dpkg-deb --extract "${deb}" "${WORK}/root" COMMAND_ERROR_IS_FATAL ANY)
endforeach()

# lintian, once for all (it takes seconds to start): errors fail the test; its warnings are
# printed for whoever reads the log.
execute_process(COMMAND "${LINTIAN}" --fail-on error --no-tag-display-limit ${debs}
                RESULT_VARIABLE status OUTPUT_VARIABLE report ERROR_VARIABLE report)
message(STATUS "lintian: ${report}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "lintian reports errors (exit ${status}):\n${report}")
endif()

# The unpacked development package serves a build through pkg-config alone.
execute_process(COMMAND "${CMAKE_COMMAND}" "-DCXX=${CXX}" "-DROOT=${WORK}/root"
                        "-DPKGCONFIG_DIR=${WORK}/root/usr/${LIBDIR}/pkgconfig" "-DLIBRARY_DIR=${WORK}/root/usr/${LIBDIR}"
                        "-DSOURCES=${SOURCES}" "-DWORK=${WORK}/consumer" "-DEXPECTED_VERSION=${VERSION}"
                        -DTARGETS=consumer-compiled -P "${CMAKE_CURRENT_LIST_DIR}/pkg_config_consumer.cmake"
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the consumer did not build or run against the unpacked packages")
endif()
if(WITH_TOOLS)
  foreach(tool IN ITEMS crowd crowd-emulator)
    execute_process(COMMAND "${WORK}/root/usr/bin/${tool}" --version RESULT_VARIABLE status OUTPUT_VARIABLE output)
    if(NOT status EQUAL 0 OR NOT output MATCHES "${VERSION}")
      message(FATAL_ERROR "the packaged ${tool} --version exited ${status}: ${output}")
    endif()
  endforeach()
endif()
