// Facts with provenance: the only input the 31 rules see.
//
// The scan pipeline converts what the parsers and analysers found (manifest model, code analysis,
// policy analysis, APK layout) into these plain structs; rules never include those modules'
// headers, so a rule can be tested with a hand-built AppEvidence and the analysers can change
// without touching rules. Everything here is plain data (structs, vectors, strings): cheap to
// build in tests, copyable, no pointers into buffers owned by someone else.
//
// Provenance: every fact carries one or more EvidenceRef naming exactly where it came from (the
// APK entry, the class.method or manifest element, the call chain, the policy span in code
// points, a byte offset). A report shows them so that a reviewer can check each claim by hand.
//
// Three-valued facts: "not found" is not "absent". When the code could not be read (a packer, a
// dex that failed, a limit hit) the rules must treat code facts as unknown, never as clean; see
// CodeReadStatus and PackerFact.
//
// The versioned record of these structs ("piaudit.evidence/1": written, stored, read back by
// `piaudit judge`) is evidence_json.h, documented in docs/schemas/evidence.md. A field added here
// must be added there too (evidence_json.cc does not compile until it is). The structs compare
// with == (member-wise) so tests can compare whole records.
#ifndef PIAUDIT_EVIDENCE_EVIDENCE_H_
#define PIAUDIT_EVIDENCE_EVIDENCE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/diagnostics.h"
#include "evidence/version_changes.h"

namespace piaudit::evidence {

// Enum names. Each enum's names are written once (evidence.cc) and used in both directions: the
// *Name functions give the stable string every report and the evidence record print, and the
// Parse* functions map such a string back (nullopt for anything else, "unknown" included unless
// it is a real value, as for BeforeConsent). A value outside the enum prints as "unknown".
//
// The severity of a Diagnostic (base/diagnostics.h) is part of the evidence too: "info",
// "warning", "error".
std::string_view SeverityName(Severity s);
std::optional<Severity> ParseSeverity(std::string_view name);

// What kind of artefact a fact was read from.
enum class SourceKind : uint8_t {
  kManifest,  // AndroidManifest.xml (location: element path)
  kResource,  // resources.arsc value (location: "string/privacy_title")
  kLayout,    // res/layout/*.xml (location: layout name + view id)
  kCode,      // DEX bytecode (location: class.method)
  kNative,    // lib/<abi>/*.so (location: symbol or string)
  kAsset,     // assets/* (location: path inside the asset, if any)
  kPolicy,    // the privacy policy text (span: code points)
  kAbsence,   // "looked for X and did not find it" (detail says where we looked)
  kTrace,     // a dynamic trace (future: recorded while the app ran)
  kNetwork,   // captured traffic (future)
};
// "manifest", "resource", "layout", "code", "native", "asset", "policy", "absence", "trace",
// "network".
std::string_view SourceKindName(SourceKind k);
std::optional<SourceKind> ParseSourceKind(std::string_view name);

// A range of Unicode code points [start, end) in the policy text, with a UTF-8 copy of the text.
struct PolicySpan {
  uint32_t start = 0;
  uint32_t end = 0;
  std::string text;

  bool operator==(const PolicySpan&) const = default;
};

// Where one fact came from.
struct EvidenceRef {
  SourceKind kind = SourceKind::kCode;
  // APK entry ("classes2.dex", "AndroidManifest.xml", "res/layout/dialog_privacy.xml",
  // "assets/privacy.html") or the policy file path / URL.
  std::string file;
  // "com.example.App.onCreate", "manifest/application/provider[@name=com.x.Init]",
  // "layout/dialog_privacy#cb_agree", "string/privacy_title".
  std::string location;
  // Methods from the entry point to the sensitive call, entry point first (may be empty).
  std::vector<std::string> chain;
  std::optional<PolicySpan> span;  // set for kind == kPolicy
  std::optional<uint64_t> offset;  // byte offset inside `file`, when known
  std::string detail;              // free text: what exactly was seen here
  // When it happened, for kTrace / kNetwork: RFC 3339 UTC with milliseconds; empty otherwise.
  std::string time;

