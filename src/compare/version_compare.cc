#include "compare/version_compare.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "apk/apk_facts.h"
#include "apk/layout_facts.h"
#include "apk/policy_locate.h"
#include "apk/resource_strings.h"
#include "base/ascii.h"
#include "base/mapped_file.h"
#include "policy/document_text.h"
#include "policy/text_decoder.h"

namespace piaudit::compare {
namespace {

namespace ev = ::piaudit::evidence;
using ev::ChangeKind;
using ev::EvidenceRef;
using ev::VersionChange;

// Refs kept per side of one change: enough to check it by hand (as rules' kMaxRefsPerFinding).
constexpr size_t kMaxRefsPerSide = 3;
// Statement lines and notice hints kept per version; a policy states its date once or twice.
constexpr size_t kMaxStatements = 4;
constexpr size_t kMaxNoticeHints = 5;
// A text longer than this is a policy or a licence, not a notice's title or message.
constexpr size_t kMaxNoticeTextBytes = 600;

bool HasAnyExact(std::string_view text, const std::vector<std::string>& words) {
  for (const std::string& w : words) {
    if (!w.empty() && text.find(w) != std::string_view::npos) return true;
  }
  return false;
}

std::string Trimmed(std::string_view s) {
  const auto space = [](char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

// The policy text the scan analysed, extracted as the analyser extracts it. Empty when there is
// none or it is a PDF (the text comparison then says nothing).
std::string PolicyTextOf(apk::ApkFacts* facts, const apk::LayoutFacts& layouts,
                         const ev::AppEvidence& e, const knowledge::KnowledgeBase& kb,
                         const Limits& limits) {
  if (!e.policy.analysed) return "";
  std::string raw;
  if (e.policy.source == ev::PolicySource::kGivenFile) {
    auto bytes = ReadFileToString(e.policy.file, limits.max_policy_bytes);
    if (!bytes.ok()) return "";
    raw = std::move(*bytes);
  } else if (e.policy.source == ev::PolicySource::kBundledAsset ||
             e.policy.source == ev::PolicySource::kResource) {
    std::vector<std::string> strings;
    for (const auto& s : layouts.strings.strings) strings.push_back(s.text);
    auto bundled = apk::LocateBundledPolicy(*facts, strings, kb.consent_words(), limits);
    if (!bundled || bundled->file != e.policy.file) return "";
    raw = std::move(bundled->bytes);
  } else {
    return "";
  }
  if (policy::LooksLikePdf(ByteSpan(raw))) return "";
  auto decoded = policy::DecodeText(ByteSpan(raw));
  if (!decoded.ok()) return "";
  if (policy::LooksLikeHtml(decoded->utf8)) {
    return policy::ExtractHtmlText(decoded->utf8, limits).text;
  }
  return std::move(decoded->utf8);
}

std::vector<EvidenceRef> ChangeNoticeHints(const apk::ResourceStrings& strings,
                                           const knowledge::KnowledgeBase& kb) {
  const knowledge::ConsentWords& words = kb.consent_words();
  std::vector<EvidenceRef> out;
  auto consider = [&](const std::string& text, EvidenceRef ref) {
    if (out.size() >= kMaxNoticeHints || text.size() > kMaxNoticeTextBytes) return;
    if (!HasAnyExact(text, words.change_notice.words)) return;
    if (!HasAnyExact(AsciiLower(text), words.privacy_text.words)) return;
    ref.detail = text;
    out.push_back(std::move(ref));
  };
  for (const auto& s : strings.strings) {
    EvidenceRef ref;
    ref.kind = ev::SourceKind::kResource;
    ref.file = "resources.arsc";
    ref.location = "string/" + s.name;
    consider(s.text, std::move(ref));
  }
  for (const auto& layout : strings.layouts) {
    for (const auto& view : layout.views) {
      consider(view.text, ev::LayoutRef("layout/" + layout.name,
                                        "layout/" + layout.name + "#" + view.id_name));
    }
  }
  return out;
}

// --- comparing ---

// One side of a keyed comparison: key -> (display value, refs).
struct Side {
  struct Entry {
    std::string value;
    std::vector<EvidenceRef> refs;
    bool dangerous = false;
    bool widens = false;
  };
  std::map<std::string, Entry> entries;

  Entry& Add(const std::string& key, const std::string& value = "") {
    Entry& e = entries[key];
    if (e.value.empty()) e.value = value;
    return e;
  }
  void AddRef(const std::string& key, const EvidenceRef& ref) {
    Entry& e = entries[key];
    if (e.refs.size() < kMaxRefsPerSide) e.refs.push_back(ref);
  }
};

// Added and removed keys of one area; a key on both sides whose value differs is "changed" when
// `compare_values`.
void Diff(const char* area, const Side& before, const Side& after, bool compare_values,
          std::vector<VersionChange>* out) {
  for (const auto& [key, entry] : after.entries) {
    const auto old = before.entries.find(key);
    if (old == before.entries.end()) {
      VersionChange c;
      c.area = area;
      c.kind = ChangeKind::kAdded;
      c.subject = key;
      c.after = entry.value;
      c.widens = entry.widens;
      c.dangerous = entry.dangerous;
      c.current_refs = entry.refs;
      out->push_back(std::move(c));
    } else if (compare_values && old->second.value != entry.value) {
      VersionChange c;
      c.area = area;
      c.kind = ChangeKind::kChanged;
      c.subject = key;
      c.before = old->second.value;
      c.after = entry.value;
      c.dangerous = entry.dangerous;
      c.previous_refs = old->second.refs;
      c.current_refs = entry.refs;
      out->push_back(std::move(c));
    }
  }
  for (const auto& [key, entry] : before.entries) {
    if (after.entries.count(key) != 0) continue;
    VersionChange c;
    c.area = area;
    c.kind = ChangeKind::kRemoved;
    c.subject = key;
    c.before = entry.value;
    c.dangerous = entry.dangerous;
    c.previous_refs = entry.refs;
    out->push_back(std::move(c));
  }
}

bool DangerousPermission(const knowledge::KnowledgeBase& kb, const ev::AppEvidence& e,
                         std::string_view name) {
  if (const knowledge::Permission* p = kb.FindPermission(name)) return p->dangerous;
  for (const auto& p : e.permissions) {
    if (p.name == name) return p.dangerous;
  }
  return false;
}

Side Permissions(const ev::AppEvidence& e) {
  Side s;
  for (const auto& p : e.permissions) {
    Side::Entry& entry = s.Add(p.name, p.dangerous ? "dangerous" : "normal");
    entry.dangerous = p.dangerous;
    entry.widens = p.dangerous;
    s.AddRef(p.name, p.ref);
  }
  return s;
}

std::string SdkValue(const ev::SdkFact& sdk) {
  return sdk.presence + ", version " + (sdk.version.empty() ? "unknown" : sdk.version);
}

// Where the SDK is, its version's location first (it is what a version change stands on).
std::vector<EvidenceRef> SdkRefs(const ev::SdkFact& sdk) {
  std::vector<EvidenceRef> refs;
  if (sdk.version_ref) refs.push_back(*sdk.version_ref);
  for (const auto& ref : sdk.refs) {
    if (refs.size() >= kMaxRefsPerSide) break;
    refs.push_back(ref);
  }
  return refs;
}

// SDKs added and removed, and for one in both versions: its presence changed, or its version
// (upgraded, downgraded, changed, or known on one side only: "unknown"). Two unknown versions
// are not compared: nothing can be said, so nothing is claimed.
void DiffSdks(const ev::AppEvidence& a, const ev::AppEvidence& b, std::vector<VersionChange>* out) {
  std::map<std::string, const ev::SdkFact*> before, after;
  for (const auto& sdk : a.sdks) before.emplace(sdk.id, &sdk);
  for (const auto& sdk : b.sdks) after.emplace(sdk.id, &sdk);
  for (const auto& [id, now] : after) {
    VersionChange c;
    c.area = "sdk";
    c.subject = id;
    c.current_refs = SdkRefs(*now);
    const auto old = before.find(id);
    if (old == before.end()) {
      c.kind = ChangeKind::kAdded;
      c.after = SdkValue(*now);
      // An SDK seen only by name or in the manifest collects nothing yet.
      c.widens = !now->pi_types.empty() && now->presence == "code";
      out->push_back(std::move(c));
      continue;
    }
    const ev::SdkFact& was = *old->second;
    c.kind = ChangeKind::kChanged;
    c.previous_refs = SdkRefs(was);
    if (!was.version.empty() && !now->version.empty()) {
      c.version_change = std::string(CompareSdkVersions(was.version, now->version));
    } else if (was.version.empty() != now->version.empty()) {
      c.version_change = "unknown";
    }
    if (was.presence != now->presence) {
      c.before = SdkValue(was);
      c.after = SdkValue(*now);
    } else if (!c.version_change.empty() && c.version_change != "same") {
      c.before = was.version.empty() ? "unknown" : was.version;
      c.after = now->version.empty() ? "unknown" : now->version;
    } else {
      continue;
    }
    if (c.version_change == "same") c.version_change.clear();
    out->push_back(std::move(c));
  }
  for (const auto& [id, was] : before) {
    if (after.count(id) != 0) continue;
    VersionChange c;
    c.area = "sdk";
    c.kind = ChangeKind::kRemoved;
    c.subject = id;
    c.before = SdkValue(*was);
    c.previous_refs = SdkRefs(*was);
    out->push_back(std::move(c));
  }
}

EvidenceRef CallRef(const ev::SensitiveCall& call) {
  EvidenceRef r = call.ref;
  if (r.chain.empty()) r.chain = call.chain;
  if (r.location.empty()) r.location = call.caller;
  if (r.detail.empty()) r.detail = call.api;
  return r;
}

Side PiTypes(const ev::AppEvidence& e) {
  Side s;
  for (const auto& call : e.sensitive_calls) {
    Side::Entry& entry = s.Add(call.pi_type);
    entry.widens = true;
    s.AddRef(call.pi_type, CallRef(call));
  }
  return s;
}

Side StartupReads(const ev::AppEvidence& e) {
  Side s;
  for (const auto& call : e.sensitive_calls) {
    // Only reads the code is shown to make before consent: a fan-out chain is a lead, not a fact.
    if (!call.startup || call.fan_out || call.before_consent != ev::BeforeConsent::kLikely) {
      continue;
    }
    const std::string key = call.pi_type + " by " + call.owner;
    Side::Entry& entry = s.Add(key, "before consent");
    entry.widens = true;
    s.AddRef(key, CallRef(call));
  }
  return s;
}

Side StartupRequests(const ev::AppEvidence& e, const knowledge::KnowledgeBase& kb) {
  Side s;
  for (const auto& req : e.startup_permission_requests) {
    EvidenceRef ref = req.ref;
    if (ref.chain.empty()) ref.chain = req.chain;
    for (const std::string& p : req.permissions) {
      Side::Entry& entry = s.Add(p, std::string(ev::BeforeConsentName(req.before_consent)));
      entry.dangerous = DangerousPermission(kb, e, p);
      entry.widens = entry.dangerous && req.before_consent != ev::BeforeConsent::kNo;
      s.AddRef(p, ref);
    }
  }
  return s;
}

Side Components(const VersionExtras& x, bool exported_only) {
  Side s;
  for (const auto& c : x.components) {
    if (exported_only && !c.exported) continue;
    s.Add(c.name, c.kind);
    s.AddRef(c.name, ev::ManifestRef("manifest/application/" + c.kind + "[@name=" + c.name + "]",
                                     c.exported ? "exported" : "not exported"));
  }
  return s;
}

// --- the policy ---

// The policy as a whole (no span): which file was analysed, and from where.
EvidenceRef PolicyFileRef(const ev::AppEvidence& e, std::string detail) {
  EvidenceRef r;
  r.kind = ev::SourceKind::kPolicy;
  r.file = e.policy.file;
  r.detail = std::move(detail) + " (" + std::string(ev::PolicySourceName(e.policy.source)) + ")";
  return r;
}

EvidenceRef PolicyRefOf(const ev::AppEvidence& e, const ev::PolicySpan& span, std::string detail) {
  return ev::PolicyRef(e.policy.file, span, std::move(detail));
}

Side PolicyDataTypes(const ev::AppEvidence& e) {
  Side s;
  for (const auto& d : e.policy.data_types) {
    if (!d.collected) continue;
    s.Add(d.type_id, d.required ? "required" : d.optional ? "optional" : "collected");
    if (!d.spans.empty()) s.AddRef(d.type_id, PolicyRefOf(e, d.spans.front(), "data type"));
  }
  return s;
}

Side PolicyThirdParties(const ev::AppEvidence& e) {
  Side s;
  for (const auto& t : e.policy.third_parties) {
    const std::string key = t.sdk_id.empty() ? t.name : t.sdk_id;
    if (key.empty()) continue;
    s.Add(key, t.purpose);
    s.AddRef(key, PolicyRefOf(e, t.span, "third party"));
  }
  return s;
}

Side PolicyPermissions(const ev::AppEvidence& e) {
  Side s;
  for (const auto& p : e.policy.permissions) {
    if (p.negated) continue;
    s.Add(p.permission, p.purpose);
    s.AddRef(p.permission, PolicyRefOf(e, p.span, "permission"));
  }
  return s;
}

Side PolicyRights(const ev::AppEvidence& e) {
  Side s;
  for (const auto& r : e.policy.rights) {
    const std::string key(ev::RightKindName(r.kind));
    s.Add(key);
    s.AddRef(key, PolicyRefOf(e, r.span, "right"));
  }
  return s;
}

Side PolicyTimeLimits(const ev::AppEvidence& e) {
  Side s;
  for (const auto& t : e.policy.time_limits) {
    const std::string value =
        std::to_string(t.amount) + " " + std::string(ev::TimeUnitName(t.unit));
    s.Add(t.applies_to, value);
    s.AddRef(t.applies_to, PolicyRefOf(e, t.span, "time limit"));
  }
  return s;
}

Side Statements(const VersionExtras* x) {
  Side s;
  if (x == nullptr) return s;
  for (const auto& ref : x->policy_statements) {
    s.Add(ref.detail, ref.detail);
    s.AddRef(ref.detail, ref);
  }
  return s;
}

// Whitespace carries no meaning in a policy (a re-flowed HTML file is the same policy).
std::string WithoutSpace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n') out.push_back(ch);
  }
  return out;
}

void ComparePolicies(const VersionInput& previous, const VersionInput& current,
                     ev::VersionChanges* out) {
  const ev::AppEvidence& a = *previous.evidence;
  const ev::AppEvidence& b = *current.evidence;
  std::vector<VersionChange>& changes = out->changes;
  if (a.policy.analysed != b.policy.analysed) {
    VersionChange c;
    c.area = "policy_text";
    c.kind = b.policy.analysed ? ChangeKind::kAdded : ChangeKind::kRemoved;
    c.subject = "policy";
    if (a.policy.analysed) {
      c.before = a.policy.file;
      c.previous_refs.push_back(PolicyFileRef(a, "policy text analysed"));
    } else {
      c.after = b.policy.file;
      c.current_refs.push_back(PolicyFileRef(b, "policy text analysed"));
    }
    changes.push_back(std::move(c));
    return;
  }
  if (!a.policy.analysed) return;
  out->policies_compared = true;
  const std::string text_a = previous.extras ? WithoutSpace(previous.extras->policy_text) : "";
  const std::string text_b = current.extras ? WithoutSpace(current.extras->policy_text) : "";
  if (!text_a.empty() && !text_b.empty()) {
    out->policy_unchanged = text_a == text_b;
    if (!out->policy_unchanged) {
      VersionChange c;
      c.area = "policy_text";
      c.kind = ChangeKind::kChanged;
      c.subject = "policy";
      c.before = std::to_string(a.policy.text_code_points) + " code points";
      c.after = std::to_string(b.policy.text_code_points) + " code points";
      c.previous_refs.push_back(PolicyFileRef(a, "policy text"));
      c.current_refs.push_back(PolicyFileRef(b, "policy text"));
      changes.push_back(std::move(c));
    }
  }
  Diff("policy_data_type", PolicyDataTypes(a), PolicyDataTypes(b), false, &changes);
  Diff("policy_third_party", PolicyThirdParties(a), PolicyThirdParties(b), false, &changes);
  Diff("policy_permission", PolicyPermissions(a), PolicyPermissions(b), false, &changes);
  Diff("policy_right", PolicyRights(a), PolicyRights(b), false, &changes);
  Diff("policy_time_limit", PolicyTimeLimits(a), PolicyTimeLimits(b), true, &changes);
  Diff("policy_statement", Statements(previous.extras), Statements(current.extras), false,
       &changes);
}

std::string SignerList(const ev::AppEvidence& e) {
  std::string out;
  for (const auto& s : e.app.signers) {
    if (!out.empty()) out += ", ";
    out += s.sha256;
  }
  return out.empty() ? "(none)" : out;
}

bool ShareSigner(const ev::AppEvidence& a, const ev::AppEvidence& b) {
  for (const auto& x : a.app.signers) {
    for (const auto& y : b.app.signers) {
      if (!x.sha256.empty() && x.sha256 == y.sha256) return true;
    }
  }
  return false;
}

// `certificate` is an older certificate of `signer`'s lineage (the last node is the signer).
bool IsAncestor(const ev::SignerFact& signer, const std::string& certificate) {
  if (certificate.empty() || signer.lineage.empty()) return false;
  return std::find(signer.lineage.begin(), signer.lineage.end() - 1, certificate) !=
         signer.lineage.end() - 1;
}

}  // namespace

std::string_view CompareSdkVersions(std::string_view before, std::string_view after) {
  if (before == after) return "same";
  // The first dotted numbers ("9.2.1" of "9.2.1-beta", "5.3.1" of "android 5.3.1"), compared
  // number by number; a missing number counts as 0 ("1.2" == "1.2.0").
  auto numbers = [](std::string_view v) {
    std::vector<uint64_t> out;
    size_t i = 0;
    while (i < v.size() && (v[i] < '0' || v[i] > '9')) ++i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9' && out.size() < 16) {
      uint64_t n = 0;
      size_t digits = 0;
      while (i < v.size() && v[i] >= '0' && v[i] <= '9') {
        if (++digits <= 18) n = n * 10 + static_cast<uint64_t>(v[i] - '0');
        ++i;
      }
      out.push_back(n);
      if (i < v.size() && v[i] == '.') {
        ++i;
      } else {
        break;
      }
    }
    return out;
  };
  std::vector<uint64_t> x = numbers(before), y = numbers(after);
  if (x.empty() || y.empty()) return "changed";
  const size_t n = std::max(x.size(), y.size());
  x.resize(n, 0);
  y.resize(n, 0);
  if (x < y) return "upgraded";
  if (y < x) return "downgraded";
  return "changed";  // same numbers, different suffix ("2.0-beta" and "2.0"): no order claimed
}

