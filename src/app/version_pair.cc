#include "app/version_pair.h"

#include <cstdio>

#include "app/commands.h"
#include "compare/version_compare.h"
#include "runtime/recordings.h"

namespace piaudit::app {

VersionPairOutcome CompareWithPrevious(const scan::Scanner& scanner,
                                       const VersionPairRequest& request,
                                       const std::string& current_apk,
                                       const evidence::AppEvidence& current, const char* command) {
  VersionPairOutcome out;
  scan::ScanRequest previous_request;
  previous_request.apk_path = request.previous_apk;
  previous_request.policy_file = request.previous_policy;
  previous_request.trace_files = runtime::ExpandTracePaths(request.previous_traces);
  previous_request.stop = request.stop;
  out.previous = scanner.Scan(previous_request);
  if (!out.previous.status.ok()) {  // only a stop (deadline, cancellation) fails a scan
    std::fprintf(stderr, "piaudit %s: previous version: %s; no report written\n", command,
                 out.previous.status.ToString().c_str());
    out.exit_code = kExitStopped;
    return out;
  }
  if (!out.previous.apk_status.ok()) {
    std::fprintf(stderr, "piaudit %s: previous version: %s\n", command,
                 out.previous.apk_status.ToString().c_str());
    out.exit_code = kExitBadInput;
    return out;
  }
  if (!out.previous.policy_status.ok() && !request.previous_policy.empty()) {
    std::fprintf(stderr, "piaudit %s: previous policy: %s\n", command,
                 out.previous.policy_status.ToString().c_str());
    out.exit_code = kExitBadInput;
    return out;
  }
  const evidence::AppEvidence& previous = out.previous.evidence;
  // The same app first: a diff of two different apps lists everything and means nothing.
  if (Status same = compare::CheckSameApp(previous, current); !same.ok() && !request.force) {
    std::fprintf(stderr, "piaudit %s: %s (use --force to compare anyway)\n", command,
                 same.ToString().c_str());
    out.exit_code = kExitUsage;
    return out;
  }
  auto previous_extras =
      compare::ReadVersionExtras(request.previous_apk, previous, scanner.kb(), scanner.limits());
  auto current_extras =
      compare::ReadVersionExtras(current_apk, current, scanner.kb(), scanner.limits());
  compare::VersionInput a{&previous, previous_extras.ok() ? &*previous_extras : nullptr};
  compare::VersionInput b{&current, current_extras.ok() ? &*current_extras : nullptr};
  out.changes = compare::CompareVersions(a, b, scanner.kb());
  out.changes.forced = request.force && !(out.changes.same_package && out.changes.same_lineage);
  if (previous.runtime && current.runtime) {
    compare::AddPermissionStateChanges(*previous.runtime, *current.runtime, &out.changes);
  }
  return out;
}

}  // namespace piaudit::app
