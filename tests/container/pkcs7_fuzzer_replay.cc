// The PKCS#7 fuzzer's entry point under another name, for fuzz_replay_test.
#define LLVMFuzzerTestOneInput Pkcs7FuzzerTestOneInput
#include "../../fuzz/container/pkcs7_fuzzer.cc"  // NOLINT(build/include)
