# Debian packages through CPack (`cpack -G DEB` in a build configured with
# -DCMAKE_INSTALL_PREFIX=/usr, which gives Debian's multiarch library folder):
#   libmturk-crowd-dev  the headers, the CMake package, the pkg-config files, the archive
#                       and the shared library's link name;
#   libmturk-crowd0.1   the shared library alone (Debian's policy: a library package
#                       named after its soname, which lintian checks);
#   mturk-crowd-tools   crowd and crowd-emulator, their man pages and shell completions.
# Each carries its copyright and changelogs under /usr/share/doc/<package>/. A
# description's first line is the synopsis; CPack indents the rest and turns an empty
# line into Debian's " .".

set(MTURK_CROWD_DEB_MAINTAINER "mturk-crowd-cpp maintainers <mturk-crowd-cpp@users.noreply.github.com>"
    CACHE STRING "The Maintainer field of the Debian packages")
set(_soversion "${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}")
set(_runtime_package "libmturk-crowd${_soversion}")
set(_debian_revision 1)
set(_deb_version "${PROJECT_VERSION}-${_debian_revision}")

# /usr/share/doc/<package>/: copyright (machine-readable, from LICENSE), the upstream
# changelog and a Debian changelog, both compressed as Debian's policy asks (gzip -9n).
set(_doc_dir "${PROJECT_BINARY_DIR}/debian-doc")
file(READ "${PROJECT_SOURCE_DIR}/LICENSE" _license)
string(REGEX REPLACE "\n\n" "\n.\n" _license "${_license}")
string(REGEX REPLACE "\n" "\n " _license "${_license}")
string(REGEX REPLACE " \n" "\n" _license "${_license}")
file(WRITE "${_doc_dir}/copyright" "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: mturk-crowd-cpp

Files: *
Copyright: 2026 The mturk-crowd-cpp authors
License: BSL-1.0
 ${_license}
")
# The Debian changelog's date is the release's (CHANGELOG.md; CMakeLists.txt reads it).
execute_process(COMMAND date -u -d "@${MTURK_CROWD_RELEASE_EPOCH}" "+%a, %d %b %Y %H:%M:%S +0000"
                OUTPUT_VARIABLE _changelog_date OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
file(WRITE "${_doc_dir}/changelog.Debian" "mturk-crowd (${_deb_version}) unstable; urgency=medium

  * Packaged by CPack from mturk-crowd-cpp ${PROJECT_VERSION}; the upstream
    changelog (changelog.gz) says what the version holds.

 -- ${MTURK_CROWD_DEB_MAINTAINER}  ${_changelog_date}
")
file(COPY_FILE "${PROJECT_SOURCE_DIR}/CHANGELOG.md" "${_doc_dir}/changelog")
foreach(_file IN ITEMS changelog.Debian changelog)
  execute_process(COMMAND "${MTURK_CROWD_GZIP}" -9nf "${_doc_dir}/${_file}" COMMAND_ERROR_IS_FATAL ANY)
endforeach()
foreach(_pair IN ITEMS "mturk_crowd_development;libmturk-crowd-dev" "mturk_crowd_runtime;${_runtime_package}"
                       "mturk_crowd_tools;mturk-crowd-tools")
  list(GET _pair 0 _component)
  list(GET _pair 1 _package)
  install(FILES "${_doc_dir}/copyright" "${_doc_dir}/changelog.Debian.gz" "${_doc_dir}/changelog.gz"
          DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/${_package}" COMPONENT ${_component})
endforeach()
# ldconfig runs after the shared library arrives or leaves. The trigger is what lintian
# requires (without it: the error lacks-ldconfig-trigger, tried); CPack's own postinst and
# postrm call ldconfig as well, which lintian only warns about (maintscript-calls-ldconfig).
file(WRITE "${PROJECT_BINARY_DIR}/debian-control/runtime/triggers" "activate-noawait ldconfig\n")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mturk-crowd)
set(CPACK_PACKAGE_VENDOR "The mturk-crowd-cpp authors")
set(CPACK_PACKAGE_CONTACT "${MTURK_CROWD_DEB_MAINTAINER}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
# Empty: CPack would put the project's description before each package's synopsis.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL mturk_crowd_development)
if(MTURK_CROWD_BUILD_COMPILED)
  list(APPEND CPACK_COMPONENTS_ALL mturk_crowd_runtime)
endif()
if(MTURK_CROWD_BUILD_TOOLS)
  list(APPEND CPACK_COMPONENTS_ALL mturk_crowd_tools)
endif()
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${_debian_revision})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${MTURK_CROWD_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SOURCE mturk-crowd)
# dpkg-shlibdeps computes what the binaries load (libssl3, libboost-json1.81.0, ...).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)

set(CPACK_DEBIAN_MTURK_CROWD_DEVELOPMENT_PACKAGE_NAME libmturk-crowd-dev)
set(CPACK_DEBIAN_MTURK_CROWD_DEVELOPMENT_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_MTURK_CROWD_DEVELOPMENT_PACKAGE_DEPENDS
  "libboost1.81-dev, libboost-json1.81-dev, libssl-dev (>= 1.1.1), libexpat1-dev (>= 2.2)")
if(MTURK_CROWD_BUILD_COMPILED)
  string(PREPEND CPACK_DEBIAN_MTURK_CROWD_DEVELOPMENT_PACKAGE_DEPENDS "${_runtime_package} (= ${_deb_version}), ")
endif()
set(CPACK_DEBIAN_MTURK_CROWD_DEVELOPMENT_DESCRIPTION "C++20 client for the Amazon Mechanical Turk crowd API (development files)
mturk-crowd-cpp is a header-only C++20 client for the Amazon Mechanical Turk
single-purpose (crowd) REST API: typed tasks for every function, AWS Signature
Version 4, the AWS SDKs' credential chain and retry modes, and transports over
Boost.Beast and OpenSSL.

This package holds the headers, the CMake package (find_package(mturk_crowd)),
the pkg-config files and the separately compiled library (static, and the
link name of the shared one).")

set(CPACK_DEBIAN_MTURK_CROWD_RUNTIME_PACKAGE_NAME "${_runtime_package}")
set(CPACK_DEBIAN_MTURK_CROWD_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_MTURK_CROWD_RUNTIME_PACKAGE_CONTROL_EXTRA "${PROJECT_BINARY_DIR}/debian-control/runtime/triggers")
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY "=")
set(CPACK_DEBIAN_MTURK_CROWD_RUNTIME_DESCRIPTION "C++20 client for the Amazon Mechanical Turk crowd API (shared library)
mturk-crowd-cpp is a header-only C++20 client for the Amazon Mechanical Turk
single-purpose (crowd) REST API. This package holds its non-template code
compiled once, for programs built with MTURK_CROWD_SEPARATE_COMPILATION.")

set(CPACK_DEBIAN_MTURK_CROWD_TOOLS_PACKAGE_NAME mturk-crowd-tools)
set(CPACK_DEBIAN_MTURK_CROWD_TOOLS_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_MTURK_CROWD_TOOLS_DESCRIPTION "command-line client and local emulator of the MTurk crowd API
crowd creates, polls, waits for and deletes tasks of the Amazon Mechanical
Turk single-purpose (crowd) API from a shell, runs whole JSON Lines files of
tasks, and signs requests with AWS Signature Version 4. crowd-emulator serves
the API on a local port over HTTP or HTTPS, for tests.")

include(CPack)