std::vector<EvidenceRef> PolicyStatements(std::string_view text, std::string_view file,
                                          const knowledge::KnowledgeBase& kb) {
  const auto& words = kb.consent_words().policy_statement.words;
  std::vector<EvidenceRef> out;
  size_t start = 0;
  uint32_t start_cp = 0;
  while (start <= text.size() && out.size() < kMaxStatements) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    const uint32_t line_cp = CountCodePoints(line);
    if (HasAnyExact(line, words)) {
      const std::string trimmed = Trimmed(line);
      // A long line is prose that mentions a date, not the policy's own dateline.
      if (!trimmed.empty() && trimmed.size() <= 200) {
        ev::PolicySpan span{start_cp, start_cp + line_cp, std::string(line)};
        EvidenceRef ref = ev::PolicyRef(std::string(file), std::move(span), trimmed);
        out.push_back(std::move(ref));
      }
    }
    if (end == text.size()) break;
    start_cp += line_cp + 1;
    start = end + 1;
  }
  return out;
}

Result<VersionExtras> ReadVersionExtras(const std::string& apk_path, const ev::AppEvidence& e,
                                        const knowledge::KnowledgeBase& kb, const Limits& limits) {
  apk::ApkFactsOptions options;
  options.limits = limits;
  options.read_signatures = false;
  options.read_native_libs = false;
  ASSIGN_OR_RETURN(apk::ApkFacts facts, apk::ReadApkFacts(apk_path, options));
  VersionExtras x;
  for (const auto& c : facts.manifest.components) {
    x.components.push_back({std::string(android::ComponentKindName(c.kind)), c.name, c.exported});
  }
  x.shared_user_id = facts.manifest.shared_user_id;
  apk::LayoutFacts layouts = apk::ReadLayoutFacts(facts, kb.consent_words(), limits);
  // The layouts carry view texts only; the string resources are collected apart (as the scan
  // does, scan/scanner.cc).
  if (facts.resources) {
    layouts.strings.strings =
        apk::CollectResourceStrings(*facts.resources, limits.max_resource_strings).strings;
  }
  x.change_notices = ChangeNoticeHints(layouts.strings, kb);
  x.policy_text = PolicyTextOf(&facts, layouts, e, kb, limits);
  x.policy_statements = PolicyStatements(x.policy_text, e.policy.file, kb);
  return x;
}

