// The evidence record fuzzer's entry point under another name, for fuzz_replay_test.
#define LLVMFuzzerTestOneInput EvidenceJsonFuzzerTestOneInput
#include "../../fuzz/evidence/evidence_json_fuzzer.cc"  // NOLINT(build/include)
