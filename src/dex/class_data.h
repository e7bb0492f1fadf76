// The decoded class_data_item of one class: its fields and methods (DexFile::ReadClassData).
//
// Tricky: on disk, field and method indices are ULEB128 *differences* from the previous entry of
// the same list (the first is absolute), and each list restarts at zero. ReadClassData undoes the
// differences and checks every resulting index against field_ids/method_ids, and that the sum
// does not wrap around 2^32 (a hostile file can make a "diff" of 0xffffffff walk backwards).
#ifndef PIAUDIT_DEX_CLASS_DATA_H_
#define PIAUDIT_DEX_CLASS_DATA_H_

#include <cstdint>
#include <vector>

namespace piaudit::dex {

struct EncodedField {
  uint32_t field_idx = 0;
  uint32_t access_flags = 0;
};

struct EncodedMethod {
  uint32_t method_idx = 0;
  uint32_t access_flags = 0;
  uint32_t code_off = 0;  // 0 for abstract and native methods
  bool is_virtual = false;
};

struct ClassData {
  std::vector<EncodedField> static_fields;
  std::vector<EncodedField> instance_fields;
  std::vector<EncodedMethod> direct_methods;
  std::vector<EncodedMethod> virtual_methods;

  void Clear() {
    static_fields.clear();
    instance_fields.clear();
    direct_methods.clear();
    virtual_methods.clear();
  }
  size_t num_methods() const { return direct_methods.size() + virtual_methods.size(); }
  size_t num_fields() const { return static_fields.size() + instance_fields.size(); }
};

}  // namespace piaudit::dex

#endif  // PIAUDIT_DEX_CLASS_DATA_H_
