// Two versions of one app, for `piaudit diff` and `piaudit scan --previous` (issue 14): scans the
// previous version with the same Scanner, checks it is the same app (package and a signing
// certificate in common, unless forced) and compares it with the current version's evidence
// (compare/version_compare.h).
#ifndef PIAUDIT_APP_VERSION_PAIR_H_
#define PIAUDIT_APP_VERSION_PAIR_H_

#include <string>
#include <vector>

#include "base/stop.h"
#include "evidence/evidence.h"
#include "scan/scanner.h"

namespace piaudit::app {

struct VersionPairRequest {
  std::string previous_apk;
  std::string previous_policy;  // --previous-policy (diff: --old-policy); empty: as the scan finds
  bool force = false;           // compare a different package or signer anyway
  // --previous-trace: recordings of the previous version (files; directories expanded). With
  // recordings of the current version too, the permission states the user set are compared.
  std::vector<std::string> previous_traces;
  // The deadline of the whole command (not owned; null: never stop): the previous version's scan
  // runs under the same deadline as the current one, so --timeout bounds both.
  const StopCondition* stop = nullptr;
};

struct VersionPairOutcome {
  int exit_code = 0;          // kExitOk, or the code to exit with (message already printed)
  scan::ScanResult previous;  // the previous version's scan
  evidence::VersionChanges changes;
};

// Scans the previous version and compares it with `current` (the scan of `current_apk`). On a
// different package or signer without `force`, an unreadable previous APK or policy, or a stop,
// prints one line on standard error prefixed with `command` and returns its exit code (a stop:
// kExitStopped). `out.previous.timings` are the previous scan's phases, for --timings.
VersionPairOutcome CompareWithPrevious(const scan::Scanner& scanner,
                                       const VersionPairRequest& request,
                                       const std::string& current_apk,
                                       const evidence::AppEvidence& current, const char* command);

}  // namespace piaudit::app

#endif  // PIAUDIT_APP_VERSION_PAIR_H_
