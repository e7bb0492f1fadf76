// The class-level system annotations that tie nested classes to their outer code:
// dalvik.annotation.EnclosingClass / EnclosingMethod / InnerClass (javac's InnerClasses and
// EnclosingMethod attributes, as d8 writes them). An anonymous class `Lcom/a/B$1;` created in
// `B.onCreate` carries EnclosingMethod = B.onCreate, which lets analysis attribute its callbacks to
// the code that created it, and its InnerClass name is null.
//
// Tricky: the annotations directory, annotation sets and items are all separate offsets; each is
// checked against the file and its alignment, and element values are checked against their tables
// before they are returned. Obfuscators strip or forge these annotations: they are hints.
#ifndef PIAUDIT_DEX_ANNOTATIONS_H_
#define PIAUDIT_DEX_ANNOTATIONS_H_

#include <cstdint>
#include <vector>

#include "dex/dex_file.h"

namespace piaudit::dex {

struct ClassAnnotations {
  uint32_t enclosing_class = kNoIndex;   // type index (EnclosingClass.value)
  uint32_t enclosing_method = kNoIndex;  // method index (EnclosingMethod.value)
  bool is_inner = false;                 // has an InnerClass annotation
  uint32_t inner_name = kNoIndex;        // string index; kNoIndex for anonymous classes
  uint32_t inner_access_flags = 0;
  std::vector<uint32_t> types;  // type index of every class annotation (any visibility)
};

// Reads the class annotations of `def` (empty when it has none).
Result<ClassAnnotations> ReadClassAnnotations(const DexFile& dex, const ClassDef& def);

}  // namespace piaudit::dex

#endif  // PIAUDIT_DEX_ANNOTATIONS_H_
