# Writes a tool's man page with help2man from its --help and --version, adding a section
# with each command's own --help, and compresses it as Debian's policy asks (gzip -9n).
# -DHELP2MAN -DGZIP -DTOOL (the executable) -DNAME -DSUMMARY (the NAME section's line)
# -DCOMMANDS (|-separated, may be empty) -DSEE_ALSO (the other tool) -DOUTPUT (the .1.gz) -DSOURCE_DATE_EPOCH (the
# release's date, so that the page is the same bytes whenever it is built)
string(REPLACE "|" ";" COMMANDS "${COMMANDS}")
get_filename_component(folder "${OUTPUT}" DIRECTORY)
file(MAKE_DIRECTORY "${folder}")
set(include_file "${folder}/${NAME}.h2m")
set(page "${folder}/${NAME}.1")

# roff reads a backslash as an escape and a line starting with . or ' as a request.
function(to_roff text out)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

file(WRITE "${include_file}" "[SEE ALSO]\n.BR ${SEE_ALSO} (1)\n")
if(COMMANDS)
  file(APPEND "${include_file}" "[COMMANDS]\nEach command's options; options before the command are the same.\n")
  foreach(command IN LISTS COMMANDS)
    execute_process(COMMAND "${TOOL}" ${command} --help OUTPUT_VARIABLE help RESULT_VARIABLE status)
    if(NOT status EQUAL 0)
      message(FATAL_ERROR "${TOOL} ${command} --help exited with ${status}")
    endif()
    to_roff("${help}" help)
    file(APPEND "${include_file}" ".SS \"${NAME} ${command}\"\n.nf\n${help}.fi\n")
  endforeach()
endif()

set(ENV{SOURCE_DATE_EPOCH} "${SOURCE_DATE_EPOCH}")
execute_process(COMMAND "${HELP2MAN}" --no-info --no-discard-stderr --name "${SUMMARY}" --include "${include_file}"
                        --output "${page}" "${TOOL}"
                RESULT_VARIABLE status ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "help2man failed on ${TOOL} (${status}): ${errors}")
endif()
execute_process(COMMAND "${GZIP}" -9nf "${page}" COMMAND_ERROR_IS_FATAL ANY)
