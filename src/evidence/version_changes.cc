#include "evidence/version_changes.h"

#include "evidence/evidence.h"

namespace piaudit::evidence {

// Out of line: the header only forward-declares EvidenceRef, whose == these need.
bool VersionChange::operator==(const VersionChange&) const = default;
bool VersionChanges::operator==(const VersionChanges&) const = default;

std::string_view ChangeKindName(ChangeKind k) {
  switch (k) {
    case ChangeKind::kAdded:
      return "added";
    case ChangeKind::kRemoved:
      return "removed";
    case ChangeKind::kChanged:
      return "changed";
  }
  return "unknown";
}

std::optional<ChangeKind> ParseChangeKind(std::string_view name) {
  for (ChangeKind k : {ChangeKind::kAdded, ChangeKind::kRemoved, ChangeKind::kChanged}) {
    if (ChangeKindName(k) == name) return k;
  }
  return std::nullopt;
}

}  // namespace piaudit::evidence
