// The ELF fuzzer's entry point under another name, for fuzz_replay_test.
#define LLVMFuzzerTestOneInput ElfFuzzerTestOneInput
#include "../../fuzz/native/elf_fuzzer.cc"  // NOLINT(build/include)
