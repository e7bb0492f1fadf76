// The schema helpers every data-file loader of the knowledge base uses (loader.cc for the main
// tree, word_lists.cc, policy_data.cc): an error list that keeps going after the first problem,
// one opened YAML file, and a mapping read field by field with unknown keys, duplicate keys,
// missing fields and wrong shapes reported as "<file>:<line>: <entry>: <problem>".
//
// Private to src/knowledge.
#ifndef PIAUDIT_KNOWLEDGE_INTERNAL_YAML_SCHEMA_H_
#define PIAUDIT_KNOWLEDGE_INTERNAL_YAML_SCHEMA_H_

#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "knowledge/yaml_tree.h"

namespace piaudit::knowledge::internal {

// Data files are hand-written text; 8 MiB is far above the largest (the SDK catalogue).
constexpr uint64_t kMaxDataFileBytes = 8ull << 20;

inline int LineOf(const YamlNode& n) { return n.line(); }

// Collects errors for one load. Every check reports through Fail and goes on.
class Errors {
 public:
  void Fail(const std::string& file, int line, const std::string& what, const std::string& msg) {
    Status s = InvalidInput(what.empty() ? msg : what + ": " + msg)
                   .InFile(file + ":" + std::to_string(line));
    errors_.push_back(std::move(s));
  }
  void Add(Status s) { errors_.push_back(std::move(s)); }
  bool empty() const { return errors_.empty(); }
  size_t size() const { return errors_.size(); }
  const std::vector<Status>& all() const { return errors_; }

 private:
  std::vector<Status> errors_;
};

// One YAML file being read.
struct File {
  std::string path;  // as reported
  Errors* errors;
  YamlDocument doc;
  YamlNode root;  // into doc

  void Fail(const YamlNode& n, const std::string& what, const std::string& msg) const {
    errors->Fail(path, LineOf(n), what, msg);
  }
};

// Reads a YAML mapping field by field; unknown keys, duplicate keys, missing required fields and
// wrong shapes are errors. `what` names the entry ("sdk 'jpush'") in every message.
class Obj {
 public:
  Obj(const File& f, const YamlNode& node, std::string what,
      std::initializer_list<const char*> allowed)
      : f_(f), node_(node), what_(std::move(what)) {
    if (!node.IsMap()) {
      f_.Fail(node, what_, "expected a mapping (key: value lines)");
      ok_ = false;
      return;
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < node.size(); ++i) {
      const YamlNode k = node.KeyAt(i);
      const std::string key = k.IsScalar() ? k.Scalar() : std::string("?");
      if (!seen.insert(key).second) f_.Fail(k, what_, "key '" + key + "' appears twice");
      bool known = false;
      for (const char* a : allowed) known |= key == a;
      if (!known) {
        std::string list;
        for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
        f_.Fail(k, what_, "unknown key '" + key + "' (allowed: " + list + ")");
      }
    }
  }

  bool ok() const { return ok_; }
  int line() const { return LineOf(node_); }
  const std::string& what() const { return what_; }
  void set_what(std::string w) { what_ = std::move(w); }
  void Fail(const YamlNode& n, const std::string& msg) const { f_.Fail(n, what_, msg); }
  void Fail(const std::string& msg) const { f_.Fail(node_, what_, msg); }

  YamlNode Get(const char* key) const { return ok_ ? node_[key] : YamlNode(); }
  bool Has(const char* key) const { return ok_ && node_[key].IsDefined() && !node_[key].IsNull(); }

  bool Str(const char* key, std::string* out, bool required) const {
    if (!ok_) return false;
    const YamlNode n = node_[key];
    if (!n.IsDefined() || n.IsNull()) {
      if (required) Fail(std::string("missing required field '") + key + "'");
      return false;
    }
    if (!n.IsScalar()) {
      Fail(n, std::string(key) + ": expected a single value, not a list or mapping");
      return false;
    }
    *out = n.Scalar();
    if (required && out->empty()) {
      Fail(n, std::string(key) + ": must not be empty");
      return false;
    }
    return true;
  }

  bool Bool(const char* key, bool* out, bool required) const {
    std::string s;
    if (!Str(key, &s, required)) return false;
    if (s == "true") {
      *out = true;
    } else if (s == "false") {
      *out = false;
    } else {
      Fail(node_[key], std::string(key) + ": expected true or false, found '" + s + "'");
      return false;
    }
    return true;
  }

  bool Int(const char* key, int* out, bool required) const {
    std::string s;
    if (!Str(key, &s, required)) return false;
    char* end = nullptr;
    const long v = std::strtol(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || v < -1000000 || v > 1000000) {
      Fail(node_[key], std::string(key) + ": expected an integer, found '" + s + "'");
      return false;
    }
    *out = static_cast<int>(v);
    return true;
  }

  // A list of scalars; a single scalar is accepted as a one-element list.
  bool StrList(const char* key, std::vector<std::string>* out, bool required) const {
    if (!ok_) return false;
    const YamlNode n = node_[key];
    if (!n.IsDefined() || n.IsNull()) {
      if (required) Fail(std::string("missing required field '") + key + "'");
      return false;
    }
    if (n.IsScalar()) {
      out->push_back(n.Scalar());
      return true;
    }
    if (!n.IsSequence()) {
      Fail(n, std::string(key) + ": expected a list");
      return false;
    }
    for (const YamlNode& e : n) {
      if (!e.IsScalar()) {
        Fail(e, std::string(key) + ": every element must be a single value");
        continue;
      }
      if (e.Scalar().empty()) {
        Fail(e, std::string(key) + ": empty element");
        continue;
      }
      out->push_back(e.Scalar());
    }
    return true;
  }

  // Checks each element of a list field with `check(value) -> error message or ""`.
  template <typename F>
  void CheckEach(const char* key, const std::vector<std::string>& values, F check) const {
    const YamlNode n = Get(key);
    for (size_t i = 0; i < values.size(); ++i) {
      const std::string msg = check(values[i]);
      if (msg.empty()) continue;
      const YamlNode at = n.IsSequence() && i < n.size() ? n[i] : n;
      Fail(at, std::string(key) + ": " + msg);
    }
  }

 private:
  const File& f_;
  const YamlNode node_;
  std::string what_;
  bool ok_ = true;
};

// Reads and parses `path` into *f (errors go to *errors, f->path is `path`). False, after
// reporting why, when the file is missing, unreadable, not YAML or not a mapping at the top.
bool OpenYamlFile(const std::string& path, Errors* errors, File* f);

// The header every data file has: `version`, and `source` or `sources`.
void CheckHeader(const Obj& header);

}  // namespace piaudit::knowledge::internal

#endif  // PIAUDIT_KNOWLEDGE_INTERNAL_YAML_SCHEMA_H_
