// The evidence record (evidence_json.h; the contract is docs/schemas/evidence.md).
//
// One list per struct (FieldsOf below) names its fields in record order. The writer and the
// reader both walk these lists, so the two directions cannot drift apart, and CheckFieldList
// compares each list's length with the struct's field count, so a field added to evidence.h and
// not listed here stops the build.
//
// Reading has two steps:
//  1. TreeBuilder builds the JSON tree from the events of nlohmann's SAX parser, which is
//     iterative (no recursion on the input's depth). Before storing anything it checks nesting,
//     container sizes and the number of values, and rejects duplicate keys (nlohmann would keep
//     the last one silently while another reader of the same record might keep the first, so
//     the two would judge different evidence). A failed check stops the parser at once.
//  2. Reader walks the tree along the field lists. Its depth is fixed by the schema, not by the
//     input; every type, range and enum name is checked and errors carry the JSON path.
//
// Nothing here throws on bad input (the SAX parser reports errors through TreeBuilder), and
// ReadEvidenceJson catches what could still be thrown (allocation failure), so no exception
// leaves this file.
#include "evidence/evidence_json.h"

#include <concepts>
#include <cstddef>
#include <exception>
#include <limits>
#include <new>
#include <nlohmann/json.hpp>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "evidence/internal/field_count.h"

