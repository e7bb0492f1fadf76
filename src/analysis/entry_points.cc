// FindEntryPoints: manifest components -> method ids.
#include "analysis/entry_points.h"

#include <algorithm>

namespace piaudit::analysis {
namespace {

// Methods of an activity Android runs on its own while its first screen opens (see
// EntrySet::launcher_start), by name: "<init>", "onCreate", ...
bool IsFirstScreenCallback(std::string_view name) {
  static constexpr std::string_view kNames[] = {"<clinit>", "<init>",       "attachBaseContext",
                                                "onCreate", "onPostCreate", "onStart",
                                                "onResume", "onPostResume"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

struct Collector {
  const ClassHierarchy& h;
  EntrySet* out;

  void Add(uint32_t method, const std::string& component, const std::string& kind, bool startup,
           bool launcher) {
    if (method == kNoId) return;
    const CodeModel& m = h.model();
    auto has = [method](const std::vector<uint32_t>& v) {
      return std::find(v.begin(), v.end(), method) != v.end();
    };
    if (!has(out->all)) out->all.push_back(method);
    if (startup && !has(out->startup)) out->startup.push_back(method);
    if (launcher && !has(out->launcher)) out->launcher.push_back(method);
    out->described.push_back({m.MethodName(method), component, kind, startup, launcher});
  }

  void AddSig(uint32_t cls, std::string_view sig, const std::string& component,
              const std::string& kind, bool startup, bool launcher) {
    const uint32_t s = h.model().FindSigId(sig);
    if (s == kNoId) return;
    Add(h.ResolveUp(cls, s), component, kind, startup, launcher);
  }

  void AddClass(const std::string& dot_name, const std::string& kind, bool startup, bool launcher,
                Diagnostics* diags) {
    const CodeModel& m = h.model();
    const uint32_t cls = m.FindClass(DescriptorOf(dot_name));
    if (cls == kNoId || !m.classes()[cls].defined) {
      if (diags != nullptr) {
        diags->Add(Severity::kInfo, "analysis.component_not_in_dex", "", kind, 0,
                   kind + " " + dot_name +
                       " is declared in the manifest but defined in no dex file (packed, "
                       "split APK, or removed)");
      }
      return;
    }
    // Static initialisers of the class and its app superclasses run when it is loaded.
    const uint32_t clinit = m.FindSigId("<clinit>()V");
    for (uint32_t c = cls, steps = 0; c != kNoId && steps < 64 && m.classes()[c].defined;
         ++steps, c = m.classes()[c].super) {
      const uint32_t t = m.FindMethod(c, clinit);
      if (t != kNoId && m.methods()[t].defined) Add(t, dot_name, kind, startup, launcher);
    }
    AddSig(cls, "<init>()V", dot_name, kind, startup, launcher);
    for (const FrameworkClass* f : h.FrameworkBases(cls)) {
      for (const std::string& s : f->startup) AddSig(cls, s, dot_name, kind, startup, launcher);
      for (const std::string& s : f->callbacks) {
        AddSig(cls, s, dot_name, kind, startup && launcher, launcher);
      }
    }
  }
};

}  // namespace

std::string DescriptorOf(std::string_view dot_name) {
  std::string d = "L";
  d += dot_name;
  std::replace(d.begin(), d.end(), '.', '/');
  d += ';';
  return d;
}

EntrySet FindEntryPoints(const ClassHierarchy& h, const AppComponents& components,
                         bool launcher_is_startup, Diagnostics* diags) {
  EntrySet out;
  Collector c{h, &out};
  if (!components.application_class.empty()) {
    c.AddClass(components.application_class, "application", true, false, diags);
  }
  // Providers start in initOrder (higher first), then manifest order; the order only affects
  // which chain is reported first, not what is reachable.
  std::vector<const AppComponent*> providers;
  for (const AppComponent& comp : components.components) {
    if (comp.type == ComponentType::kProvider) providers.push_back(&comp);
  }
  std::stable_sort(providers.begin(), providers.end(), [](const auto* a, const auto* b) {
    return a->init_order.value_or(0) > b->init_order.value_or(0);
  });
  for (const AppComponent* p : providers) c.AddClass(p->name, "provider", true, false, diags);
  for (const AppComponent& comp : components.components) {
    if (comp.type == ComponentType::kProvider) continue;
    const bool launcher =
        comp.type == ComponentType::kActivity && comp.name == components.launcher_activity;
    c.AddClass(comp.name, std::string(ComponentTypeName(comp.type)),
               launcher && launcher_is_startup, launcher, diags);
  }
  const CodeModel& m = h.model();
  for (uint32_t method : out.launcher) {
    // "Lcom/x/Main;->onCreate(Landroid/os/Bundle;)V"
    const std::string name = m.MethodName(method);
    const size_t arrow = name.find("->");
    if (arrow == std::string::npos) continue;
    const size_t paren = name.find('(', arrow);
    if (IsFirstScreenCallback(std::string_view(name).substr(arrow + 2, paren - arrow - 2))) {
      out.launcher_start.push_back(method);
    }
  }
  return out;
}

}  // namespace piaudit::analysis