  bool operator==(const EvidenceRef&) const = default;
};

// --- the app ---

// A certificate the APK is signed with (APK Signature Scheme v1/v2/v3/v3.1), for provenance: which
// build, from which developer key, was judged.
struct SignerFact {
  std::string sha256;   // SHA-256 of the DER certificate, lowercase hex (what apksigner prints)
  std::string subject;  // RFC 2253 DN (UNTRUSTED text from the APK)
  std::vector<std::string> schemes;  // "v1", "v2", "v3", "v3.1" carrying this certificate
  bool verified = false;             // every signer using it verified (signature and digests)
  // The v3/v3.1 proof-of-rotation this certificate's signer carries: certificate SHA-256s, oldest
  // first, the last being this certificate (empty: no rotation). Listed even when it does not
  // verify; only a verified lineage links two versions signed by different keys.
  std::vector<std::string> lineage;
  bool lineage_verified =
      false;  // every link signed by the previous key, ends here, signer verified

  bool operator==(const SignerFact&) const = default;
};

struct AppFacts {
  std::string package;
  std::string label;  // default-locale application label (UNTRUSTED text from the APK)
  std::vector<std::pair<std::string, std::string>> labels_by_locale;  // (locale, label)
  std::string version_name;
  int64_t version_code = 0;
  int32_t min_sdk = 0;
  int32_t target_sdk = 0;
  std::string apk_file;             // the APK path or name as given on the command line
  std::string apk_sha256;           // hex, empty when not computed
  std::vector<SignerFact> signers;  // empty: unsigned, or the signatures could not be read

  bool operator==(const AppFacts&) const = default;
};

// A permission requested in the manifest (<uses-permission>).
struct PermissionFact {
  std::string name;  // "android.permission.READ_PHONE_STATE"
  bool dangerous = false;
  std::vector<std::string> pi_types;  // knowledge-base PI type ids it gives access to
  EvidenceRef ref;

  bool operator==(const PermissionFact&) const = default;
};

// How strongly the code shows that an SDK is there.
enum class DetectionStrength : uint8_t {
  kStrong,  // distinct package prefix with code, or several independent signals
  kMedium,  // one good signal (manifest component, meta-data key, native lib)
  kWeak,    // a shared/broad prefix or a host string only
};
std::string_view DetectionStrengthName(DetectionStrength s);  // "strong", "medium", "weak"
std::optional<DetectionStrength> ParseDetectionStrength(std::string_view name);

struct SdkFact {
  std::string id;        // knowledge-base SDK id
  std::string name;      // display name (zh or en)
  std::string category;  // knowledge-base category: push, ads, analytics, login/share, ...
  std::string provider;
  DetectionStrength strength = DetectionStrength::kMedium;
  // What the finding stands on (analysis::Presence): "code" (its classes with code are in the
  // dex), "referenced" (the dex only names it) or "declared" (manifest or archive only).
  std::string presence = "code";
  std::vector<std::string> pi_types;  // PI the SDK is documented to collect (knowledge base)
  std::vector<EvidenceRef> refs;      // why we think it is there
  // The SDK's own version string (analysis/sdk_version.h; UNTRUSTED, printable ASCII, at most 64
  // bytes), "" when unknown; and where it was read (kCode: the dex, location = the field or
  // method; kAsset: file = the META-INF/*.version entry), set exactly when `version` is.
  std::string version;
  std::optional<EvidenceRef> version_ref;

  bool operator==(const SdkFact&) const = default;
};

// A packer (加固) hides the real code: code facts are then UNKNOWN, not clean.
struct PackerFact {
  std::string id;  // knowledge-base packer id
  std::string name;
  std::vector<EvidenceRef> refs;

