// DexFile: a read-only, lazily decoded view of one .dex file (versions 035 to 041).
//
// Ownership: DexFile does not own its bytes. The ByteSpan passed to Open (a mapped stored entry or
// a buffer inflated by the scan) must outlive the DexFile and every view, CodeItem, TypeList and
// string_view obtained from it. A DexFile is a small copyable value with no mutable state, so
// several threads may read one DexFile (or several) at once.
//
// What Open checks (once; accessors then trust it, see "Precondition" comments in the .cc):
//   header (magic, version, file_size vs the bytes, header_size, endian tag), the map list, and
//   every id table: string_ids (each string's data found and NUL-terminated inside the file),
//   type_ids, proto_ids (with parameter type lists), field_ids, method_ids, call_site_ids and
//   method_handles: every index against its table, every offset against the file.
// What Open reports but accepts: string data that is not valid MUTF-8 or disagrees with its
//   utf16_size. ART's verifier rejects the whole file for that; an auditor still wants the rest of
//   the code, so the file is analysed (such strings decode with U+FFFD) and the anomaly goes to the
//   Diagnostics given to Open, as an error naming the dex, string_ids[i] and the byte offset.
// What Open does not check, so that one bad class cannot hide the rest of the app: class_defs,
//   class data, code items. GetClassDef, ReadClassData and GetCodeItem check those on every call
//   and return a Status naming the structure and byte offset; dex_walk.h turns those into
//   Diagnostics and goes on. Checksum and signature are verified only on request.
//
// Spec: https://source.android.com/docs/core/runtime/dex-format ; notes in docs/formats/dex.md.
#ifndef PIAUDIT_DEX_DEX_FILE_H_
#define PIAUDIT_DEX_DEX_FILE_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/byte_span.h"
#include "base/diagnostics.h"
#include "base/limits.h"
#include "base/status.h"
#include "dex/access_flags.h"
#include "dex/instruction.h"  // kNoIndex

namespace piaudit::dex {

struct ClassData;
struct CodeItem;

// The header fields callers may want (plain names; the raw struct is internal/dex_structs.h).
struct DexHeader {
  uint32_t version = 0;  // 35, 37, 38, 39, 40 or 41
  uint32_t checksum = 0;
  std::array<uint8_t, 20> signature{};
  uint32_t file_size = 0;
  uint32_t header_size = 0;
  uint32_t map_off = 0;
  uint32_t data_size = 0;
  uint32_t data_off = 0;
};

struct ProtoId {
  uint32_t shorty = 0;          // string index
  uint32_t return_type = 0;     // type index
  uint32_t parameters_off = 0;  // 0 when no parameters
};
struct FieldId {
  uint32_t class_type = 0;  // type index of the defining class
  uint32_t type = 0;        // type index of the field's type
  uint32_t name = 0;        // string index
};
struct MethodId {
  uint32_t class_type = 0;  // type index of the defining class
  uint32_t proto = 0;       // proto index
  uint32_t name = 0;        // string index
};
// method_handle_item; `target` is a field index for the four field kinds (type <= 3), else a
// method index.
struct MethodHandle {
  uint32_t type = 0;
  uint32_t target = 0;
  bool is_field() const { return type <= 3; }
};

// A type_list (interfaces of a class, parameters of a proto): a view of uint16 type indices.
// Indices were checked against type_ids when the list was obtained.
class TypeList {
 public:
  TypeList() = default;
  TypeList(ByteSpan entries, uint32_t size) : entries_(entries), size_(size) {}
  uint32_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // REQUIRES: i < size()
  uint32_t operator[](uint32_t i) const {
    return static_cast<uint32_t>(entries_[2 * i]) |
           (static_cast<uint32_t>(entries_[2 * i + 1]) << 8);
  }

 private:
  ByteSpan entries_;
  uint32_t size_ = 0;
};

// class_def_item, checked (indices and offsets) by GetClassDef.
struct ClassDef {
  uint32_t index = 0;  // position in class_defs
  uint32_t class_type = 0;
  uint32_t access_flags = 0;
  uint32_t superclass = kNoIndex;  // type index or kNoIndex (java.lang.Object only)
  TypeList interfaces;
  uint32_t source_file = kNoIndex;  // string index or kNoIndex
  uint32_t annotations_off = 0;
  uint32_t class_data_off = 0;  // 0: no fields or methods
  uint32_t static_values_off = 0;
};

// Resolved names of a method reference; ToString() gives the smali/JVM-style form used throughout
// piaudit: "Lcom/foo/Bar;->baz(ILjava/lang/String;)V".
struct MethodRef {
  std::string class_descriptor;  // "Lcom/foo/Bar;"
  std::string name;              // "baz"
  std::string proto;             // "(ILjava/lang/String;)V"
  std::string ToString() const;
};
// "Landroid/os/Build;->SERIAL:Ljava/lang/String;"
struct FieldRef {
  std::string class_descriptor;
  std::string name;
  std::string type;
  std::string ToString() const;
};

class DexFile {
 public:
  // Checks the header, map list and id tables (see the file comment). `name` ("classes2.dex")
  // prefixes every Status this file produces. Work is linear in file_size, which must not exceed
  // limits.max_entry_inflated_bytes (kLimitExceeded). Nothing is copied or allocated per item.
  // Anomalies that ART rejects but that leave the file readable (invalid MUTF-8 string data, code
  // "dex.invalid_mutf8") go to `diagnostics` when given; the count is kept either way.
  static Result<DexFile> Open(ByteSpan bytes, std::string name, const Limits& limits,
                              Diagnostics* diagnostics = nullptr);

