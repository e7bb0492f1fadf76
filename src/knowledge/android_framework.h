// The Android framework facts the call graph needs (data/android_framework.yaml): framework base
// classes with their superclasses and callbacks, and the implicit-edge rules (Thread.start -> run,
// Handler.post -> run, ...). The app's dex files do not contain the framework, so without this
// the lifecycle of an Application subclass or the run() of a posted Runnable would be unreachable.
//
// Loaded once with the knowledge base (KnowledgeBase::android_framework()) and checked by
// `piaudit kb check`; immutable after Load(), so a Scanner shares it read-only across scans and
// threads. The call graph (src/analysis) indexes app classes against it.
#ifndef PIAUDIT_KNOWLEDGE_ANDROID_FRAMEWORK_H_
#define PIAUDIT_KNOWLEDGE_ANDROID_FRAMEWORK_H_

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"

namespace piaudit::knowledge {

struct FrameworkClass {
  std::string descriptor;  // "Landroid/app/Application;"
  std::string super;       // "" for interfaces and java.lang.Object
  std::vector<std::string> interfaces;
  std::string component;  // "application", "activity", "service", "receiver", "provider" or ""
  std::vector<std::string> startup;    // "onCreate()V": run while the process starts
  std::vector<std::string> callbacks;  // "name(proto)ret"
  bool instantiate = false;            // allocating an instance is enough for the callbacks to run
  bool user = false;                   // callbacks run only on user action
  int line = 0;
};

struct ImplicitRule {
  std::string kind;                   // "thread", "handler", ...
  std::vector<std::string> triggers;  // "Ljava/lang/Thread;->start" (any overload)
  std::vector<std::string> bases;     // descriptors the target class must extend or implement
  std::vector<std::string> callbacks;
  bool user = false;
  int line = 0;
};

class AndroidFramework {
 public:
  AndroidFramework() = default;
  // Movable, not copyable: the trigger index points into rules_.
  AndroidFramework(AndroidFramework&&) = default;
  AndroidFramework& operator=(AndroidFramework&&) = default;
  AndroidFramework(const AndroidFramework&) = delete;
  AndroidFramework& operator=(const AndroidFramework&) = delete;

  // Parses `path`. A problem is reported as "<path>:<line>: <what>" (the first one found).
  static Result<AndroidFramework> Load(const std::string& path);
  // Parses YAML text (tests); `name` is used in messages.
  static Result<AndroidFramework> Parse(std::string_view text, const std::string& name);

  const std::vector<FrameworkClass>& classes() const { return classes_; }
  const std::vector<ImplicitRule>& rules() const { return rules_; }
  const FrameworkClass* Find(std::string_view descriptor) const;
  // Rules triggered by "Lcls;->name"; empty when none.
  const std::vector<const ImplicitRule*>* RulesFor(std::string_view class_and_name) const;

 private:
  void Index();
  std::vector<FrameworkClass> classes_;
  std::vector<ImplicitRule> rules_;
  std::unordered_map<std::string, size_t> by_name_;
  std::unordered_map<std::string, std::vector<const ImplicitRule*>> by_trigger_;
};

}  // namespace piaudit::knowledge

#endif  // PIAUDIT_KNOWLEDGE_ANDROID_FRAMEWORK_H_
