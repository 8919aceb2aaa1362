# Every header outside transport/ must compile without Asio, Beast or <openssl/ssl.h>:
# they are what makes a translation unit slow, and the core promises to be cheap.
# The compiler lists each header's whole include graph (-M), and the test fails on
# any forbidden file in it.
# -DCXX=<compiler> -DINCLUDE_DIR=<include/> -DDEPENDENCY_INCLUDE_DIRS=<dir|dir|...> [-DMIN_HEADERS=5]
# With -DHEADERS=<h|h|...> -DFORBIDDEN=<regex> [-DSEPARATE=ON] it checks those headers
# against that pattern instead (the client's headers against the credential providers'
# system headers, say).
string(REPLACE "|" ";" dependency_dirs "${DEPENDENCY_INCLUDE_DIRS}")
set(include_flags "-I${INCLUDE_DIR}")
foreach(dir IN LISTS dependency_dirs)
  list(APPEND include_flags "-I${dir}")  # not -isystem: that would reorder /usr/include and break #include_next
endforeach()

if(DEFINED HEADERS)
  string(REPLACE "|" ";" headers "${HEADERS}")
else()
  file(GLOB_RECURSE headers RELATIVE "${INCLUDE_DIR}" "${INCLUDE_DIR}/mturk/crowd/*.hpp")
  list(FILTER headers EXCLUDE REGEX "^mturk/crowd/transport/")
  # The headers that are Asio on purpose: the asynchronous runner, the clients over the
  # Beast transport, and the asynchronous batch pipeline.
  list(FILTER headers EXCLUDE REGEX "^mturk/crowd/(engine/async_runner|async_operations|beast_client|beast_async_client|batch/async_pipeline)\\.hpp$")
  # src.hpp compiles the Beast transport with the rest, and src_server.hpp the server, on purpose; src_core.hpp, the core's,
  # is checked (in separate-compilation mode).
  list(FILTER headers EXCLUDE REGEX "^mturk/crowd/src(_server)?\\.hpp$")
endif()
if(NOT DEFINED FORBIDDEN)
  set(FORBIDDEN "(boost/asio[/.]|boost/beast[/.]|openssl/ssl\\.h)")
endif()
list(LENGTH headers count)
if(NOT DEFINED MIN_HEADERS)
  set(MIN_HEADERS 5)
endif()
if(count LESS MIN_HEADERS)
  message(FATAL_ERROR "found only ${count} core headers under ${INCLUDE_DIR}: wrong directory?")
endif()

set(failures "")
foreach(header IN LISTS headers)
  # src_core.hpp exists only for separately compiled builds (it stops others with #error).
  set(mode "")
  if(SEPARATE OR header MATCHES "(src_core|testing/src)\\.hpp$")
    set(mode -DMTURK_CROWD_SEPARATE_COMPILATION)
  endif()
  execute_process(
    COMMAND "${CXX}" -std=c++20 ${include_flags} ${mode} -M -x c++ "${INCLUDE_DIR}/${header}"
    RESULT_VARIABLE status OUTPUT_VARIABLE deps ERROR_VARIABLE errors)
  if(NOT status EQUAL 0)
    string(APPEND failures "${header}: does not compile on its own:\n${errors}\n")
  elseif(deps MATCHES "${FORBIDDEN}")
    string(APPEND failures "${header}: includes ${CMAKE_MATCH_1}\n")
  endif()
endforeach()
if(failures)
  message(FATAL_ERROR "headers that break the isolation rule:\n${failures}")
endif()
message(STATUS "${count} headers checked; none includes ${FORBIDDEN}")
