// Entry points from the manifest: every component's lifecycle callbacks, and the START-UP SET
// that runs before any screen can show a consent dialog:
//   - the Application subclass: <init>, attachBaseContext, onCreate (and its static initialisers);
//   - every ContentProvider: <init>, attachInfo, onCreate (providers are created before
//     Application.onCreate, which is why SDKs hide their initialisation in them), and <clinit>.
// The launcher activity is recorded but not start-up unless asked (the consent dialog usually
// lives there); its first-screen lifecycle is listed apart (EntrySet::launcher_start) so callers
// can treat it as start-up with the consent gate in mind. Callbacks are resolved through app
// superclasses (App extends BaseApp, which defines onCreate) and the framework data (which
// callbacks a base class has).
#ifndef PIAUDIT_ANALYSIS_ENTRY_POINTS_H_
#define PIAUDIT_ANALYSIS_ENTRY_POINTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/class_hierarchy.h"
#include "analysis/code_analysis.h"
#include "base/diagnostics.h"

namespace piaudit::analysis {

struct EntrySet {
  std::vector<uint32_t> all;       // method ids, every entry point
  std::vector<uint32_t> startup;   // the start-up subset
  std::vector<uint32_t> launcher;  // the launcher activity's callbacks
  // The launcher activity's first screen: the subset of `launcher` Android runs on its own as the
  // app opens (static initialisers, <init>, attachBaseContext, onCreate, onPostCreate, onStart,
  // onResume, onPostResume), before the user can touch anything. Callbacks that need a user
  // action or come later (onActivityResult, onBackPressed, onPause ...) are not in it.
  std::vector<uint32_t> launcher_start;
  std::vector<EntryPoint> described;
};

// "com.example.App" -> "Lcom/example/App;"
std::string DescriptorOf(std::string_view dot_name);

EntrySet FindEntryPoints(const ClassHierarchy& hierarchy, const AppComponents& components,
                         bool launcher_is_startup, Diagnostics* diags);

}  // namespace piaudit::analysis

#endif  // PIAUDIT_ANALYSIS_ENTRY_POINTS_H_