SignerLink LinkSigners(const ev::AppEvidence& previous, const ev::AppEvidence& current) {
  if (ShareSigner(previous, current)) return {"same_certificate", "", ""};
  for (const auto& now : current.app.signers) {
    if (!now.lineage_verified) continue;
    for (const auto& before : previous.app.signers) {
      if (IsAncestor(now, before.sha256)) return {"rotated", before.sha256, now.sha256};
    }
  }
  for (const auto& before : previous.app.signers) {
    if (!before.lineage_verified) continue;
    for (const auto& now : current.app.signers) {
      if (IsAncestor(before, now.sha256)) return {"rolled_back", before.sha256, now.sha256};
    }
  }
  return {"none", "", ""};
}

Status CheckSameApp(const ev::AppEvidence& previous, const ev::AppEvidence& current) {
  if (previous.app.package != current.app.package) {
    return InvalidInput("different apps: package " + previous.app.package + " (previous) vs " +
                        current.app.package + " (current)")
        .InFile(current.app.apk_file);
  }
  if (LinkSigners(previous, current).kind == "none") {
    // A lineage that would link the two but does not verify is named: it looks like a rotation
    // and is not one (edited, or made by someone without the old key).
    std::string unverified;
    for (const auto& now : current.app.signers) {
      for (const auto& before : previous.app.signers) {
        if (!now.lineage_verified && IsAncestor(now, before.sha256)) {
          unverified =
              "; the current signer's proof-of-rotation names the previous certificate "
              "but does NOT verify";
        }
      }
    }
    return InvalidInput(
               "different signing lineage: no certificate in common and no verified "
               "proof-of-rotation (previous: " +
               SignerList(previous) + "; current: " + SignerList(current) + ")" + unverified)
        .InFile(current.app.apk_file);
  }
  return Status();
}

