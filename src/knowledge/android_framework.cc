// Loader of data/android_framework.yaml (see android_framework.h); a problem is a Status with
// file:line.
#include "knowledge/android_framework.h"

#include <set>

#include "base/mapped_file.h"
#include "knowledge/yaml_tree.h"

namespace piaudit::knowledge {
namespace {

// Hand-written data; 4 MiB is far above what the file will ever hold.
constexpr uint64_t kMaxFrameworkFileBytes = 4 << 20;

int LineOf(const YamlNode& n) { return n.line(); }

Status Fail(const std::string& name, int line, const std::string& msg) {
  return InvalidInput(msg).InFile(name + ":" + std::to_string(line));
}

bool IsDescriptor(const std::string& s) {
  return s.size() >= 3 && s.front() == 'L' && s.back() == ';' && s.find('.') == std::string::npos;
}

bool IsMethodSig(const std::string& s) {
  const size_t open = s.find('(');
  const size_t close = s.find(')');
  return open != std::string::npos && open > 0 && close != std::string::npos && close > open &&
         close + 1 < s.size();
}

// Reads a list of strings; each element checked by `check` (message names the key).
Status StringList(const YamlNode& parent, const char* key, const std::string& name,
                  bool (*check)(const std::string&), const char* expected,
                  std::vector<std::string>* out) {
  const YamlNode n = parent[key];
  if (!n) return Status::Ok();
  if (!n.IsSequence()) return Fail(name, LineOf(n), std::string(key) + ": expected a list");
  for (const YamlNode& e : n) {
    if (!e.IsScalar()) return Fail(name, LineOf(e), std::string(key) + ": expected a string");
    std::string v = e.Scalar();
    if (check != nullptr && !check(v)) {
      return Fail(name, LineOf(e), std::string(key) + ": '" + v + "' is not " + expected);
    }
    out->push_back(std::move(v));
  }
  return Status::Ok();
}

bool IsTrigger(const std::string& s) {
  const size_t arrow = s.find("->");
  return arrow != std::string::npos && IsDescriptor(s.substr(0, arrow)) && arrow + 2 < s.size() &&
         s.find('(') == std::string::npos;
}

Status CheckKeys(const YamlNode& n, const std::string& name,
                 std::initializer_list<const char*> allowed) {
  for (size_t i = 0; i < n.size(); ++i) {
    const std::string k = n.KeyAt(i).Scalar();
    bool ok = false;
    for (const char* a : allowed) ok = ok || k == a;
    if (!ok) return Fail(name, LineOf(n.KeyAt(i)), "unknown key '" + k + "'");
  }
  return Status::Ok();
}

// An optional true/false field.
Status OptionalBool(const YamlNode& n, const char* key, const std::string& name, bool* out) {
  const YamlNode v = n[key];
  if (!v) return Status::Ok();
  const std::string s = v.Scalar();
  if (s == "true") {
    *out = true;
  } else if (s == "false") {
    *out = false;
  } else {
    return Fail(name, LineOf(v), std::string(key) + ": expected true or false");
  }
  return Status::Ok();
}

Status ParseClass(const YamlNode& n, const std::string& name, FrameworkClass* c) {
  if (!n.IsMap()) return Fail(name, LineOf(n), "classes: expected a mapping");
  RETURN_IF_ERROR(CheckKeys(n, name,
                            {"class", "super", "interfaces", "component", "startup", "callbacks",
                             "instantiate", "user", "source"}));
  c->line = LineOf(n);
  if (!n["class"] || !n["class"].IsScalar()) return Fail(name, c->line, "class: missing");
  c->descriptor = n["class"].Scalar();
  if (!IsDescriptor(c->descriptor)) {
    return Fail(name, c->line, "class: '" + c->descriptor + "' is not a type descriptor (Lx/y/Z;)");
  }
  if (!n["source"]) return Fail(name, c->line, "class " + c->descriptor + ": source: missing");
  if (n["super"]) {
    c->super = n["super"].Scalar();
    if (!IsDescriptor(c->super)) {
      return Fail(name, LineOf(n["super"]), "super: '" + c->super + "' is not a type descriptor");
    }
  }
  RETURN_IF_ERROR(
      StringList(n, "interfaces", name, IsDescriptor, "a type descriptor", &c->interfaces));
  if (n["component"]) {
    c->component = n["component"].Scalar();
    static const std::set<std::string> kKinds = {"application", "activity", "service", "receiver",
                                                 "provider"};
    if (!kKinds.count(c->component)) {
      return Fail(name, LineOf(n["component"]),
                  "component: '" + c->component +
                      "' is not one of application, activity, service, receiver, provider");
    }
  }
  RETURN_IF_ERROR(
      StringList(n, "startup", name, IsMethodSig, "a method 'name(args)ret'", &c->startup));
  RETURN_IF_ERROR(
      StringList(n, "callbacks", name, IsMethodSig, "a method 'name(args)ret'", &c->callbacks));
  RETURN_IF_ERROR(OptionalBool(n, "instantiate", name, &c->instantiate));
  RETURN_IF_ERROR(OptionalBool(n, "user", name, &c->user));
  return Status::Ok();
}

Status ParseRule(const YamlNode& n, const std::string& name, ImplicitRule* r) {
  if (!n.IsMap()) return Fail(name, LineOf(n), "implicit: expected a mapping");
  RETURN_IF_ERROR(CheckKeys(n, name, {"kind", "triggers", "bases", "callbacks", "user", "source"}));
  r->line = LineOf(n);
  if (!n["kind"]) return Fail(name, r->line, "kind: missing");
  r->kind = n["kind"].Scalar();
  static const std::set<std::string> kKinds = {"thread",    "executor", "handler",
                                               "asynctask", "timer",    "listener"};
  if (!kKinds.count(r->kind)) {
    return Fail(name, LineOf(n["kind"]),
                "kind: '" + r->kind +
                    "' is not one of thread, executor, handler, asynctask, timer, listener");
  }
  if (!n["source"]) return Fail(name, r->line, "implicit " + r->kind + ": source: missing");
  RETURN_IF_ERROR(StringList(n, "triggers", name, IsTrigger, "'Lclass;->name'", &r->triggers));
  RETURN_IF_ERROR(StringList(n, "bases", name, IsDescriptor, "a type descriptor", &r->bases));
  RETURN_IF_ERROR(
      StringList(n, "callbacks", name, IsMethodSig, "a method 'name(args)ret'", &r->callbacks));
  if (r->triggers.empty() || r->bases.empty() || r->callbacks.empty()) {
    return Fail(name, r->line, "implicit " + r->kind + ": triggers, bases, callbacks required");
  }
  RETURN_IF_ERROR(OptionalBool(n, "user", name, &r->user));
  return Status::Ok();
}

}  // namespace

Result<AndroidFramework> AndroidFramework::Load(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFileToString(path, kMaxFrameworkFileBytes));
  return Parse(text, path);
}

