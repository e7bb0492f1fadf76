// Names of the evidence enums (stable strings used by every report and the evidence record, each
// written once and read both ways) and the ref builders.
#include "evidence/evidence.h"

#include <limits>
#include <type_traits>
#include <utility>

namespace piaudit::evidence {

namespace {

constexpr std::string_view RawSeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return {};
}

constexpr std::string_view RawSourceKindName(SourceKind k) {
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
  return {};
}

constexpr std::string_view RawDetectionStrengthName(DetectionStrength s) {
  switch (s) {
    case DetectionStrength::kStrong:
      return "strong";
    case DetectionStrength::kMedium:
      return "medium";
    case DetectionStrength::kWeak:
      return "weak";
  }
  return {};
}

constexpr std::string_view RawBeforeConsentName(BeforeConsent b) {
  switch (b) {
    case BeforeConsent::kLikely:
      return "likely";
    case BeforeConsent::kNo:
      return "no";
    case BeforeConsent::kUnknown:
      return "unknown";
  }
  return {};
}

constexpr std::string_view RawPolicySourceName(PolicySource s) {
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
  return {};
}

constexpr std::string_view RawRightKindName(RightKind k) {
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
  return {};
}

constexpr std::string_view RawTimeUnitName(TimeUnit u) {
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
  return {};
}

// Names for an out-of-range value print as "unknown" (a bug upstream, never a crash).
std::string_view OrUnknown(std::string_view raw) { return raw.empty() ? "unknown" : raw; }

// The inverse of a Raw*Name switch, so each name is written once: try every value the
// underlying type can hold (at most 256) and keep the one whose name matches. Only readers of
// stored records call this, never a scan's hot path.
template <typename E>
std::optional<E> ParseByName(std::string_view (*raw_name)(E), std::string_view name) {
  using U = std::underlying_type_t<E>;
  static_assert(sizeof(U) == 1, "ParseByName walks every value of a one-byte enum");
  if (name.empty()) return std::nullopt;
  for (unsigned v = 0; v <= std::numeric_limits<U>::max(); ++v) {
    const E e = static_cast<E>(v);
    if (raw_name(e) == name) return e;
  }
  return std::nullopt;
}

}  // namespace

std::string_view SeverityName(Severity v) { return OrUnknown(RawSeverityName(v)); }
std::optional<Severity> ParseSeverity(std::string_view name) {
  return ParseByName<Severity>(RawSeverityName, name);
}

std::string_view SourceKindName(SourceKind v) { return OrUnknown(RawSourceKindName(v)); }
std::optional<SourceKind> ParseSourceKind(std::string_view name) {
  return ParseByName<SourceKind>(RawSourceKindName, name);
}

std::string_view DetectionStrengthName(DetectionStrength v) {
  return OrUnknown(RawDetectionStrengthName(v));
}
std::optional<DetectionStrength> ParseDetectionStrength(std::string_view name) {
  return ParseByName<DetectionStrength>(RawDetectionStrengthName, name);
}

std::string_view BeforeConsentName(BeforeConsent v) { return OrUnknown(RawBeforeConsentName(v)); }
std::optional<BeforeConsent> ParseBeforeConsent(std::string_view name) {
  return ParseByName<BeforeConsent>(RawBeforeConsentName, name);
}

std::string_view PolicySourceName(PolicySource v) { return OrUnknown(RawPolicySourceName(v)); }
std::optional<PolicySource> ParsePolicySource(std::string_view name) {
  return ParseByName<PolicySource>(RawPolicySourceName, name);
}

std::string_view RightKindName(RightKind v) { return OrUnknown(RawRightKindName(v)); }
std::optional<RightKind> ParseRightKind(std::string_view name) {
  return ParseByName<RightKind>(RawRightKindName, name);
}

std::string_view TimeUnitName(TimeUnit v) { return OrUnknown(RawTimeUnitName(v)); }
std::optional<TimeUnit> ParseTimeUnit(std::string_view name) {
  return ParseByName<TimeUnit>(RawTimeUnitName, name);
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