  bool operator==(const PackerFact&) const = default;
};

// How much of the code was read. Rules downgrade code-based "compliant" to needs-dynamic when
// the read is incomplete.
struct CodeReadStatus {
  bool attempted = true;  // false: no code analysis ran at all (e.g. --no-code)
  uint32_t dex_files = 0;
  uint32_t dex_files_read = 0;
  std::vector<std::string> failed_dex;  // "classes3.dex: <status message>"
  std::vector<std::string> limits_hit;  // "max_call_graph_edges", ...
  bool dynamic_loading = false;         // DexClassLoader / secondary dex seen
  bool complete() const {
    return attempted && failed_dex.empty() && limits_hit.empty() && dex_files_read == dex_files;
  }

  bool operator==(const CodeReadStatus&) const = default;
};

// Whether a call happens before the user agreed to the policy, from static analysis.
enum class BeforeConsent : uint8_t {
  kLikely,   // on a start-up path that the consent gate does not guard
  kNo,       // guarded by the consent gate (only after the agree handler / flag check)
  kUnknown,  // no gate found, or the path could not be related to it
};
std::string_view BeforeConsentName(BeforeConsent b);  // "likely", "no", "unknown"
std::optional<BeforeConsent> ParseBeforeConsent(std::string_view name);

// A call that reads personal information.
struct SensitiveCall {
  std::string api;       // "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;"
  std::string pi_type;   // knowledge-base PI type id
  std::string caller;    // class.method that makes the call
  std::string owner;     // "app" or the SDK id whose code calls it
  bool startup = false;  // reachable from a start-up entry point (Application.onCreate,
                         // ContentProvider.onCreate, static initialisers, launcher onCreate)
  // The start-up path begins at the launcher activity's first screen (onCreate, onStart,
  // onResume ...), not at process start. Only with `startup`.
  bool launcher = false;
  BeforeConsent before_consent = BeforeConsent::kUnknown;
  std::vector<std::string> chain;  // entry point first, ending at `caller`
  // The chain is "possible, not shown": at least one step is a virtual call on a framework type
  // (Runnable.run, Executor.execute, Handler ...) resolved to every app implementor by class
  // hierarchy, not a call the code is shown to make. Such a chain is a lead for a dynamic run; on
  // its own it never makes a violation likely. False: every step is a call the code makes.
  bool fan_out = false;
  EvidenceRef ref;

  bool operator==(const SensitiveCall&) const = default;
};

// A runtime permission request (requestPermissions) reachable at start-up.
struct StartupPermissionRequest {
  std::vector<std::string> permissions;  // permissions requested in this one call
  std::string caller;
  std::string owner = "app";
  BeforeConsent before_consent = BeforeConsent::kUnknown;
  std::vector<std::string> chain;
  EvidenceRef ref;

  bool operator==(const StartupPermissionRequest&) const = default;
};

// The first-run privacy consent dialog and its guard.
struct ConsentGate {
  bool found = false;
  std::vector<EvidenceRef> dialog;           // layout and strings of the dialog
  std::optional<EvidenceRef> agree_handler;  // the method run on "agree"
  std::optional<EvidenceRef> flag;           // the stored flag checked before init

  bool operator==(const ConsentGate&) const = default;
};

// A CheckBox/Switch with checked="true" next to consent text in a layout (IM-3.4).
struct PrecheckedConsent {
  std::string layout;       // "res/layout/activity_login.xml"
  std::string view_id;      // "cb_agree"
  std::string nearby_text;  // the consent text beside it (UNTRUSTED)
  EvidenceRef ref;

  bool operator==(const PrecheckedConsent&) const = default;
};

struct HostFact {
  std::string host;
  std::string owner;  // "app" or SDK id (knowledge-base host match)
  EvidenceRef ref;