Result<AndroidFramework> AndroidFramework::Parse(std::string_view text, const std::string& name) {
  AndroidFramework fw;
  int error_line = 0;
  auto doc = YamlDocument::Parse(text, &error_line);
  if (!doc.ok()) return Fail(name, error_line, std::string(doc.status().message()));
  const YamlNode root = doc->root();
  if (!root.IsMap()) return Fail(name, 1, "expected a mapping at the top");
  RETURN_IF_ERROR(CheckKeys(root, name, {"version", "source", "sources", "classes", "implicit"}));
  if (!root["version"]) return Fail(name, 1, "version: missing");
  if (!root["source"] && !root["sources"]) return Fail(name, 1, "source: missing in the header");
  const YamlNode classes = root["classes"];
  if (!classes || !classes.IsSequence()) return Fail(name, 1, "classes: missing list");
  std::set<std::string> seen;
  for (const YamlNode& n : classes) {
    FrameworkClass c;
    RETURN_IF_ERROR(ParseClass(n, name, &c));
    if (!seen.insert(c.descriptor).second) {
      return Fail(name, c.line, "class " + c.descriptor + ": duplicate entry");
    }
    fw.classes_.push_back(std::move(c));
  }
  const YamlNode implicit = root["implicit"];
  if (implicit) {
    if (!implicit.IsSequence()) return Fail(name, LineOf(implicit), "implicit: expected a list");
    for (const YamlNode& n : implicit) {
      ImplicitRule r;
      RETURN_IF_ERROR(ParseRule(n, name, &r));
      fw.rules_.push_back(std::move(r));
    }
  }
  // Every super / interface / base must be known, so hierarchy walks never stop at a typo.
  fw.Index();
  for (const FrameworkClass& c : fw.classes_) {
    if (!c.super.empty() && fw.Find(c.super) == nullptr) {
      return Fail(name, c.line, "class " + c.descriptor + ": super " + c.super + " is not listed");
    }
    for (const std::string& i : c.interfaces) {
      if (fw.Find(i) == nullptr) {
        return Fail(name, c.line, "class " + c.descriptor + ": interface " + i + " is not listed");
      }
    }
  }
  for (const ImplicitRule& r : fw.rules_) {
    for (const std::string& b : r.bases) {
      if (fw.Find(b) == nullptr) {
        return Fail(name, r.line, "implicit " + r.kind + ": base " + b + " is not listed");
      }
    }
  }
  return fw;
}

void AndroidFramework::Index() {
  by_name_.clear();
  by_trigger_.clear();
  for (size_t i = 0; i < classes_.size(); ++i) by_name_.emplace(classes_[i].descriptor, i);
  for (const ImplicitRule& r : rules_) {
    for (const std::string& t : r.triggers) by_trigger_[t].push_back(&r);
  }
}

const FrameworkClass* AndroidFramework::Find(std::string_view descriptor) const {
  auto it = by_name_.find(std::string(descriptor));
  return it == by_name_.end() ? nullptr : &classes_[it->second];
}

const std::vector<const ImplicitRule*>* AndroidFramework::RulesFor(
    std::string_view class_and_name) const {
  auto it = by_trigger_.find(std::string(class_and_name));
  return it == by_trigger_.end() ? nullptr : &it->second;
}

}  // namespace piaudit::knowledge
