// A read-only YAML tree for the data files (libyaml's document loader underneath).
//
// Why not yaml-cpp: loading the ~300 KB of data/ with it took ~45 ms, two thirds of a small app's
// whole scan; libyaml (C, Debian's libyaml-0-2) parses the same files in a few milliseconds and
// reports errors as values, not exceptions. The API mirrors the few yaml-cpp calls the loaders
// used (IsMap, Scalar, operator[], line marks) so the schema checks read the same.
//
// YAML 1.1 as libyaml reads it; a plain (unquoted) empty, "~" or "null" scalar is null. Aliases
// resolve to the shared node (no copies), so a hostile anchor bomb costs nothing.
#ifndef PIAUDIT_KNOWLEDGE_YAML_TREE_H_
#define PIAUDIT_KNOWLEDGE_YAML_TREE_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

struct yaml_document_s;
struct yaml_node_s;

namespace piaudit::knowledge {

class YamlNode {
 public:
  YamlNode() = default;  // undefined: a missing key or index

  bool IsDefined() const { return node_ != nullptr; }
  explicit operator bool() const { return IsDefined(); }
  bool IsNull() const;
  bool IsScalar() const;  // a null is not a scalar here; check IsNull first where both are fine
  bool IsMap() const;
  bool IsSequence() const;

  // The scalar's text ("" for anything else).
  std::string Scalar() const;
  // Elements of a sequence, pairs of a mapping, 0 otherwise.
  size_t size() const;
  // Sequence element i (undefined when out of range or not a sequence).
  YamlNode operator[](size_t i) const;
  // An int overload, so a literal 0 is an index rather than a null key.
  YamlNode operator[](int i) const { return i < 0 ? YamlNode() : (*this)[static_cast<size_t>(i)]; }
  // The value of the first pair whose key is the scalar `key` (undefined when absent).
  YamlNode operator[](std::string_view key) const;
  YamlNode operator[](const char* key) const { return (*this)[std::string_view(key)]; }
  // The i-th pair of a mapping, in file order.
  YamlNode KeyAt(size_t i) const;
  YamlNode ValueAt(size_t i) const;
  // 1-based line where the node starts; 0 when undefined.
  int line() const;

  // Range-for over a sequence's elements (empty for anything else).
  class Iterator {
   public:
    Iterator(const YamlNode* seq, size_t i) : seq_(seq), i_(i) {}
    YamlNode operator*() const { return (*seq_)[i_]; }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator!=(const Iterator& o) const { return i_ != o.i_; }

   private:
    const YamlNode* seq_;
    size_t i_;
  };
  Iterator begin() const { return Iterator(this, 0); }
  Iterator end() const { return Iterator(this, IsSequence() ? size() : 0); }

 private:
  friend class YamlDocument;
  YamlNode(yaml_document_s* doc, yaml_node_s* node) : doc_(doc), node_(node) {}
  YamlNode At(int index) const;

  yaml_document_s* doc_ = nullptr;
  yaml_node_s* node_ = nullptr;
};

class YamlDocument {
 public:
  // Parses the first document of `text`. A syntax error is kInvalidInput with message
  // "YAML syntax error: <problem>" and `error_line` set to its 1-based line.
  static Result<YamlDocument> Parse(std::string_view text, int* error_line = nullptr);

  YamlNode root() const;

 private:
  struct Deleter {
    void operator()(yaml_document_s* d) const;
  };
  std::unique_ptr<yaml_document_s, Deleter> doc_;
};

}  // namespace piaudit::knowledge

#endif  // PIAUDIT_KNOWLEDGE_YAML_TREE_H_
