# Script tests: one ctest test `script/NAME` per tests/scripts/NAME.py
# (helper modules mod_*.py are imported by tests, not run).  Each runs the
# `twinpy` executable through tests/run_script.sh, which compares stdout,
# the exit status and the last line of stderr with the results CPython
# produced (NAME.out, NAME.rc, NAME.err; see docs/testing.md).
# Included from the TWINPY_TESTS block of CMakeLists.txt; does nothing until
# the `twinpy` executable target exists.
if(TARGET twinpy)
  # Scripts waiting for an open issue's feature (tests/scripts/PENDING).
  file(STRINGS ${CMAKE_CURRENT_LIST_DIR}/scripts/PENDING TW_PENDING_LINES REGEX "^[a-z_0-9]+ ")
  set(TW_PENDING_SCRIPTS "")
  foreach(line ${TW_PENDING_LINES})
    string(REGEX MATCH "^[a-z_0-9]+" pending_name "${line}")
    list(APPEND TW_PENDING_SCRIPTS ${pending_name})
  endforeach()
  file(GLOB TW_SCRIPT_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/scripts/*.py)
  foreach(script ${TW_SCRIPT_TESTS})
    get_filename_component(name ${script} NAME_WE)
    if(name MATCHES "^mod_")
      continue()
    endif()
    add_test(NAME script/${name}
      COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/run_script.sh
        $<TARGET_FILE:twinpy> ${CMAKE_CURRENT_LIST_DIR}/scripts ${name})
    # run_script.sh stops the script after 60 s; the margin covers its own work.
    set_tests_properties(script/${name} PROPERTIES TIMEOUT 90 LABELS script)
    if(TWINPY_TSAN)
      # A child forked while other threads run may start threads of its own
      # (multiprocessing, lib_os_fork_threads); TSan stops such a child
      # unless told to go on.  TSan runs the scripts several times slower,
      # on a machine that may be loaded: the stress scripts get four times
      # the usual limit rather than fewer rounds.
      set_tests_properties(script/${name} PROPERTIES TIMEOUT 300
        ENVIRONMENT_MODIFICATION
          "TSAN_OPTIONS=string_append: die_after_fork=0;TWINPY_SCRIPT_TIMEOUT=set:240")
    endif()
    if(name IN_LIST TW_PENDING_SCRIPTS)
      set_tests_properties(script/${name} PROPERTIES DISABLED TRUE LABELS "script;pending")
    endif()
  endforeach()
endif()
