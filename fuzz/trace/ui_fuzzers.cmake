# Fuzz targets of the uiautomator dump parser and the logcat, MobSF and Camille readers. Included
# by fuzz/trace/CMakeLists.txt. Seeds: the hand-written screens of the runtime tests, small text
# samples under corpus/, and an xlsx the seed script builds with `zip`.
set(PIAUDIT_TRACE_UI_DICT ${CMAKE_CURRENT_LIST_DIR}/trace_ui.dict)
piaudit_fuzzer(ui_hierarchy_fuzzer SRC ${CMAKE_CURRENT_LIST_DIR}/ui_hierarchy_fuzzer.cc
  DEPS piaudit_trace DICT ${PIAUDIT_TRACE_UI_DICT}
  CORPUS ${PROJECT_SOURCE_DIR}/tests/runtime/screens)
piaudit_fuzzer(logcat_fuzzer SRC ${CMAKE_CURRENT_LIST_DIR}/logcat_fuzzer.cc
  DEPS piaudit_trace DICT ${PIAUDIT_TRACE_UI_DICT} CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/logcat)
piaudit_fuzzer(mobsf_fuzzer SRC ${CMAKE_CURRENT_LIST_DIR}/mobsf_fuzzer.cc
  DEPS piaudit_trace DICT ${PIAUDIT_TRACE_UI_DICT} CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/mobsf)
piaudit_fuzzer(camille_fuzzer SRC ${CMAKE_CURRENT_LIST_DIR}/camille_fuzzer.cc
  DEPS piaudit_trace DICT ${PIAUDIT_TRACE_UI_DICT}
  SEED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/camille_seeds.sh)
# The fuzzers include trace/trace_fuzz_sink.h from this folder.
foreach(t ui_hierarchy_fuzzer logcat_fuzzer mobsf_fuzzer camille_fuzzer)
  target_include_directories(${t} PRIVATE ${PROJECT_SOURCE_DIR}/fuzz)
endforeach()