  bool operator==(const HostFact&) const = default;
};

// --- the policy ---

enum class PolicySource : uint8_t {
  kNone,          // none given, none found
  kGivenFile,     // --policy FILE
  kBundledAsset,  // assets/*.html inside the APK
  kResource,      // a string resource holding the policy text
  kUrlFound,      // only a URL found in the APK (not fetched, or fetched separately)
};
// "none", "given_file", "bundled_asset", "resource", "url_found".
std::string_view PolicySourceName(PolicySource s);
std::optional<PolicySource> ParsePolicySource(std::string_view name);

struct PolicyDataType {
  std::string type_id;  // knowledge-base PI type id
  bool collected = false;
  bool not_collected = false;  // stated as NOT collected
  bool optional = false;
  bool required = false;
  std::vector<std::string> functions;
  std::vector<PolicySpan> spans;  // mentions (bounded)

  bool operator==(const PolicyDataType&) const = default;
};

struct PolicyPermission {
  std::string permission;  // "android.permission.CAMERA" or a KB group id
  bool negated = false;
  std::string purpose;  // empty when no purpose is stated
  PolicySpan span;

  bool operator==(const PolicyPermission&) const = default;
};

struct PolicyThirdParty {
  bool is_sdk = false;
  std::string sdk_id;  // knowledge-base SDK id, empty when not matched
  std::string name;
  std::string provider;
  std::string purpose;
  std::vector<std::string> data_types;
  std::string contact;
  PolicySpan span;

  bool operator==(const PolicyThirdParty&) const = default;
};

enum class RightKind : uint8_t {
  kAccess,
  kCorrection,
  kDeletion,
  kAccountCancellation,
  kWithdrawConsent,
  kPersonalizationOptOut,
  kCopy,
  kComplaint,
};
// "access", "correction", "deletion", "account_cancellation", "withdraw_consent",
// "personalization_opt_out", "copy", "complaint".
std::string_view RightKindName(RightKind k);
std::optional<RightKind> ParseRightKind(std::string_view name);

struct PolicyRight {
  RightKind kind = RightKind::kAccess;
  // Burdens in the same sentence: "id_card", "in_person", "notarized", "post_only",
  // "written_request", "fee", "proof_of_identity".
  std::vector<std::string> conditions;
  std::string in_app_path;
  // The sentence that states the right (not the two characters of its verb).
  PolicySpan span;
  // Read with high certainty (policy::RightMention::certain); IM-6.2 confirms only those.
  bool certain = false;

  bool operator==(const PolicyRight&) const = default;
};

struct PolicyChannel {
  std::string kind;  // "email", "phone", "postal_address", "in_app_path", "online_service", "web"
  std::string value;
  bool complaint = false;  // offered for complaints / reports
  PolicySpan span;         // the sentence that publishes it

  bool operator==(const PolicyChannel&) const = default;
};

enum class TimeUnit : uint8_t { kWorkingDays, kDays, kHours, kMonths };
std::string_view TimeUnitName(TimeUnit u);  // "working_days", "days", "hours", "months"
std::optional<TimeUnit> ParseTimeUnit(std::string_view name);

struct PolicyTimeLimit {
  uint32_t amount = 0;
  TimeUnit unit = TimeUnit::kDays;
  // "unknown", "request", "complaint", "account_cancellation", "retention".
  std::string applies_to = "unknown";
  PolicySpan span;  // the sentence that promises it
  // Read with high certainty (policy::TimeLimit::certain); IM-6.3/6.5 confirm only those.
  bool certain = false;

  bool operator==(const PolicyTimeLimit&) const = default;
};

// One data practice of a policy sentence, read by the span labeller (policy::Practice): a data
// span with the verb, purpose, condition, collector and receivers attached to it in its sentence.
// A span that is absent (no purpose stated, no condition ...) has start == end and no text.
struct PolicyPractice {
  // Knowledge-base PI type ids of the synonyms inside the data span ("设备型号、IMEI" names two),
  // in text order, without repeats; empty when the span names no known type.
  std::vector<std::string> data_types;
  PolicySpan data;
  std::string action;  // "collect", "share", or empty when no verb was attached
  PolicySpan purpose;
  PolicySpan condition;
  // "first_party", "third_party", "data_subject", or empty when no handler was attached.
  std::string collector;
  PolicySpan collector_span;
  std::vector<PolicySpan> receivers;  // for action "share": who receives it (bounded)
  PolicySpan sentence;                // the sentence the practice was read from

