// annotations_directory_item -> class annotation_set_item -> annotation_item, for the three
// system annotations in annotations.h.
#include "dex/annotations.h"

#include <optional>
#include <string>

#include "dex/encoded_value.h"

namespace piaudit::dex {
namespace {

// Real classes carry a handful of annotations with a few elements each.
constexpr uint32_t kMaxAnnotationElements = 4096;

}  // namespace

Result<ClassAnnotations> ReadClassAnnotations(const DexFile& dex, const ClassDef& def) {
  ClassAnnotations out;
  if (def.annotations_off == 0) return out;
  const ByteSpan file = dex.bytes();
  const std::string structure = "class_defs[" + std::to_string(def.index) + "].annotations";
  auto fail = [&](Status s, uint64_t off) { return std::move(s.At(dex.name(), structure, off)); };
  // annotations_directory_item starts with class_annotations_off.
  const uint32_t dir = def.annotations_off;
  std::optional<uint32_t> set_off = file.U32At(dir);
  if (dir % 4 != 0 || !set_off) return fail(InvalidInput("bad annotations_off"), dir);
  if (*set_off == 0) return out;
  std::optional<uint32_t> set_size = file.U32At(*set_off);
  if (*set_off % 4 != 0 || !set_size) {
    return fail(InvalidInput("class_annotations_off unaligned or past the end"), dir);
  }
  if (*set_size > (file.size() - *set_off - 4) / 4) {
    return fail(Truncated("annotation_set_item size does not fit"), *set_off);
  }
  Annotation a;
  std::string scratch;
  for (uint32_t i = 0; i < *set_size; ++i) {
    const uint32_t item_off = *file.U32At(*set_off + 4 + 4 * i);  // checked by the size test
    Status s = ReadAnnotationItem(file, item_off, kMaxAnnotationElements, &a);
    if (!s.ok()) return std::move(s.InFile(dex.name()));
    if (a.type >= dex.num_types()) {
      return fail(InvalidInput("annotation type_idx " + std::to_string(a.type) + " out of range"),
                  item_off);
    }
    out.types.push_back(a.type);
    const std::string_view type = dex.TypeDescriptor(a.type, &scratch);
    const bool enclosing_class = type == "Ldalvik/annotation/EnclosingClass;";
    const bool enclosing_method = type == "Ldalvik/annotation/EnclosingMethod;";
    const bool inner = type == "Ldalvik/annotation/InnerClass;";
    if (!enclosing_class && !enclosing_method && !inner) continue;
    out.is_inner |= inner;
    for (const AnnotationElement& e : a.elements) {
      if (e.name >= dex.num_strings()) {
        return fail(InvalidInput("annotation element name out of range"), item_off);
      }
      const std::string_view name = dex.StringData(e.name);
      const EncodedValue& v = e.value;
      if (enclosing_class && name == "value" && v.type == ValueType::kType &&
          v.index() < dex.num_types()) {
        out.enclosing_class = v.index();
      } else if (enclosing_method && name == "value" && v.type == ValueType::kMethod &&
                 v.index() < dex.num_methods()) {
        out.enclosing_method = v.index();
      } else if (inner && name == "name" && v.type == ValueType::kString &&
                 v.index() < dex.num_strings()) {
        out.inner_name = v.index();
      } else if (inner && name == "accessFlags" && v.type == ValueType::kInt) {
        out.inner_access_flags = static_cast<uint32_t>(v.bits);
      }
    }
  }
  return out;
}

}  // namespace piaudit::dex