  const std::string& name() const { return name_; }
  ByteSpan bytes() const { return bytes_; }
  const DexHeader& header() const { return header_; }

  // Optional integrity checks (never done by Open): adler32 over bytes [12, file_size) and SHA-1
  // over [32, file_size). Fail with kInvalidInput naming the expected and found values.
  Status VerifyChecksum() const;
  Status VerifySignature() const;

  uint32_t num_strings() const { return string_ids_.size; }
  uint32_t num_types() const { return type_ids_.size; }
  uint32_t num_protos() const { return proto_ids_.size; }
  uint32_t num_fields() const { return field_ids_.size; }
  uint32_t num_methods() const { return method_ids_.size; }
  uint32_t num_class_defs() const { return class_defs_.size; }
  uint32_t num_call_sites() const { return call_site_ids_.size; }
  uint32_t num_method_handles() const { return method_handles_.size; }
  // Strings whose data ART's verifier rejects (bad MUTF-8 or utf16_size), found by Open. Non-zero
  // means ART would refuse to load this file.
  uint32_t num_invalid_strings() const { return invalid_strings_; }

  // --- strings (REQUIRES: idx < num_strings()) ---
  // The raw MUTF-8 bytes of string idx, without the terminating NUL.
  std::string_view StringData(uint32_t idx) const;
  // The string as UTF-8. Fast path: when the MUTF-8 bytes are plain ASCII (the common case) the
  // result views the file and `scratch` is untouched; otherwise the string is decoded into
  // *scratch and the result views it (valid until scratch changes).
  std::string_view GetStringView(uint32_t idx, std::string* scratch) const;
  std::string GetString(uint32_t idx) const;

  // --- types, protos, fields, methods (REQUIRES: idx < the matching count) ---
  uint32_t TypeStringIndex(uint32_t type_idx) const;
  // Type descriptor ("Ljava/lang/String;", "[I"), same view/scratch rule as GetStringView.
  std::string_view TypeDescriptor(uint32_t type_idx, std::string* scratch) const;
  std::string TypeName(uint32_t type_idx) const;  // descriptor as a std::string

  ProtoId GetProtoId(uint32_t idx) const;
  TypeList ProtoParameters(uint32_t proto_idx) const;
  std::string ProtoString(uint32_t proto_idx) const;  // "(ILjava/lang/String;)V"

  FieldId GetFieldId(uint32_t idx) const;
  MethodId GetMethodId(uint32_t idx) const;
  MethodRef GetMethodRef(uint32_t method_idx) const;
  FieldRef GetFieldRef(uint32_t field_idx) const;
  // Append the ToString() forms without building the intermediate structs.
  void AppendMethodRef(uint32_t method_idx, std::string* out) const;
  void AppendFieldRef(uint32_t field_idx, std::string* out) const;
  std::string MethodRefString(uint32_t method_idx) const;
  std::string FieldRefString(uint32_t field_idx) const;

  MethodHandle GetMethodHandle(uint32_t idx) const;
  // Offset of call site idx's encoded array (checked to lie in the file).
  uint32_t CallSiteOffset(uint32_t idx) const;

  // --- classes (checked per call; a bad class does not affect the others) ---
  // REQUIRES: idx < num_class_defs()
  Result<ClassDef> GetClassDef(uint32_t idx) const;
  // Decodes class_data_item into *out (cleared first; capacity reused across calls). A class with
  // class_data_off == 0 yields an empty ClassData.
  Status ReadClassData(const ClassDef& def, ClassData* out) const;
  // Checks and returns the code_item at code_off (registers, ins, outs, tries, insns bounds).
  Result<CodeItem> GetCodeItem(uint32_t code_off) const;

 private:
  struct Table {
    uint32_t size = 0;
    uint32_t off = 0;
  };
  DexFile() = default;
  Status CheckMapList();
  // Also counts strings ART would reject (invalid_strings_) and describes the first one.
  Status CheckStringIds(Diagnostic* first_invalid);
  Status CheckTypeIds();
  Status CheckProtoIds();
  Status CheckFieldIds();
  Status CheckMethodIds();
  Status CheckCallSites();
  Status CheckMethodHandles();
  Status Error(Status s, std::string_view structure, uint64_t offset) const;
  Result<TypeList> ReadTypeList(uint32_t off, std::string_view structure, uint32_t max_size) const;

  ByteSpan bytes_;  // exactly file_size bytes
  std::string name_;
  DexHeader header_;
  Table string_ids_, type_ids_, proto_ids_, field_ids_, method_ids_, class_defs_;
  Table call_site_ids_, method_handles_;
  uint32_t invalid_strings_ = 0;
};

}  // namespace piaudit::dex

#endif  // PIAUDIT_DEX_DEX_FILE_H_