  bool operator==(const PolicyPractice&) const = default;
};

struct PolicyScript {
  std::string language;  // "zh", "en", "unknown"
  uint32_t han_chars = 0;
  double traditional_ratio = 0;
  bool has_simplified = false;
  bool traditional_only = false;

  bool operator==(const PolicyScript&) const = default;
};

struct PolicyReadability {
  uint32_t chars = 0;
  uint32_t sentences = 0;
  double mean_sentence_chars = 0;
  uint32_t max_sentence_chars = 0;
  uint32_t jargon_terms = 0;
  double jargon_per_1000_chars = 0;
  std::vector<std::string> jargon_found;

  bool operator==(const PolicyReadability&) const = default;
};

struct PolicyFacts {
  PolicySource source = PolicySource::kNone;
  // The policy file (given path, "assets/privacy.html", resource name) used in EvidenceRef.file.
  std::string file;
  std::vector<std::string> urls_found;  // policy-looking URLs in the APK (UNTRUSTED)
  std::vector<EvidenceRef> refs;        // where the bundled policy / URL was found
  bool analysed = false;                // true when a policy text was read and analysed
  uint32_t text_code_points = 0;

  uint32_t collection_sentences = 0;  // sentences classified as first-party collection
  std::vector<PolicyDataType> data_types;
  std::vector<PolicyPermission> permissions;
  std::vector<PolicyThirdParty> third_parties;
  std::vector<PolicyRight> rights;
  std::vector<PolicyChannel> channels;
  std::vector<PolicyTimeLimit> time_limits;
  // Text saying the app does targeted push / personalised recommendation / ads (IM-3.6).
  std::vector<PolicySpan> personalization_mentions;
  PolicyScript script;
  PolicyReadability readability;
  std::vector<std::string> warnings;
  // Per-sentence practices (bounded; empty without the span model or before schema 1.x added
  // them: optional on read).
  std::vector<PolicyPractice> practices;

  bool operator==(const PolicyFacts&) const = default;
};

// --- runtime: recordings of the app running (src/runtime, docs/schemas/trace.md) ---
//
// A recording shows what happened while it ran, nothing more: an API nobody hooked, a screen
// nobody visited, traffic nobody captured is unknown, never clean. Refs are kTrace (file, "line N"
// or "entry N", time) or kNetwork.

// One recording file read.
struct RuntimeFileFact {
  std::string file;     // the path as given
  std::string format;   // "piaudit.trace/1", "har", "pcap", "logcat", "mobsf_api_monitor", ...
  std::string package;  // from the session line; empty when the format has none
  int64_t version_code = 0;
  std::string apk_sha256;
  std::string recorder;  // "tool version"
  uint64_t events = 0;
  uint64_t malformed = 0;  // lines or entries skipped as unreadable
  std::string first_time;  // RFC 3339 of its first and last timed events
  std::string last_time;
  std::string error;  // why the file could not be read (its events are unknown); empty when read