ev::VersionChanges CompareVersions(const VersionInput& previous, const VersionInput& current,
                                   const knowledge::KnowledgeBase& kb) {
  const ev::AppEvidence& a = *previous.evidence;
  const ev::AppEvidence& b = *current.evidence;
  ev::VersionChanges out;
  out.previous.package = a.app.package;
  out.previous.version_name = a.app.version_name;
  out.previous.version_code = a.app.version_code;
  out.previous.target_sdk = a.app.target_sdk;
  out.previous.apk_file = a.app.apk_file;
  out.previous.apk_sha256 = a.app.apk_sha256;
  for (const auto& s : a.app.signers) out.previous.signer_sha256.push_back(s.sha256);
  out.previous.policy_file = a.policy.file;
  out.previous.policy_analysed = a.policy.analysed;
  out.same_package = a.app.package == b.app.package;
  SignerLink link = LinkSigners(a, b);
  out.same_lineage = link.kind != "none";
  out.lineage = std::move(link.kind);
  out.lineage_from = std::move(link.from);
  out.lineage_to = std::move(link.to);
  std::vector<VersionChange>& changes = out.changes;

  // Manifest.
  Diff("permission", Permissions(a), Permissions(b), false, &changes);
  if (a.app.target_sdk != b.app.target_sdk) {
    VersionChange c;
    c.area = "target_sdk";
    c.kind = ChangeKind::kChanged;
    c.subject = "targetSdkVersion";
    c.before = std::to_string(a.app.target_sdk);
    c.after = std::to_string(b.app.target_sdk);
    c.previous_refs.push_back(ev::ManifestRef("manifest/uses-sdk", "targetSdkVersion " + c.before));
    c.current_refs.push_back(ev::ManifestRef("manifest/uses-sdk", "targetSdkVersion " + c.after));
    changes.push_back(c);
    // The levels at which permissions behave differently (data/thresholds.yaml, unit api_level).
    for (const knowledge::Threshold& t : kb.thresholds()) {
      if (t.unit != "api_level" || !t.value) continue;
      const int32_t level = static_cast<int32_t>(std::lround(*t.value));
      if ((a.app.target_sdk < level) == (b.app.target_sdk < level)) continue;
      VersionChange x = c;
      x.area = "target_sdk_crossing";
      x.subject = t.id;
      x.current_refs.front().detail = "targetSdkVersion " + c.after + " crosses API " +
                                      std::to_string(level) + ": " + t.applies_to;
      changes.push_back(std::move(x));
    }
  }
  if (previous.extras != nullptr && current.extras != nullptr) {
    Diff("component", Components(*previous.extras, false), Components(*current.extras, false),
         false, &changes);
    Diff("exported_component", Components(*previous.extras, true),
         Components(*current.extras, true), false, &changes);
    if (previous.extras->shared_user_id != current.extras->shared_user_id) {
      VersionChange c;
      c.area = "shared_user_id";
      c.kind = previous.extras->shared_user_id.empty()  ? ChangeKind::kAdded
               : current.extras->shared_user_id.empty() ? ChangeKind::kRemoved
                                                        : ChangeKind::kChanged;
      c.subject = "sharedUserId";
      c.before = previous.extras->shared_user_id;
      c.after = current.extras->shared_user_id;
      c.previous_refs.push_back(ev::ManifestRef("manifest[@sharedUserId]", c.before));
      c.current_refs.push_back(ev::ManifestRef("manifest[@sharedUserId]", c.after));
      changes.push_back(std::move(c));
    }
  }

  // Code.
  DiffSdks(a, b, &changes);
  Diff("pi_type", PiTypes(a), PiTypes(b), false, &changes);
  Diff("startup_read", StartupReads(a), StartupReads(b), false, &changes);
  Diff("startup_permission_request", StartupRequests(a, kb), StartupRequests(b, kb), false,
       &changes);

  // Policy.
  ComparePolicies(previous, current, &out);

  // A notice of the change: texts of the new version that the old one did not have.
  if (current.extras != nullptr) {
    std::set<std::string> before;
    if (previous.extras != nullptr) {
      for (const auto& r : previous.extras->change_notices) before.insert(r.detail);
    }
    for (const auto& r : current.extras->change_notices) {
      if (before.count(r.detail) != 0) continue;
      VersionChange c;
      c.area = "change_notice";
      c.kind = ChangeKind::kAdded;
      c.subject = r.location;
      c.after = r.detail;
      c.current_refs.push_back(r);
      changes.push_back(std::move(c));
    }
  }
  return out;
}

