// Names of the evidence enums (stable strings used by every report) and the ref builders.
#include "evidence/evidence.h"

#include <utility>

namespace piaudit::evidence {

std::string_view SourceKindName(SourceKind k) {
  switch (k) {
    case SourceKind::kManifest:
      return "manifest";
    case SourceKind::kResource:
      return "resource";
    case SourceKind::kLayout:
      return "layout";
    case SourceKind::kCode:
      return "code";
    case SourceKind::kNative:
      return "native";
    case SourceKind::kAsset:
      return "asset";
    case SourceKind::kPolicy:
      return "policy";
    case SourceKind::kAbsence:
      return "absence";
    case SourceKind::kTrace:
      return "trace";
    case SourceKind::kNetwork:
      return "network";
  }
  return "unknown";
}

std::string_view DetectionStrengthName(DetectionStrength s) {
  switch (s) {
    case DetectionStrength::kStrong:
      return "strong";
    case DetectionStrength::kMedium:
      return "medium";
    case DetectionStrength::kWeak:
      return "weak";
  }
  return "unknown";
}

std::string_view BeforeConsentName(BeforeConsent b) {
  switch (b) {
    case BeforeConsent::kLikely:
      return "likely";
    case BeforeConsent::kNo:
      return "no";
    case BeforeConsent::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::string_view PolicySourceName(PolicySource s) {
  switch (s) {
    case PolicySource::kNone:
      return "none";
    case PolicySource::kGivenFile:
      return "given_file";
    case PolicySource::kBundledAsset:
      return "bundled_asset";
    case PolicySource::kResource:
      return "resource";
    case PolicySource::kUrlFound:
      return "url_found";
  }
  return "unknown";
}

std::string_view RightKindName(RightKind k) {
  switch (k) {
    case RightKind::kAccess:
      return "access";
    case RightKind::kCorrection:
      return "correction";
    case RightKind::kDeletion:
      return "deletion";
    case RightKind::kAccountCancellation:
      return "account_cancellation";
    case RightKind::kWithdrawConsent:
      return "withdraw_consent";
    case RightKind::kPersonalizationOptOut:
      return "personalization_opt_out";
    case RightKind::kCopy:
      return "copy";
    case RightKind::kComplaint:
      return "complaint";
  }
  return "unknown";
}

std::string_view TimeUnitName(TimeUnit u) {
  switch (u) {
    case TimeUnit::kWorkingDays:
      return "working_days";
    case TimeUnit::kDays:
      return "days";
    case TimeUnit::kHours:
      return "hours";
    case TimeUnit::kMonths:
      return "months";
  }
  return "unknown";
}

EvidenceRef CodeRef(std::string file, std::string location, std::vector<std::string> chain,
                    std::string detail) {
  EvidenceRef r;
  r.kind = SourceKind::kCode;
  r.file = std::move(file);
  r.location = std::move(location);
  r.chain = std::move(chain);
  r.detail = std::move(detail);
  return r;
}

EvidenceRef ManifestRef(std::string location, std::string detail) {
  EvidenceRef r;
  r.kind = SourceKind::kManifest;
  r.file = "AndroidManifest.xml";
  r.location = std::move(location);
  r.detail = std::move(detail);
  return r;
}

EvidenceRef LayoutRef(std::string file, std::string location, std::string detail) {
  EvidenceRef r;
  r.kind = SourceKind::kLayout;
  r.file = std::move(file);
  r.location = std::move(location);
  r.detail = std::move(detail);
  return r;
}

EvidenceRef PolicyRef(std::string file, PolicySpan span, std::string detail) {
  EvidenceRef r;
  r.kind = SourceKind::kPolicy;
  r.file = std::move(file);
  r.span = std::move(span);
  r.detail = std::move(detail);
  return r;
}

EvidenceRef AbsenceRef(std::string where, std::string detail) {
  EvidenceRef r;
  r.kind = SourceKind::kAbsence;
  r.file = std::move(where);
  r.detail = std::move(detail);
  return r;
}

std::string CodeUnknownReason(const AppEvidence& ev) {
  if (ev.packer) {
    std::string name = ev.packer->name.empty() ? ev.packer->id : ev.packer->name;
    return "the app is packed by " + name + " (" + ev.packer->id +
           "): the real code is encrypted and was not read";
  }
  const CodeReadStatus& c = ev.code;
  if (!c.attempted) return "code analysis was not run";
  std::string out;
  auto add = [&out](const std::string& s) {
    if (!out.empty()) out += "; ";
    out += s;
  };
  if (c.dex_files_read != c.dex_files) {
    add(std::to_string(c.dex_files_read) + " of " + std::to_string(c.dex_files) +
        " dex files read");
  }
  for (const std::string& f : c.failed_dex) add("failed: " + f);
  for (const std::string& l : c.limits_hit) add("limit hit: " + l);
  return out;
}

}  // namespace piaudit::evidence
