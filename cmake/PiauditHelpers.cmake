# One helper per kind of target, so every module declares its sources and dependencies the same way
# (the style of Abseil's absl_cc_library).

# piaudit_library(NAME SRCS a.cc b.cc DEPS piaudit_base fmt::fmt)
function(piaudit_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SRCS})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# piaudit_test(NAME SRCS x_test.cc DEPS piaudit_dex [LABELS corpus])
function(piaudit_test name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS;LABELS" ${ARGN})
  if(NOT PIAUDIT_BUILD_TESTS)
    return()
  endif()
  add_executable(${name} ${ARG_SRCS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    PIAUDIT_CORPUS_DIR="${PIAUDIT_CORPUS_DIR}"
    PIAUDIT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    PIAUDIT_DATA_DIR="${PIAUDIT_DATA_DIR}"
    PIAUDIT_BINARY_DIR="${PROJECT_BINARY_DIR}")
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES TIMEOUT 900)
  if(ARG_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
  endif()
endfunction()

# piaudit_fuzzer(NAME SRC x_fuzzer.cc DEPS piaudit_zip [DICT x.dict] [CORPUS dir])
# Builds a libFuzzer binary and registers a short ctest run of it (label "fuzz"); the run length
# comes from PIAUDIT_FUZZ_SECONDS so CI can choose it.
set(PIAUDIT_FUZZ_SECONDS 30 CACHE STRING "Seconds each fuzzer runs under ctest")
# piaudit_fuzzer(NAME SRC x_fuzzer.cc DEPS lib [DICT file] [CORPUS seed_dir] [SEED_SCRIPT sh]):
# SEED_SCRIPT runs before each run as `sh SCRIPT FUZZER_CORPUS_DIR SHARED_CORPUS_DIR`, e.g. to
# extract seeds from the shared corpus (nothing from it is copied into the repo).
function(piaudit_fuzzer name)
  cmake_parse_arguments(ARG "" "SRC;DICT;CORPUS;SEED_SCRIPT" "DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRC})
  set_property(GLOBAL APPEND PROPERTY PIAUDIT_FUZZERS ${name})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} -fsanitize=fuzzer)
  set(corpus_dir ${CMAKE_CURRENT_BINARY_DIR}/${name}_corpus)
  set(args -max_total_time=${PIAUDIT_FUZZ_SECONDS} -rss_limit_mb=2048 -timeout=10 -max_len=1048576)
  if(ARG_DICT)
    list(APPEND args -dict=${ARG_DICT})
  endif()
  set(seed_step "true")
  if(ARG_SEED_SCRIPT)
    set(seed_step "sh '${ARG_SEED_SCRIPT}' '${corpus_dir}' '${PIAUDIT_CORPUS_DIR}'")
  endif()
  set(seed_dirs)
  if(ARG_CORPUS)
    set(seed_dirs ${ARG_CORPUS})
  endif()
  add_test(NAME ${name}
    COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
            UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
            sh -c "mkdir -p '${corpus_dir}' && ${seed_step} && exec \"$0\" \"$@\"" $<TARGET_FILE:${name}> ${args} ${corpus_dir} ${seed_dirs})
  set_tests_properties(${name} PROPERTIES LABELS fuzz TIMEOUT 600)
endfunction()

# piaudit_benchmark(NAME SRCS x_bench.cc DEPS piaudit_dex)
function(piaudit_benchmark name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark)
  target_compile_definitions(${name} PRIVATE PIAUDIT_CORPUS_DIR="${PIAUDIT_CORPUS_DIR}"
    PIAUDIT_DATA_DIR="${PIAUDIT_DATA_DIR}")
endfunction()

# Adds every listed subdirectory that exists, so modules can land one at a time.
macro(piaudit_add_existing)
  foreach(dir ${ARGN})
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${dir}/CMakeLists.txt)
      add_subdirectory(${dir})
    endif()
  endforeach()
endmacro()