void AddPermissionStateChanges(const ev::RuntimeFacts& previous, const ev::RuntimeFacts& current,
                               ev::VersionChanges* changes) {
  // The user's last answer per permission in the previous version (its timeline is in time order).
  std::map<std::string, const ev::RuntimeEventFact*> last_answer;
  for (const ev::RuntimeEventFact& e : previous.timeline) {
    if (e.type == "permission_result" && e.granted && !e.permissions.empty()) {
      last_answer[e.permissions.front()] = &e;
    }
  }
  for (const auto& [permission, answer] : last_answer) {
    if (*answer->granted) continue;
    bool tapped = false;
    for (const ev::RuntimeEventFact& e : current.timeline) {
      tapped |= e.type == "tap";
      const bool asked =
          e.type == "permission_request" &&
          std::find(e.permissions.begin(), e.permissions.end(), permission) != e.permissions.end();
      const bool granted = e.type == "permission_result" && e.granted && *e.granted &&
                           !e.permissions.empty() && e.permissions.front() == permission;
      if (!asked && !granted) continue;
      ev::VersionChange change;
      change.area = "permission_state";
      change.kind = ev::ChangeKind::kChanged;
      change.subject = permission;
      change.before = "denied";
      change.after = granted ? "granted without asking"
                             : (tapped ? "asked again" : "asked again before any tap");
      change.dangerous = true;
      change.previous_refs.push_back(answer->ref);
      change.current_refs.push_back(e.ref);
      changes->changes.push_back(std::move(change));
      break;
    }
  }
}

}  // namespace piaudit::compare
