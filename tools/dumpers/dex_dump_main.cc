// piaudit-dump-dex: prints what piaudit's dex reader sees in one or more .dex files, for parity
// checks against `dexdump` (tests/dex/dexdump_parity_test.cc does the comparison automatically).
//
//   piaudit-dump-dex [-d] [-v] [-s] file.dex...
//     -d  disassemble code     -v  verify checksum and signature     -s  summary counts only
// Exit status: 0 when every file opened, 1 otherwise. Per-class/method problems are printed as
// diagnostics and do not change the exit status.
#include <cstdio>
#include <cstring>
#include <string>

#include "base/diagnostics.h"
#include "base/mapped_file.h"
#include "dex/class_data.h"
#include "dex/code_item.h"
#include "dex/dex_file.h"
#include "dex/dex_walk.h"
#include "dex/disassembler.h"

namespace {

using piaudit::Diagnostics;
using namespace piaudit::dex;  // NOLINT: a thin main

int DumpOne(const std::string& path, bool disassemble, bool verify, bool summary) {
  piaudit::Limits limits;
  auto mapped = piaudit::MappedFile::Open(path, limits.max_entry_inflated_bytes);
  if (!mapped.ok()) {
    fprintf(stderr, "%s\n", mapped.status().ToString().c_str());
    return 1;
  }
  const std::string name = path.substr(path.find_last_of('/') + 1);
  auto dex = DexFile::Open((*mapped)->bytes(), name, limits);
  if (!dex.ok()) {
    fprintf(stderr, "%s\n", dex.status().ToString().c_str());
    return 1;
  }
  printf("file %s: dex %03u, %u strings, %u types, %u protos, %u fields, %u methods, %u classes\n",
         name.c_str(), dex->header().version, dex->num_strings(), dex->num_types(),
         dex->num_protos(), dex->num_fields(), dex->num_methods(), dex->num_class_defs());
  if (verify) {
    piaudit::Status c = dex->VerifyChecksum();
    piaudit::Status s = dex->VerifySignature();
    printf("checksum: %s\nsignature: %s\n", c.ok() ? "ok" : c.ToString().c_str(),
           s.ok() ? "ok" : s.ToString().c_str());
  }
  Diagnostics diags;
  std::string text;
  uint32_t last_class = kNoIndex;
  DexWalkStats stats = ForEachMethod(*dex, &diags, [&](const MethodView& view) {
    if (summary) return;
    if (view.class_def->index != last_class) {
      last_class = view.class_def->index;
      std::string super =
          view.class_def->superclass == kNoIndex ? "-" : dex->TypeName(view.class_def->superclass);
      printf("class %s extends %s flags 0x%04x\n",
             dex->TypeName(view.class_def->class_type).c_str(), super.c_str(),
             view.class_def->access_flags);
      for (uint32_t i = 0; i < view.class_def->interfaces.size(); ++i) {
        printf("  implements %s\n", dex->TypeName(view.class_def->interfaces[i]).c_str());
      }
    }
    printf("  %s %s flags 0x%04x", view.method->is_virtual ? "virtual" : "direct",
           dex->MethodRefString(view.method->method_idx).c_str(), view.method->access_flags);
    if (view.code != nullptr) {
      printf(" registers %u ins %u outs %u insns %u", view.code->registers_size,
             view.code->ins_size, view.code->outs_size, view.code->insns_size);
    }
    printf("\n");
    if (!disassemble || view.code == nullptr) return;
    InstructionIterator it = view.code->Instructions();
    Instruction insn;
    while (it.Next(&insn)) {
      text.clear();
      AppendInstructionText(*dex, insn, &text);
      printf("    %04x: %s\n", insn.dex_pc, text.c_str());
    }
    if (!it.status().ok()) printf("    error: %s\n", it.status().ToString().c_str());
  });
  printf("summary: %llu classes, %llu methods, %llu code items, %llu errors\n",
         static_cast<unsigned long long>(stats.classes),
         static_cast<unsigned long long>(stats.methods),
         static_cast<unsigned long long>(stats.code_items),
         static_cast<unsigned long long>(stats.errors));
  for (const auto& d : diags.items()) printf("diagnostic: %s\n", d.ToString().c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  bool disassemble = false, verify = false, summary = false;
  int files = 0, failed = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "-d") == 0) {
      disassemble = true;
    } else if (std::strcmp(argv[i], "-v") == 0) {
      verify = true;
    } else if (std::strcmp(argv[i], "-s") == 0) {
      summary = true;
    } else if (argv[i][0] == '-') {
      fprintf(stderr, "usage: %s [-d] [-v] [-s] file.dex...\n", argv[0]);
      return 2;
    } else {
      ++files;
      failed += DumpOne(argv[i], disassemble, verify, summary);
    }
  }
  if (files == 0) {
    fprintf(stderr, "usage: %s [-d] [-v] [-s] file.dex...\n", argv[0]);
    return 2;
  }
  return failed == 0 ? 0 : 1;
}
