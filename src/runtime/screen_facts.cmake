# Facts about one screen of the running app (screen_facts.h), read from uiautomator dumps with the
# word lists of data/runtime/screen_words.yaml. Included by src/runtime/CMakeLists.txt, which adds
# these sources to piaudit_runtime (it needs piaudit_trace for the dump and piaudit_knowledge for
# the words).
set(PIAUDIT_RUNTIME_SCREEN_SRCS screen_facts.cc)
