// Turns what the parsers and analysers found into evidence::AppEvidence, the only input of the
// rules. Each converter is separate so a scan can run with parts missing (no policy, code that
// could not be read) and still say exactly what is unknown.
#ifndef PIAUDIT_GATHER_EVIDENCE_BUILDER_H_
#define PIAUDIT_GATHER_EVIDENCE_BUILDER_H_

#include <string>

#include "analysis/app_code.h"
#include "apk/apk_facts.h"
#include "apk/layout_facts.h"
#include "evidence/evidence.h"
#include "knowledge/knowledge_base.h"
#include "policy/policy_analysis.h"

namespace piaudit::gather {

// App facts and requested permissions from the manifest. (The APK's diagnostics reach the evidence
// through the code report, which takes the facts over.)
void AddManifestEvidence(const apk::ApkFacts& facts, const knowledge::KnowledgeBase& kb,
                         evidence::AppEvidence* ev);
// SDKs, packer, sensitive calls, consent gate, hosts and code-read status.
void AddCodeEvidence(const analysis::CodeReport& code, const knowledge::KnowledgeBase& kb,
                     evidence::AppEvidence* ev);
// Pre-ticked consent boxes from layouts.
void AddLayoutEvidence(const apk::LayoutFacts& layouts, evidence::AppEvidence* ev);
// Everything the policy says. `file` names the policy in evidence refs (a path, an APK entry or
// a URL); `source` says where it came from.
void AddPolicyEvidence(const policy::PolicyAnalysis& policy, evidence::PolicySource source,
                       const std::string& file, evidence::AppEvidence* ev);

// "Lcom/foo/Bar;->baz(I)V" -> "com.foo.Bar.baz" (what reports show as class.method).
std::string ClassDotMethod(std::string_view descriptor);

}  // namespace piaudit::gather

#endif  // PIAUDIT_GATHER_EVIDENCE_BUILDER_H_