  bool operator==(const RuntimeFileFact&) const = default;
};

// One event of the timeline that decides the items: consent, permission prompts and answers,
// lifecycle, scenario markers, taps and screens. In time order; events without a time last.
struct RuntimeEventFact {
  // "consent", "permission_request", "permission_result", "lifecycle", "marker", "ui", "tap".
  std::string type;
  std::optional<int64_t> t_ms;  // milliseconds since the epoch, UTC; nullopt: no time recorded
  // consent: "shown" / "accepted" / "refused" / "withdrawn"; lifecycle: its event; marker: its
  // name; ui: the activity.
  std::string name;
  std::vector<std::string> permissions;  // request: those asked together; result: the one answered
  std::optional<bool> granted;           // permission_result
  std::string owner;  // permission_request: "app", an SDK id, or "unknown" (no stack)
  std::string text;   // consent text, tap text, resource id (UNTRUSTED, bounded)
  // ui: what the screen shows (runtime/screen_facts.h); all false when it has no hierarchy.
  bool consent_screen = false;
  bool prechecked_consent = false;  // a consent box already checked
  bool policy_link = false;         // a link or entry to the privacy policy
  bool shows_policy = false;        // the policy text itself
  bool purpose_text = false;        // text saying why a permission is needed
  // ui: what a reader of the report sees of the screen, so `judge` shows the same thing from the
  // record alone. The screenshot the recording names: its path (the recording's folder joined
  // with the relative name the trace gives; only PNG or JPEG, checked by magic bytes) and the
  // SHA-256 of its bytes, so a report embeds it only when the file is still the one recorded.
  // Empty when the event names none or it was refused.
  std::string screenshot;
  std::string screenshot_sha256;  // lower-case hex
  // The visible texts of the screen (texts and content descriptions of its nodes, in document
  // order, once each; UNTRUSTED, bounded in count and length): the hierarchy excerpt.
  std::vector<std::string> screen_texts;
  EvidenceRef ref;

  bool operator==(const RuntimeEventFact&) const = default;
};

// Calls of one PI-reading API, grouped by who made them and when relative to consent.
struct RuntimeApiFact {
  std::string api;  // "android.telephony.TelephonyManager.getDeviceId"
  std::vector<std::string> pi_types;
  std::string owner;  // "app", an SDK id, or "unknown" (no stack recorded)
  // "before_consent", "no_consent_recorded" (the recording has no consent event at all),
  // "after_consent", "after_refusal", "after_withdrawal", "untimed".
  std::string phase;
  std::string app_state;          // "foreground", "background", "unknown"
  std::string denied_permission;  // read while the user had denied this permission; "" none
  uint64_t count = 0;
  std::vector<std::string> stack;  // of the first call, innermost frame first (bounded)
  EvidenceRef ref;                 // the first call

  bool operator==(const RuntimeApiFact&) const = default;
};

// The busiest hour of one PI-reading API in one app state (IM-4.4).
struct RuntimeRateFact {
  std::string api;
  std::vector<std::string> pi_types;
  std::string app_state;  // "foreground", "background", "unknown"
  uint64_t max_per_hour = 0;
  EvidenceRef ref;  // the first call of that hour

  bool operator==(const RuntimeRateFact&) const = default;
};

// An identifier of the device or user (from the session header) found in captured traffic.
struct RuntimeLeakFact {
  std::string host;
  std::string
      owner;  // SDK id of the host (data/sdks hosts), "app" (the app's own domain), "unknown"
  std::string identifier;  // "imei", "android_id", "mac", "oaid", "imsi", "iccid", "serial", ...
  std::string encoding;    // "raw", "url", "base64", "hex", "md5", "sha1", "sha256"
  std::string where;       // "url", "query", "header:<name>", "body"
  std::string phase;       // as RuntimeApiFact::phase
  uint64_t count = 0;
  EvidenceRef ref;  // the first such request

  bool operator==(const RuntimeLeakFact&) const = default;
};

// A host the app talked to.
struct RuntimeHostFact {
  std::string host;
  std::string owner;        // as RuntimeLeakFact::owner
  std::string first_phase;  // phase of the first request
  uint64_t requests = 0;
  bool content_unknown = false;  // only encrypted (TLS) or name-only (DNS) traffic was seen
  EvidenceRef ref;               // the first request