namespace piaudit::evidence {
namespace {

using Json = nlohmann::json;                 // records read (key order does not matter)
using OrderedJson = nlohmann::ordered_json;  // records written (keys in FieldsOf order)

// ---------------------------------------------------------------------------------------------
// Field lists: JSON key and member, in the order the record prints them (declaration order).

template <typename S, typename M>
struct Field {
  const char* name;
  M S::*member;
  // Added within /1 after records were already stored: a record without it reads as the
  // member's default (docs/schemas/evidence.md, "Versioning"). Every other field is required.
  bool added_later = false;
};
template <typename S, typename M>
constexpr Field<S, M> F(const char* name, M S::*member) {
  return {name, member};
}
// A field added within /1 (see Field::added_later).
template <typename S, typename M>
constexpr Field<S, M> Later(const char* name, M S::*member) {
  return {name, member, true};
}
template <typename T>
struct Tag {};

constexpr auto FieldsOf(Tag<EvidenceRecordInfo>) {
  using S = EvidenceRecordInfo;
  return std::tuple(F("tool_version", &S::tool_version), F("kb_version", &S::kb_version),
                    F("generated_at", &S::generated_at));
}

constexpr auto FieldsOf(Tag<PolicySpan>) {
  using S = PolicySpan;
  return std::tuple(F("start", &S::start), F("end", &S::end), F("text", &S::text));
}

constexpr auto FieldsOf(Tag<EvidenceRef>) {
  using S = EvidenceRef;
  return std::tuple(F("kind", &S::kind), F("file", &S::file), F("location", &S::location),
                    F("chain", &S::chain), F("span", &S::span), F("offset", &S::offset),
                    F("detail", &S::detail), Later("time", &S::time));
}

constexpr auto FieldsOf(Tag<SignerFact>) {
  using S = SignerFact;
  return std::tuple(F("sha256", &S::sha256), F("subject", &S::subject), F("schemes", &S::schemes),
                    F("verified", &S::verified), Later("lineage", &S::lineage),
                    Later("lineage_verified", &S::lineage_verified));
}
constexpr auto FieldsOf(Tag<AppFacts>) {
  using S = AppFacts;
  return std::tuple(
      F("package", &S::package), F("label", &S::label), F("labels_by_locale", &S::labels_by_locale),
      F("version_name", &S::version_name), F("version_code", &S::version_code),
      F("min_sdk", &S::min_sdk), F("target_sdk", &S::target_sdk), F("apk_file", &S::apk_file),
      F("apk_sha256", &S::apk_sha256), F("signers", &S::signers));
}

constexpr auto FieldsOf(Tag<PermissionFact>) {
  using S = PermissionFact;
  return std::tuple(F("name", &S::name), F("dangerous", &S::dangerous), F("pi_types", &S::pi_types),
                    F("ref", &S::ref));
}

constexpr auto FieldsOf(Tag<SdkFact>) {
  using S = SdkFact;
  return std::tuple(F("id", &S::id), F("name", &S::name), F("category", &S::category),
                    F("provider", &S::provider), F("strength", &S::strength),
                    F("presence", &S::presence), F("pi_types", &S::pi_types), F("refs", &S::refs),
                    Later("version", &S::version), Later("version_ref", &S::version_ref));
}

constexpr auto FieldsOf(Tag<PackerFact>) {
  using S = PackerFact;
  return std::tuple(F("id", &S::id), F("name", &S::name), F("refs", &S::refs));
}

constexpr auto FieldsOf(Tag<CodeReadStatus>) {
  using S = CodeReadStatus;
  return std::tuple(F("attempted", &S::attempted), F("dex_files", &S::dex_files),
                    F("dex_files_read", &S::dex_files_read), F("failed_dex", &S::failed_dex),
                    F("limits_hit", &S::limits_hit), F("dynamic_loading", &S::dynamic_loading));
}

constexpr auto FieldsOf(Tag<SensitiveCall>) {
  using S = SensitiveCall;
  return std::tuple(F("api", &S::api), F("pi_type", &S::pi_type), F("caller", &S::caller),
                    F("owner", &S::owner), F("startup", &S::startup), F("launcher", &S::launcher),
                    F("before_consent", &S::before_consent), F("chain", &S::chain),
                    F("fan_out", &S::fan_out), F("ref", &S::ref));
}

constexpr auto FieldsOf(Tag<StartupPermissionRequest>) {
  using S = StartupPermissionRequest;
  return std::tuple(F("permissions", &S::permissions), F("caller", &S::caller),
                    F("owner", &S::owner), F("before_consent", &S::before_consent),
                    F("chain", &S::chain), F("ref", &S::ref));
}

constexpr auto FieldsOf(Tag<ConsentGate>) {
  using S = ConsentGate;
  return std::tuple(F("found", &S::found), F("dialog", &S::dialog),
                    F("agree_handler", &S::agree_handler), F("flag", &S::flag));
}

constexpr auto FieldsOf(Tag<PrecheckedConsent>) {
  using S = PrecheckedConsent;
  return std::tuple(F("layout", &S::layout), F("view_id", &S::view_id),
                    F("nearby_text", &S::nearby_text), F("ref", &S::ref));
}

constexpr auto FieldsOf(Tag<HostFact>) {
  using S = HostFact;
  return std::tuple(F("host", &S::host), F("owner", &S::owner), F("ref", &S::ref));
}

constexpr auto FieldsOf(Tag<PolicyDataType>) {
  using S = PolicyDataType;
  return std::tuple(F("type_id", &S::type_id), F("collected", &S::collected),
                    F("not_collected", &S::not_collected), F("optional", &S::optional),
                    F("required", &S::required), F("functions", &S::functions),
                    F("spans", &S::spans));
}

constexpr auto FieldsOf(Tag<PolicyPermission>) {
  using S = PolicyPermission;
  return std::tuple(F("permission", &S::permission), F("negated", &S::negated),
                    F("purpose", &S::purpose), F("span", &S::span));
}

constexpr auto FieldsOf(Tag<PolicyThirdParty>) {
  using S = PolicyThirdParty;
  return std::tuple(F("is_sdk", &S::is_sdk), F("sdk_id", &S::sdk_id), F("name", &S::name),
                    F("provider", &S::provider), F("purpose", &S::purpose),
                    F("data_types", &S::data_types), F("contact", &S::contact),
                    F("span", &S::span));
}

constexpr auto FieldsOf(Tag<PolicyRight>) {
  using S = PolicyRight;
  return std::tuple(F("kind", &S::kind), F("conditions", &S::conditions),
                    F("in_app_path", &S::in_app_path), F("span", &S::span),
                    F("certain", &S::certain));
}

constexpr auto FieldsOf(Tag<PolicyChannel>) {
  using S = PolicyChannel;
  return std::tuple(F("kind", &S::kind), F("value", &S::value), F("complaint", &S::complaint),
                    F("span", &S::span));
}

constexpr auto FieldsOf(Tag<PolicyTimeLimit>) {
  using S = PolicyTimeLimit;
  return std::tuple(F("amount", &S::amount), F("unit", &S::unit), F("applies_to", &S::applies_to),
                    F("span", &S::span), F("certain", &S::certain));
}

constexpr auto FieldsOf(Tag<PolicyPractice>) {
  using S = PolicyPractice;
  return std::tuple(F("data_types", &S::data_types), F("data", &S::data), F("action", &S::action),
                    F("purpose", &S::purpose), F("condition", &S::condition),
                    F("collector", &S::collector), F("collector_span", &S::collector_span),
                    F("receivers", &S::receivers), F("sentence", &S::sentence));
}

constexpr auto FieldsOf(Tag<PolicyScript>) {
  using S = PolicyScript;
  return std::tuple(F("language", &S::language), F("han_chars", &S::han_chars),
                    F("traditional_ratio", &S::traditional_ratio),
                    F("has_simplified", &S::has_simplified),
                    F("traditional_only", &S::traditional_only));
}

constexpr auto FieldsOf(Tag<PolicyReadability>) {
  using S = PolicyReadability;
  return std::tuple(
      F("chars", &S::chars), F("sentences", &S::sentences),
      F("mean_sentence_chars", &S::mean_sentence_chars),
      F("max_sentence_chars", &S::max_sentence_chars), F("jargon_terms", &S::jargon_terms),
      F("jargon_per_1000_chars", &S::jargon_per_1000_chars), F("jargon_found", &S::jargon_found));
}

constexpr auto FieldsOf(Tag<PolicyFacts>) {
  using S = PolicyFacts;
  return std::tuple(
      F("source", &S::source), F("file", &S::file), F("urls_found", &S::urls_found),
      F("refs", &S::refs), F("analysed", &S::analysed), F("text_code_points", &S::text_code_points),
      F("collection_sentences", &S::collection_sentences), F("data_types", &S::data_types),
      F("permissions", &S::permissions), F("third_parties", &S::third_parties),
      F("rights", &S::rights), F("channels", &S::channels), F("time_limits", &S::time_limits),
      F("personalization_mentions", &S::personalization_mentions), F("script", &S::script),
      F("readability", &S::readability), F("warnings", &S::warnings),
      Later("practices", &S::practices));
}

constexpr auto FieldsOf(Tag<AppTypeFact>) {
  using S = AppTypeFact;
  return std::tuple(F("id", &S::id), F("given", &S::given), F("confidence", &S::confidence),
                    F("reason", &S::reason));
}

constexpr auto FieldsOf(Tag<Diagnostic>) {
  using S = Diagnostic;
  return std::tuple(F("severity", &S::severity), F("code", &S::code), F("file", &S::file),
                    F("structure", &S::structure), F("offset", &S::offset),
                    F("has_offset", &S::has_offset), F("message", &S::message));
}

constexpr auto FieldsOf(Tag<RuntimeFileFact>) {
  using S = RuntimeFileFact;
  return std::tuple(F("file", &S::file), F("format", &S::format), F("package", &S::package),
                    F("version_code", &S::version_code), F("apk_sha256", &S::apk_sha256),
                    F("recorder", &S::recorder), F("events", &S::events),
                    F("malformed", &S::malformed), F("first_time", &S::first_time),
                    F("last_time", &S::last_time), F("error", &S::error));
}

constexpr auto FieldsOf(Tag<RuntimeEventFact>) {
  using S = RuntimeEventFact;
  return std::tuple(
      F("type", &S::type), F("t_ms", &S::t_ms), F("name", &S::name),
      F("permissions", &S::permissions), F("granted", &S::granted), F("owner", &S::owner),
      F("text", &S::text), F("consent_screen", &S::consent_screen),
      F("prechecked_consent", &S::prechecked_consent), F("policy_link", &S::policy_link),
      F("shows_policy", &S::shows_policy), F("purpose_text", &S::purpose_text),
      Later("screenshot", &S::screenshot), Later("screenshot_sha256", &S::screenshot_sha256),
      Later("screen_texts", &S::screen_texts), F("ref", &S::ref));
}

constexpr auto FieldsOf(Tag<RuntimeApiFact>) {
  using S = RuntimeApiFact;
  return std::tuple(F("api", &S::api), F("pi_types", &S::pi_types), F("owner", &S::owner),
                    F("phase", &S::phase), F("app_state", &S::app_state),
                    F("denied_permission", &S::denied_permission), F("count", &S::count),
                    F("stack", &S::stack), F("ref", &S::ref));
}

constexpr auto FieldsOf(Tag<RuntimeRateFact>) {
  using S = RuntimeRateFact;
  return std::tuple(F("api", &S::api), F("pi_types", &S::pi_types), F("app_state", &S::app_state),
                    F("max_per_hour", &S::max_per_hour), F("ref", &S::ref));
}

constexpr auto FieldsOf(Tag<RuntimeLeakFact>) {
  using S = RuntimeLeakFact;
  return std::tuple(F("host", &S::host), F("owner", &S::owner), F("identifier", &S::identifier),
                    F("encoding", &S::encoding), F("where", &S::where), F("phase", &S::phase),
                    F("count", &S::count), F("ref", &S::ref));
}

constexpr auto FieldsOf(Tag<RuntimeHostFact>) {
  using S = RuntimeHostFact;
  return std::tuple(F("host", &S::host), F("owner", &S::owner), F("first_phase", &S::first_phase),
                    F("requests", &S::requests), F("content_unknown", &S::content_unknown),
                    F("ref", &S::ref));
}

constexpr auto FieldsOf(Tag<RuntimeFacts>) {
  using S = RuntimeFacts;
  return std::tuple(F("files", &S::files), F("package", &S::package),
                    F("hooks_installed", &S::hooks_installed), F("hooks_failed", &S::hooks_failed),
                    F("identifiers_known", &S::identifiers_known), F("timeline", &S::timeline),
                    F("api_calls", &S::api_calls), F("rates", &S::rates), F("leaks", &S::leaks),
                    F("hosts", &S::hosts), F("api_events", &S::api_events),
                    F("network_events", &S::network_events),
                    F("untimed_events", &S::untimed_events), F("dropped", &S::dropped));
}

// --- what changed since the previous version (version_changes.h) ---

constexpr auto FieldsOf(Tag<VersionChange>) {
  using S = VersionChange;
  return std::tuple(F("area", &S::area), F("kind", &S::kind), F("subject", &S::subject),
                    F("before", &S::before), F("after", &S::after), F("widens", &S::widens),
                    F("dangerous", &S::dangerous), F("previous_refs", &S::previous_refs),
                    F("current_refs", &S::current_refs),
                    Later("version_change", &S::version_change));
}

constexpr auto FieldsOf(Tag<PreviousVersion>) {
  using S = PreviousVersion;
  return std::tuple(F("package", &S::package), F("version_name", &S::version_name),
                    F("version_code", &S::version_code), F("target_sdk", &S::target_sdk),
                    F("apk_file", &S::apk_file), F("apk_sha256", &S::apk_sha256),
                    F("signer_sha256", &S::signer_sha256), F("policy_file", &S::policy_file),
                    F("policy_analysed", &S::policy_analysed));
}

constexpr auto FieldsOf(Tag<VersionChanges>) {
  using S = VersionChanges;
  return std::tuple(F("previous", &S::previous), F("same_package", &S::same_package),
                    F("same_lineage", &S::same_lineage), Later("lineage", &S::lineage),
                    Later("lineage_from", &S::lineage_from), Later("lineage_to", &S::lineage_to),
                    F("forced", &S::forced), F("policies_compared", &S::policies_compared),
                    F("policy_unchanged", &S::policy_unchanged), F("changes", &S::changes));
}

constexpr auto FieldsOf(Tag<AppEvidence>) {
  using S = AppEvidence;
  return std::tuple(
      F("app", &S::app), F("permissions", &S::permissions),
      F("implied_permissions", &S::implied_permissions), F("sdks", &S::sdks),
      F("packer", &S::packer), F("code", &S::code), F("sensitive_calls", &S::sensitive_calls),
      F("startup_permission_requests", &S::startup_permission_requests),
      F("consent_gate", &S::consent_gate), F("prechecked_consents", &S::prechecked_consents),
      F("policy", &S::policy), F("app_type", &S::app_type), F("hosts", &S::hosts),
      F("urls", &S::urls), F("diagnostics", &S::diagnostics),
      F("diagnostics_dropped", &S::diagnostics_dropped), F("dynamic_trace", &S::dynamic_trace),
      Later("runtime", &S::runtime), Later("previous", &S::previous),
      F("apk_unreadable", &S::apk_unreadable));
}

// A struct written as a JSON object, field by field.
template <typename T>
concept Record = requires {
  FieldsOf(Tag<T>{});
};

template <Record T>
constexpr void CheckFieldList() {
  static_assert(
      std::tuple_size_v<decltype(FieldsOf(Tag<T>{}))> == internal::AggregateFieldCount<T>(),
      "a field of this struct is missing from its FieldsOf list: add it there, to "
      "docs/schemas/evidence.md and to FillEverything in evidence_json_test.cc");
}

// ---------------------------------------------------------------------------------------------
// Enums, written by the names evidence.h defines (one definition per enum, both directions).

template <typename E>
struct EnumNames;  // specialised for every enum of the record
#define PIAUDIT_EVIDENCE_ENUM_NAMES(E)                                        \
  template <>                                                                 \
  struct EnumNames<E> {                                                       \
    static std::string_view Name(E v) { return E##Name(v); }                  \
    static std::optional<E> Parse(std::string_view s) { return Parse##E(s); } \
  }
PIAUDIT_EVIDENCE_ENUM_NAMES(Severity);
PIAUDIT_EVIDENCE_ENUM_NAMES(SourceKind);
PIAUDIT_EVIDENCE_ENUM_NAMES(DetectionStrength);
PIAUDIT_EVIDENCE_ENUM_NAMES(BeforeConsent);
PIAUDIT_EVIDENCE_ENUM_NAMES(PolicySource);
PIAUDIT_EVIDENCE_ENUM_NAMES(RightKind);
PIAUDIT_EVIDENCE_ENUM_NAMES(TimeUnit);
PIAUDIT_EVIDENCE_ENUM_NAMES(ChangeKind);
#undef PIAUDIT_EVIDENCE_ENUM_NAMES

template <typename E>
concept NamedEnum = std::is_enum_v<E> && requires(E e) {
  EnumNames<E>::Name(e);
};

// "likely, no, unknown": every value whose name reads back to it, for error messages.
template <NamedEnum E>
std::string AllowedNames() {
  std::string out;
  for (unsigned v = 0; v <= std::numeric_limits<std::underlying_type_t<E>>::max(); ++v) {
    const E e = static_cast<E>(v);
    const std::string_view name = EnumNames<E>::Name(e);
    if (EnumNames<E>::Parse(name) != e) continue;
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

template <typename T>
concept Integer = std::integral<T> && !std::same_as<T, bool>;

// ---------------------------------------------------------------------------------------------
// Text from the input inside error messages: quoted, escaped, valid UTF-8, at most ~64 bytes.

std::string Quote(std::string_view s) {
  constexpr size_t kMax = 64;
  std::string q =
      Json(std::string(s.substr(0, kMax))).dump(-1, ' ', false, Json::error_handler_t::replace);
  if (s.size() > kMax) q += "...";
  return q;
}

bool IsPlainKey(std::string_view key) {
  if (key.empty() || key.size() > 64) return false;
  for (char c : key) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  }
  return true;
}

// Appends one object member to a JSON path: `a.b`, or `a["odd key"]` for keys that need quoting.
void AppendKey(std::string* path, std::string_view key) {
  if (IsPlainKey(key)) {
    if (!path->empty()) path->push_back('.');
    path->append(key);
  } else {
    path->push_back('[');
    path->append(Quote(key));
    path->push_back(']');
  }
}

// (Appended piece by piece: GCC 12 warns -Wrestrict, wrongly, on "[" + std::to_string(i) + "]".)
void AppendIndex(std::string* path, uint64_t index) {
  path->push_back('[');
  path->append(std::to_string(index));
  path->push_back(']');
}

Status AtPath(StatusCode code, std::string_view file, std::string_view path, std::string message) {
  std::string m = path.empty() ? std::move(message) : std::string(path) + ": " + message;
  return Status(code, std::move(m)).InFile(file);
}

// ---------------------------------------------------------------------------------------------
// Writing.

struct Writer {
  static OrderedJson Write(const std::string& s) { return s; }
  static OrderedJson Write(bool b) { return b; }
  template <Integer T>
  static OrderedJson Write(T v) {
    return v;
  }
  // Non-finite values become null (JSON has no NaN); ReadDouble reads null back as NaN.
  static OrderedJson Write(double d) { return d; }
  template <NamedEnum E>
  static OrderedJson Write(E e) {
    return std::string(EnumNames<E>::Name(e));
  }
  template <typename T>
  static OrderedJson Write(const std::optional<T>& o) {
    return o ? Write(*o) : OrderedJson(nullptr);
  }
  template <typename A, typename B>
  static OrderedJson Write(const std::pair<A, B>& p) {
    OrderedJson a = OrderedJson::array();
    a.push_back(Write(p.first));
    a.push_back(Write(p.second));
    return a;
  }
  template <typename T>
  static OrderedJson Write(const std::vector<T>& v) {
    OrderedJson a = OrderedJson::array();
    for (const T& x : v) a.push_back(Write(x));
    return a;
  }
  template <Record T>
  static OrderedJson Write(const T& s) {
    CheckFieldList<T>();
    OrderedJson o = OrderedJson::object();
    AppendFields(s, &o);
    return o;
  }
  template <Record T>
  static void AppendFields(const T& s, OrderedJson* o) {
    std::apply([&](const auto&... f) { (((*o)[f.name] = Write(s.*(f.member))), ...); },
               FieldsOf(Tag<T>{}));
  }
};

// ---------------------------------------------------------------------------------------------
// Reading, step 1: the tree, built from nlohmann's SAX events under the limits.

// Builds the tree as nlohmann's own DOM parser does (an explicit stack of open containers) and
// checks every event before storing it; a check that fails records a Status and returns false,
// which stops the parser. (Not json::parse with a callback: in nlohmann 3.11 its callback parser
// scans the enclosing container for discarded values at the end of every object, which makes
// an array of a million small objects take hours.)
class TreeBuilder {
 public:
  TreeBuilder(std::string_view file, size_t text_size, const Limits& limits)
      : file_(file), text_size_(text_size), limits_(limits) {}

  // The tree, once sax_parse returned true.
  Json& root() { return root_; }
  // Why sax_parse returned false: a limit, a duplicate key, or a syntax error.
  Status TakeFailure() {
    if (failure_.ok()) return InternalError("the JSON parser stopped without a reason");
    return std::move(failure_);
  }

  // --- nlohmann's SAX interface ---
  bool null() { return AddScalar(Json(nullptr)); }
  bool boolean(bool v) { return AddScalar(Json(v)); }
  bool number_integer(Json::number_integer_t v) { return AddScalar(Json(v)); }
  bool number_unsigned(Json::number_unsigned_t v) { return AddScalar(Json(v)); }
  bool number_float(Json::number_float_t v, const Json::string_t& /*text*/) {
    return AddScalar(Json(v));
  }
  bool string(Json::string_t& v) { return AddScalar(Json(std::move(v))); }
  bool binary(Json::binary_t& /*v*/) { return Fail(StatusCode::kInvalidInput, 0, "binary value"); }
  bool start_object(std::size_t /*elements: unknown for JSON text*/) {
    return StartContainer(Json::value_t::object);
  }
  bool start_array(std::size_t /*elements*/) { return StartContainer(Json::value_t::array); }
  bool end_object() { return EndContainer(); }
  bool end_array() { return EndContainer(); }

  bool key(Json::string_t& key) {
    Frame& f = frames_.back();  // the parser sends keys inside an object only
    if (++f.count > limits_.max_evidence_json_elements) {
      return Fail(StatusCode::kLimitExceeded, frames_.size() - 1,
                  "object has more than " + std::to_string(limits_.max_evidence_json_elements) +
                      " members");
    }
    auto [it, inserted] = f.node->get_ref<Json::object_t&>().try_emplace(std::move(key));
    f.key = &it->first;
    f.member = &it->second;
    if (!inserted) return Fail(StatusCode::kInvalidInput, frames_.size(), "duplicate key");
    return true;
  }

  // nlohmann's `position` counts the characters read, so it is one past the offending byte, and
  // one past the end of the text when the text ran out (which is what kTruncated means here).
  // Its message quotes the token being read, which may be long and not valid UTF-8: that part is
  // quoted again, shortened.
  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& ex) {
    std::string what = ex.what();
    if (const size_t p = what.find("] ");
        what.rfind("[json.exception.", 0) == 0 && p != what.npos) {
      what.erase(0, p + 2);
    }
    constexpr std::string_view kLastRead = "; last read: '";
    if (const size_t start = what.find(kLastRead); start != what.npos) {
      const size_t token_start = start + kLastRead.size();
      size_t token_end = what.rfind("'; expected ");
      if (token_end == what.npos || token_end < token_start) {
        token_end = !what.empty() && what.back() == '\'' ? what.size() - 1 : what.size();
      }
      const std::string token = what.substr(token_start, token_end - token_start);
      const std::string rest = token_end < what.size() ? what.substr(token_end + 1) : "";
      what = what.substr(0, start) + "; last read: " + Quote(token) + rest;
    }
    if (position > text_size_) {
      failure_ = Status(StatusCode::kTruncated, std::move(what)).At(file_, "json", text_size_);
    } else {
      const uint64_t offset = position == 0 ? 0 : position - 1;
      failure_ = Status(StatusCode::kInvalidInput, std::move(what)).At(file_, "json", offset);
    }
    return false;
  }

 private:
  // One open object or array. `count` is elements (arrays) or members (objects) so far.
  struct Frame {
    Json* node = nullptr;
    uint64_t count = 0;
    const std::string* key = nullptr;  // objects: the member being read (a key of node)
    Json* member = nullptr;            // objects: its value slot
  };

  // Stores a value where the parser is: the root, the next array element, or the slot of the
  // last key. Returns where it went; nullptr after a failure.
  Json* Add(Json&& v) {
    if (++values_ > limits_.max_evidence_json_values) {
      Fail(StatusCode::kLimitExceeded, frames_.size(),
           "more than " + std::to_string(limits_.max_evidence_json_values) +
               " JSON values in the record");
      return nullptr;
    }
    if (frames_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    Frame& f = frames_.back();
    if (f.node->is_object()) {
      *f.member = std::move(v);
      return f.member;
    }
    if (++f.count > limits_.max_evidence_json_elements) {
      Fail(StatusCode::kLimitExceeded, frames_.size() - 1,
           "array has more than " + std::to_string(limits_.max_evidence_json_elements) +
               " elements");
      return nullptr;
    }
    // A child stays valid while it is open: its parent gets no other element until it closes.
    return &f.node->get_ref<Json::array_t&>().emplace_back(std::move(v));
  }

  bool AddScalar(Json&& v) { return Add(std::move(v)) != nullptr; }

  bool StartContainer(Json::value_t type) {
    Json* node = Add(Json(type));
    if (node == nullptr) return false;
    if (frames_.size() >= limits_.max_evidence_json_depth) {
      return Fail(
          StatusCode::kLimitExceeded, frames_.size(),
          "nesting deeper than " + std::to_string(limits_.max_evidence_json_depth) + " levels");
    }
    frames_.emplace_back().node = node;
    return true;
  }

  bool EndContainer() {
    frames_.pop_back();  // the parser balances starts and ends
    return true;
  }

  // The path through the first `levels` open containers: to the innermost container when
  // levels = frames_.size() - 1, to its current element when levels = frames_.size().
  std::string Path(size_t levels) const {
    std::string path;
    for (size_t i = 0; i < levels && i < frames_.size(); ++i) {
      const Frame& f = frames_[i];
      if (f.node->is_array()) {
        AppendIndex(&path, f.count == 0 ? 0 : f.count - 1);
      } else if (f.key != nullptr) {
        AppendKey(&path, *f.key);
      }
    }
    return path;
  }

  bool Fail(StatusCode code, size_t levels, std::string message) {
    failure_ = AtPath(code, file_, Path(levels), std::move(message));
    return false;
  }

  std::string_view file_;
  size_t text_size_;
  const Limits& limits_;
  Json root_;
  std::vector<Frame> frames_;  // at most limits_.max_evidence_json_depth
  uint64_t values_ = 0;
  Status failure_;
};

// ---------------------------------------------------------------------------------------------
// Reading, step 2: the tree into AppEvidence, along the field lists.

class Reader {
 public:
  explicit Reader(std::string_view file) : file_(file) {}

  Status Read(const Json& j, std::string* out) {
    if (!j.is_string()) return TypeError("a string", j);
    *out = j.get_ref<const std::string&>();
    return Status();
  }

  Status Read(const Json& j, bool* out) {
    if (!j.is_boolean()) return TypeError("true or false", j);
    *out = j.get<bool>();
    return Status();
  }

  template <Integer T>
  Status Read(const Json& j, T* out) {
    // nlohmann keeps non-negative integers as unsigned and negative ones as signed.
    if (j.is_number_unsigned()) {
      const uint64_t v = j.get<uint64_t>();
      if (std::in_range<T>(v)) {
        *out = static_cast<T>(v);
        return Status();
      }
    } else if (j.is_number_integer()) {
      const int64_t v = j.get<int64_t>();
      if (std::in_range<T>(v)) {
        *out = static_cast<T>(v);
        return Status();
      }
    } else {
      return TypeError("an integer", j);
    }
    return Error("value " + j.dump() + " out of range [" +
                 std::to_string(std::numeric_limits<T>::min()) + ", " +
                 std::to_string(std::numeric_limits<T>::max()) + "]");
  }

  Status Read(const Json& j, double* out) {
    if (j.is_null()) {  // what the writer makes of NaN and infinities
      *out = std::numeric_limits<double>::quiet_NaN();
      return Status();
    }
    if (!j.is_number()) return TypeError("a number", j);
    *out = j.get<double>();
    return Status();
  }

  template <NamedEnum E>
  Status Read(const Json& j, E* out) {
    if (!j.is_string()) return TypeError("a string", j);
    const std::string& name = j.get_ref<const std::string&>();
    std::optional<E> v = EnumNames<E>::Parse(name);
    if (!v) return Error("unknown value " + Quote(name) + " (allowed: " + AllowedNames<E>() + ")");
    *out = *v;
    return Status();
  }

  template <typename T>
  Status Read(const Json& j, std::optional<T>* out) {
    if (j.is_null()) {
      out->reset();
      return Status();
    }
    return Read(j, &out->emplace());
  }

  template <typename A, typename B>
  Status Read(const Json& j, std::pair<A, B>* out) {
    if (!j.is_array() || j.size() != 2) return TypeError("an array of two elements", j);
    RETURN_IF_ERROR(ReadElement(j, 0, &out->first));
    return ReadElement(j, 1, &out->second);
  }

  template <typename T>
  Status Read(const Json& j, std::vector<T>* out) {
    if (!j.is_array()) return TypeError("an array", j);
    out->clear();
    out->reserve(j.size());  // bounded by max_evidence_json_elements (TreeBuilder)
    for (size_t i = 0; i < j.size(); ++i) {
      RETURN_IF_ERROR(ReadElement(j, i, &out->emplace_back()));
    }
    return Status();
  }

  template <Record T>
  Status Read(const Json& j, T* out) {
    CheckFieldList<T>();
    if (!j.is_object()) return TypeError("an object", j);
    return ReadFields(j, out);
  }

  // The fields of T from the members of object `j`. Every listed field is required; members
  // not listed are ignored (forward compatibility within one major version).
  template <Record T>
  Status ReadFields(const Json& j, T* out) {
    Status s;
    std::apply(
        [&](const auto&... f) {
          ((s = ReadMember(j, f.name, &(out->*(f.member)), f.added_later), s.ok()) && ...);
        },
        FieldsOf(Tag<T>{}));
    return s;
  }

  // A missing member is an error unless `may_be_absent` (a field added later: *out keeps its
  // default).
  template <typename T>
  Status ReadMember(const Json& object, const char* key, T* out, bool may_be_absent = false) {
    const size_t mark = path_.size();
    AppendKey(&path_, key);
    const auto it = object.find(key);
    Status s = it != object.end() ? Read(*it, out)
               : may_be_absent    ? Status()
                                  : Error("missing field");
    path_.resize(mark);
    return s;
  }

  Status Error(std::string message, StatusCode code = StatusCode::kInvalidInput) const {
    return AtPath(code, file_, path_, std::move(message));
  }

 private:
  template <typename T>
  Status ReadElement(const Json& array, size_t i, T* out) {
    const size_t mark = path_.size();
    AppendIndex(&path_, i);
    Status s = Read(array[i], out);
    path_.resize(mark);
    return s;
  }

  Status TypeError(std::string_view expected, const Json& found) const {
    std::string what;
    switch (found.type()) {
      case Json::value_t::null:
        what = "null";
        break;
      case Json::value_t::boolean:
        what = "a boolean";
        break;
      case Json::value_t::number_integer:
      case Json::value_t::number_unsigned:
        what = "an integer";
        break;
      case Json::value_t::number_float:
        what = "a floating-point number";
        break;
      case Json::value_t::string:
        what = "a string";
        break;
      case Json::value_t::array:
        what = "an array";
        break;
      case Json::value_t::object:
        what = "an object";
        break;
      default:
        what = found.type_name();
        break;
    }
    return Error("expected " + std::string(expected) + ", found " + what);
  }

  std::string_view file_;
  std::string path_;  // where the reader is, e.g. "evidence.sensitive_calls[3].before_consent"
};

Result<AppEvidence> ReadRecord(const Json& doc, std::string_view file,
                               EvidenceRecordInfo* info_out) {
  Reader reader(file);
  if (!doc.is_object()) {
    return reader.Error("expected an object (a piaudit evidence record), found " +
                        std::string(doc.type_name()));
  }
  // The schema id first: a record of another kind or version must not fail on field names.
  if (!doc.contains("schema")) {
    return AtPath(StatusCode::kInvalidInput, file, "schema",
                  "missing: not a piaudit evidence record (expected \"schema\": \"" +
                      std::string(kEvidenceSchemaId) + "\")");
  }
  std::string schema;
  RETURN_IF_ERROR(reader.ReadMember(doc, "schema", &schema));
  if (schema != kEvidenceSchemaId) {
    constexpr std::string_view kFamily = "piaudit.evidence/";
    if (schema.rfind(kFamily, 0) == 0) {
      return AtPath(StatusCode::kUnsupported, file, "schema",
                    Quote(schema) +
                        " is another major version of the evidence record; this "
                        "piaudit reads " +
                        std::string(kEvidenceSchemaId));
    }
    return AtPath(StatusCode::kInvalidInput, file, "schema",
                  Quote(schema) + " is not a piaudit evidence record (expected " +
                      std::string(kEvidenceSchemaId) + ")");
  }
  EvidenceRecordInfo info;
  RETURN_IF_ERROR(reader.ReadFields(doc, &info));
  AppEvidence ev;
  RETURN_IF_ERROR(reader.ReadMember(doc, "evidence", &ev));
  if (info_out != nullptr) *info_out = std::move(info);
  return ev;
}

}  // namespace

std::string WriteEvidenceJson(const AppEvidence& e, const EvidenceRecordInfo& info) {
  CheckFieldList<EvidenceRecordInfo>();
  OrderedJson root = OrderedJson::object();
  root["schema"] = std::string(kEvidenceSchemaId);
  Writer::AppendFields(info, &root);
  root["evidence"] = Writer::Write(e);
  // APK text is untrusted and may not be UTF-8: replace, never throw (type_error 316).
  std::string out = root.dump(2, ' ', false, OrderedJson::error_handler_t::replace);
  out.push_back('\n');
  return out;
}

Result<AppEvidence> ReadEvidenceJson(std::string_view text, std::string_view file_name,
                                     const Limits& limits, EvidenceRecordInfo* info_out) {
  try {
    TreeBuilder builder(file_name, text.size(), limits);
    if (!Json::sax_parse(text.begin(), text.end(), &builder, nlohmann::json::input_format_t::json,
                         /*strict=*/true, /*ignore_comments=*/false)) {
      return builder.TakeFailure();
    }
    return ReadRecord(builder.root(), file_name, info_out);
  } catch (const std::bad_alloc&) {
    return LimitExceeded("out of memory while reading the evidence record").InFile(file_name);
  } catch (const std::exception& e) {
    return InternalError(std::string("reading the evidence record: ") + e.what()).InFile(file_name);
  } catch (...) {
    return InternalError("reading the evidence record: unknown exception").InFile(file_name);
  }
}

}  // namespace piaudit::evidence
