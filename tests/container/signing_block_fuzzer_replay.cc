// The signing block fuzzer's entry point under another name, for fuzz_replay_test.
#define LLVMFuzzerTestOneInput SigningBlockFuzzerTestOneInput
#include "../../fuzz/container/signing_block_fuzzer.cc"  // NOLINT(build/include)
