// Compiles the zip fuzzer's entry point under another name so fuzz_replay_test can call it
// without a fuzzing compiler.
#define LLVMFuzzerTestOneInput ZipFuzzerTestOneInput
#include "../../fuzz/container/zip_fuzzer.cc"  // NOLINT(build/include)
