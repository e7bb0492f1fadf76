# Screen facts over hand-written uiautomator dumps (tests/runtime/screens/) and the loader of
# data/runtime/screen_words.yaml. Included by tests/runtime/CMakeLists.txt.
piaudit_test(runtime_screen_test
  SRCS ${CMAKE_CURRENT_LIST_DIR}/screen_facts_test.cc ${CMAKE_CURRENT_LIST_DIR}/screen_words_test.cc
  DEPS piaudit_runtime piaudit_trace piaudit_knowledge)
