// libFuzzer target for the evidence record reader (src/evidence/evidence_json.cc): raw bytes as
// an untrusted evidence.json. Whatever reads must also survive the writer and read back to a
// record that writes the same bytes again (write is a fixed point after one read), which checks
// the two directions against each other on inputs no test wrote by hand. Also compiled into
// tests/container (fuzz_replay_test, as EvidenceJsonFuzzerTestOneInput) to replay the seeds.
//
// Work cap: the reader is linear in the input and bounded by its own limits; the fuzzer skips
// inputs over 4 MiB so a run spends its time on shapes, not on size.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "evidence/evidence_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace piaudit;            // NOLINT
  using namespace piaudit::evidence;  // NOLINT
  if (size > (4u << 20)) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  EvidenceRecordInfo info;
  Result<AppEvidence> first = ReadEvidenceJson(text, "fuzz.json", Limits{}, &info);
  if (!first.ok()) {
    if (first.status().file() != "fuzz.json") {
      std::fprintf(stderr, "error without the file name: %s\n", first.status().ToString().c_str());
      std::abort();
    }
    return 0;
  }
  const std::string written = WriteEvidenceJson(*first, info);
  EvidenceRecordInfo info2;
  Result<AppEvidence> second = ReadEvidenceJson(written, "rewritten.json", Limits{}, &info2);
  if (!second.ok()) {
    std::fprintf(stderr, "a written record does not read back: %s\n",
                 second.status().ToString().c_str());
    std::abort();
  }
  if (WriteEvidenceJson(*second, info2) != written) {
    std::fprintf(stderr, "write(read(write(read(x)))) != write(read(x))\n");
    std::abort();
  }
  return 0;
}
