// Loader of data/android_framework.yaml. yaml-cpp reports problems by throwing; every exception
// is caught here and turned into a Status with file:line, so nothing escapes this file.
#include "analysis/android_framework.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

namespace piaudit::analysis {
namespace {

// Hand-written data; 4 MiB is far above what the file will ever hold.
constexpr std::streamoff kMaxFrameworkFileBytes = 4 << 20;

int LineOf(const YAML::Node& n) {
  const YAML::Mark m = n.Mark();
  return m.line >= 0 ? m.line + 1 : 0;
}

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
Status StringList(const YAML::Node& parent, const char* key, const std::string& name,
                  bool (*check)(const std::string&), const char* expected,
                  std::vector<std::string>* out) {
  const YAML::Node n = parent[key];
  if (!n) return Status::Ok();
  if (!n.IsSequence()) return Fail(name, LineOf(n), std::string(key) + ": expected a list");
  for (const YAML::Node& e : n) {
    if (!e.IsScalar()) return Fail(name, LineOf(e), std::string(key) + ": expected a string");
    std::string v = e.as<std::string>();
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

Status CheckKeys(const YAML::Node& n, const std::string& name,
                 std::initializer_list<const char*> allowed) {
  for (const auto& kv : n) {
    const std::string k = kv.first.as<std::string>();
    bool ok = false;
    for (const char* a : allowed) ok = ok || k == a;
    if (!ok) return Fail(name, LineOf(kv.first), "unknown key '" + k + "'");
  }
  return Status::Ok();
}

Status ParseClass(const YAML::Node& n, const std::string& name, FrameworkClass* c) {
  if (!n.IsMap()) return Fail(name, LineOf(n), "classes: expected a mapping");
  RETURN_IF_ERROR(CheckKeys(n, name,
                            {"class", "super", "interfaces", "component", "startup", "callbacks",
                             "instantiate", "user", "source"}));
  c->line = LineOf(n);
  if (!n["class"] || !n["class"].IsScalar()) return Fail(name, c->line, "class: missing");
  c->descriptor = n["class"].as<std::string>();
  if (!IsDescriptor(c->descriptor)) {
    return Fail(name, c->line, "class: '" + c->descriptor + "' is not a type descriptor (Lx/y/Z;)");
  }
  if (!n["source"]) return Fail(name, c->line, "class " + c->descriptor + ": source: missing");
  if (n["super"]) {
    c->super = n["super"].as<std::string>();
    if (!IsDescriptor(c->super)) {
      return Fail(name, LineOf(n["super"]), "super: '" + c->super + "' is not a type descriptor");
    }
  }
  RETURN_IF_ERROR(
      StringList(n, "interfaces", name, IsDescriptor, "a type descriptor", &c->interfaces));
  if (n["component"]) {
    c->component = n["component"].as<std::string>();
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
  if (n["instantiate"]) c->instantiate = n["instantiate"].as<bool>();
  if (n["user"]) c->user = n["user"].as<bool>();
  return Status::Ok();
}

Status ParseRule(const YAML::Node& n, const std::string& name, ImplicitRule* r) {
  if (!n.IsMap()) return Fail(name, LineOf(n), "implicit: expected a mapping");
  RETURN_IF_ERROR(CheckKeys(n, name, {"kind", "triggers", "bases", "callbacks", "user", "source"}));
  r->line = LineOf(n);
  if (!n["kind"]) return Fail(name, r->line, "kind: missing");
  r->kind = n["kind"].as<std::string>();
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
  if (n["user"]) r->user = n["user"].as<bool>();
  return Status::Ok();
}

}  // namespace

Result<AndroidFramework> AndroidFramework::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot open " + path);
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0 || size > kMaxFrameworkFileBytes) {
    return LimitExceeded("framework data larger than 4 MiB").InFile(path);
  }
  in.seekg(0);
  std::ostringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str(), path);
}

Result<AndroidFramework> AndroidFramework::Parse(std::string_view text, const std::string& name) {
  AndroidFramework fw;
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    if (!root.IsMap()) return Fail(name, 1, "expected a mapping at the top");
    RETURN_IF_ERROR(CheckKeys(root, name, {"version", "source", "classes", "implicit"}));
    if (!root["version"]) return Fail(name, 1, "version: missing");
    const YAML::Node classes = root["classes"];
    if (!classes || !classes.IsSequence()) return Fail(name, 1, "classes: missing list");
    std::set<std::string> seen;
    for (const YAML::Node& n : classes) {
      FrameworkClass c;
      RETURN_IF_ERROR(ParseClass(n, name, &c));
      if (!seen.insert(c.descriptor).second) {
        return Fail(name, c.line, "class " + c.descriptor + ": duplicate entry");
      }
      fw.classes_.push_back(std::move(c));
    }
    const YAML::Node implicit = root["implicit"];
    if (implicit) {
      if (!implicit.IsSequence()) return Fail(name, LineOf(implicit), "implicit: expected a list");
      for (const YAML::Node& n : implicit) {
        ImplicitRule r;
        RETURN_IF_ERROR(ParseRule(n, name, &r));
        fw.rules_.push_back(std::move(r));
      }
    }
  } catch (const YAML::Exception& e) {
    return Fail(name, e.mark.line >= 0 ? e.mark.line + 1 : 0, e.msg);
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

}  // namespace piaudit::analysis