  bool operator==(const RuntimeHostFact&) const = default;
};

struct RuntimeFacts {
  std::vector<RuntimeFileFact> files;
  std::string package;  // from the session lines (the first one that names it)
  // API ids the recorder hooked, and those whose hook failed: "no call" of a failed or
  // unhooked API is unknown. Empty `hooks_installed`: the recorder did not say.
  std::vector<std::string> hooks_installed;
  std::vector<std::string> hooks_failed;
  std::vector<std::string> identifiers_known;  // kinds of identifier the session gave
  std::vector<RuntimeEventFact> timeline;
  std::vector<RuntimeApiFact> api_calls;
  std::vector<RuntimeRateFact> rates;
  std::vector<RuntimeLeakFact> leaks;
  std::vector<RuntimeHostFact> hosts;
  uint64_t api_events = 0;
  uint64_t network_events = 0;
  uint64_t untimed_events = 0;  // events with no time: not placed before or after consent
  uint64_t dropped = 0;         // facts left out past the bounds (timeline, groups)

  bool operator==(const RuntimeFacts&) const = default;
};

// --- app type (国信办秘字〔2021〕14号) ---

struct AppTypeFact {
  std::string id;         // knowledge-base app type id; empty when unknown
  bool given = false;     // stated by the user (--app-type), not inferred
  double confidence = 0;  // 0..1 for inferred types
  std::string reason;     // "keyword '地图' in label", ...

  bool operator==(const AppTypeFact&) const = default;
};

// Everything the rules need about one scan.
struct AppEvidence {
  AppFacts app;
  std::vector<PermissionFact> permissions;
  // Permissions the platform grants without a <uses-permission> for them (aapt's
  // uses-implied-permission: READ_PHONE_STATE and WRITE_EXTERNAL_STORAGE for targetSdkVersion < 4,
  // READ_EXTERNAL_STORAGE with WRITE ...); ref.detail says why. Kept apart from `permissions`,
  // which lists what the manifest asks for by name.
  std::vector<PermissionFact> implied_permissions;
  std::vector<SdkFact> sdks;
  std::optional<PackerFact> packer;  // nullopt: no packer recognised
  CodeReadStatus code;
  std::vector<SensitiveCall> sensitive_calls;
  std::vector<StartupPermissionRequest> startup_permission_requests;
  ConsentGate consent_gate;
  std::vector<PrecheckedConsent> prechecked_consents;
  PolicyFacts policy;
  AppTypeFact app_type;
  std::vector<HostFact> hosts;
  std::vector<std::string> urls;
  std::vector<Diagnostic> diagnostics;  // anomalies from every layer of the scan
  uint64_t diagnostics_dropped = 0;
  bool dynamic_trace = false;  // recordings were read: `runtime` is set
  std::optional<RuntimeFacts> runtime;
  // What changed since the version before this one (scan --previous, issue 14); nullopt when no
  // previous version was given. IM-2.2, IM-3.5 and IM-4.3 judge from it.
  std::optional<VersionChanges> previous;
  // Why the APK itself could not be read (not a zip, no manifest); empty when it was read. Then
  // nothing in it can be shown present or absent: the rules give no violation, compliance or
  // "run it" from it, only what a given policy's own text decides (rules/evaluate.cc).
  std::string apk_unreadable;

  // True when code facts can be trusted as "complete enough to call a path absent".
  bool CodeKnown() const { return !packer.has_value() && code.complete(); }

  bool operator==(const AppEvidence&) const = default;
};

// Builders for the common refs (the pipeline and tests use them; fields stay public).
EvidenceRef CodeRef(std::string file, std::string location, std::vector<std::string> chain = {},
                    std::string detail = "");
EvidenceRef ManifestRef(std::string location, std::string detail = "");
EvidenceRef LayoutRef(std::string file, std::string location, std::string detail = "");
EvidenceRef PolicyRef(std::string file, PolicySpan span, std::string detail = "");
// "Looked for X in Y and found nothing": kind kAbsence, `where` goes to file.
EvidenceRef AbsenceRef(std::string where, std::string detail);

// A short human description of why code facts are unknown ("packed by X", "classes3.dex failed"),
// empty when CodeKnown().
std::string CodeUnknownReason(const AppEvidence& ev);

}  // namespace piaudit::evidence

#endif  // PIAUDIT_EVIDENCE_EVIDENCE_H_
