// The PI inventory shared by report.json, report.html and the disclose lists: for each PI type,
// where the scan saw it (code and owners, permissions, SDK documentation) and what the policy
// says about it. Private to src/report.
#ifndef PIAUDIT_REPORT_INTERNAL_INVENTORY_H_
#define PIAUDIT_REPORT_INTERNAL_INVENTORY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "evidence/evidence.h"
#include "knowledge/knowledge_base.h"

namespace piaudit::report::internal {

struct PiInventoryEntry {
  std::string id;
  std::string zh;
  std::string en;
  bool sensitive = false;
  std::vector<std::string> code_owners;  // "app" / SDK ids whose code reads it
  uint32_t call_sites = 0;
  std::vector<std::string> permissions;      // requested permissions that give access to it
  std::vector<std::string> sdks_documented;  // SDKs present that document collecting it
  // "collected", "not_collected", "both" (contradictory statements), "covered_by:<group>",
  // "not_mentioned", or "no_policy" when no policy text was analysed.
  std::string policy;
  std::vector<std::string> purposes;  // functions the policy names for it
};

// Sorted by id. `kb` may be null.
std::vector<PiInventoryEntry> BuildPiInventory(const evidence::AppEvidence& ev,
                                               const knowledge::KnowledgeBase* kb);

// Display name for an SDK id ("极光推送 (jpush)"), using the evidence and the kb when present.
std::string SdkDisplayName(const evidence::AppEvidence& ev, const knowledge::KnowledgeBase* kb,
                           const std::string& id);

}  // namespace piaudit::report::internal

#endif  // PIAUDIT_REPORT_INTERNAL_INVENTORY_H_
