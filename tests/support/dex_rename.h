// Test fixtures for obfuscation: renames classes (and the members only they use) inside a real
// dex file, the way ProGuard/R8 renaming and -repackageclasses flattening do, so the expected
// owner of every class is known by construction.
//
// Every new name has exactly the length of the old one, so the rewrite patches string data in
// place and no offset in the file moves; this is what makes it safe on any dex without a dex
// writer. Consequences, accepted for a fixture: names are random letters of the old length rather
// than R8's "a", "b"; the string table is no longer sorted (ART would refuse the file, piaudit and
// dexdump read it). The header checksum and signature are recomputed.
#ifndef PIAUDIT_TESTS_SUPPORT_DEX_RENAME_H_
#define PIAUDIT_TESTS_SUPPORT_DEX_RENAME_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "base/status.h"

namespace piaudit::testing {

enum class RenameMode {
  kRename,   // each package and class name segment becomes random letters of its length
  kFlatten,  // the whole descriptor becomes "Lo/<random>;" : every class in one package
};

struct RenamePlan {
  RenameMode mode = RenameMode::kRename;
  // Which defined classes to rename (descriptor "Lcom/x/Y;"); classes the manifest names should
  // be left out, as R8 keeps them.
  std::function<bool(std::string_view)> select;
  bool rename_members = true;  // method and field names used only by renamed classes
  uint64_t seed = 1;
};

struct RenameResult {
  std::string dex;
  std::map<std::string, std::string> original_of;  // new descriptor -> old descriptor
  size_t members_renamed = 0;
};

Result<RenameResult> RenameDexClasses(std::string_view dex_bytes, const RenamePlan& plan);

}  // namespace piaudit::testing

#endif  // PIAUDIT_TESTS_SUPPORT_DEX_RENAME_H_
