// libFuzzer target for the dex reader: opens the bytes as a dex and walks every class, method and
// instruction, formatting every reference and running the reflection scanner, as a scan would.
// Also compiled into tests/dex (dex_fuzz_replay_test) to replay seeds without a fuzzing compiler.
//
// Work cap: class data may point many methods at one large code item, so decoding is quadratic
// in the input size in the worst case; the fuzzer stops decoding after kMaxInstructions (the
// analysis layer de-duplicates code items for the same reason).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/diagnostics.h"
#include "dex/annotations.h"
#include "dex/call_site.h"
#include "dex/class_data.h"
#include "dex/code_item.h"
#include "dex/dex_file.h"
#include "dex/dex_walk.h"
#include "dex/disassembler.h"
#include "dex/reflection.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace piaudit;       // NOLINT
  using namespace piaudit::dex;  // NOLINT
  constexpr uint64_t kMaxInstructions = 2'000'000;
  Limits limits;
  Diagnostics diags(64);
  Result<DexFile> dex = DexFile::Open(ByteSpan(data, size), "fuzz.dex", limits, &diags);
  if (!dex.ok()) return 0;
  (void)dex->VerifyChecksum();
  ReflectionScanner scanner;
  std::vector<ConstantReflection> found;
  std::string text;
  uint64_t budget = kMaxInstructions;
  ForEachMethod(*dex, &diags, [&](const MethodView& view) {
    text.clear();
    dex->AppendMethodRef(view.method->method_idx, &text);
    if (view.code == nullptr || budget == 0) return;
    InstructionIterator it = view.code->Instructions();
    Instruction insn;
    while (budget > 0 && it.Next(&insn)) {
      --budget;
      text.clear();
      AppendInstructionText(*dex, insn, &text);
    }
    if (budget > view.code->insns_size) {
      budget -= view.code->insns_size;
      found.clear();
      (void)scanner.Scan(*dex, *view.code, &found);
    }
  });
  for (uint32_t i = 0; i < dex->num_class_defs() && i < 100000; ++i) {
    Result<ClassDef> def = dex->GetClassDef(i);
    if (def.ok()) (void)ReadClassAnnotations(*dex, *def);
  }
  for (uint32_t i = 0; i < dex->num_call_sites() && i < 10000; ++i) {
    Result<CallSite> site = ReadCallSite(*dex, i);
    if (site.ok()) (void)CallSiteTargetMethod(*dex, *site);
  }
  for (uint32_t i = 0; i < dex->num_strings() && i < 100000; ++i) {
    std::string scratch;
    (void)dex->GetStringView(i, &scratch);
  }
  return 0;
}
