# The readers of uiautomator dumps, logcat, MobSF's API monitor and Camille's report, and the
# dump parser. Included by tests/trace/CMakeLists.txt.
piaudit_test(trace_ui_reader_test
  SRCS ${CMAKE_CURRENT_LIST_DIR}/ui_hierarchy_test.cc ${CMAKE_CURRENT_LIST_DIR}/logcat_reader_test.cc
       ${CMAKE_CURRENT_LIST_DIR}/mobsf_reader_test.cc ${CMAKE_CURRENT_LIST_DIR}/camille_reader_test.cc
  DEPS piaudit_trace)
