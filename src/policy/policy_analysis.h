// The model of one analysed privacy policy: what the policy layer hands to evidence and rules.
//
// Every position is a pair of Unicode code-point offsets [start, end) into `PolicyAnalysis::text`,
// the decoded text (BOM removed, nothing else normalised; for HTML/PDF the extracted text, with
// block elements as line breaks and table cells separated by tabs). Code points, not bytes, because
// the JSON contract (docs/schemas/policy.md) and labels made by other tools count characters.
//
// Plain structs only: the analyser fills them, rules read them. Labels are knowledge-base ids
// (data/pi_types.yaml, data/permissions.yaml, data/sdks/*.yaml), so a rule can join a policy
// mention with what the code analysis found without string matching of its own.
#ifndef PIAUDIT_POLICY_POLICY_ANALYSIS_H_
#define PIAUDIT_POLICY_POLICY_ANALYSIS_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace piaudit::policy {

// How the caller believes the bytes are encoded as a document; kAuto sniffs (%PDF-, <html, tags).
enum class PolicyFormatHint : uint8_t { kAuto, kText, kHtml, kPdf };

// The 13 CAPP-130 practice categories, in the order of the corpus's label_explanation.json ids.
enum class Category : uint8_t {
  kCollection = 0,  // 数据收集 First Party Collection
  kPermission = 1,  // 权限获取 Permission Acquisition
  kSharing = 2,     // 共享、委托、转让、公开（披露） Third Party Sharing/Disclosure
  kUse = 3,         // 使用 Usage
  kRetention = 4,   // 存储方式 Data Retention
  kSecurity = 5,    // 安全措施 Data Security
  kSpecialAudience = 6,  // 特殊人群 Specific Audiences (minors)
  kEditControl = 7,      // 数据、权限管理 Edit/Control (user rights)
  kContact = 8,          // 联系方式 Contact Information
  kPolicyChange = 9,     // 隐私政策的授权、修改与变更 Policy Change
  kCessation = 10,       // 停止运营 Cessation of Operations
  kSummary = 11,         // 摘要 Important (summary / key clause)
  kRisk = 12,            // 潜在风险 Risk
};
inline constexpr int kCategoryCount = 13;
// Stable snake_case names used in JSON: "collection", "permission", "sharing", "use", "retention",
// "security", "special_audience", "edit_control", "contact", "policy_change", "cessation",
// "summary", "risk".
std::string_view CategoryName(Category c);
std::string_view CategoryZhName(Category c);  // the CAPP-130 Chinese label
using CategorySet = uint16_t;                 // bit i set = Category(i)
inline bool Has(CategorySet s, Category c) { return (s >> static_cast<int>(c)) & 1u; }

// A half-open range of code points in PolicyAnalysis::text.
struct TextRange {
  uint32_t start = 0;
  uint32_t end = 0;
};

enum class SpanKind : uint8_t {
  kDataType,          // label: pi_types id
  kPermission,        // label: permissions id
  kThirdParty,        // label: generic party name ("third_party") or provider name
  kSdk,               // label: SDK catalogue id (or "unknown_sdk" for an uncatalogued SDK row)
  kPurpose,           // label: "purpose" or "function"
  kRight,             // label: RightKindName
  kComplaintChannel,  // label: ChannelKindName
  kContact,           // label: ChannelKindName
  kTimeLimit,         // label: "<amount>_<unit>", e.g. "15_working_days"
  // From the span labeller (data/policy/span_model.bin, CA4P-483 classes):
  kCondition,    // label: "condition" (when / under which function: 在您使用XX功能时)
  kAction,       // label: "collect" or "share" (the verb)
  kFirstParty,   // label: "handler" (collects) or "receiver" (receives): 我们, 本公司 ...
  kDataSubject,  // label: "handler" or "receiver": 您, 用户 ...
};
// "data_type", "permission", "third_party", "sdk", "purpose", "right", "complaint_channel",
// "contact", "time_limit", "condition", "action", "first_party", "data_subject".
std::string_view SpanKindName(SpanKind k);

struct Span {
  uint32_t start = 0;
  uint32_t end = 0;
  SpanKind kind = SpanKind::kDataType;
  std::string label;
  std::string text;  // UTF-8 copy of text[start, end)
  // Found by the span labeller rather than by the lexicons and patterns ("model" / "lexicon" in
  // JSON). Both kinds of data_type span carry a pi_types id when a synonym lies inside.
  bool from_model = false;
};

// --- structure ---

struct Section {
  TextRange heading;  // the heading line
  TextRange body;     // from the heading to the next heading of the same or higher level
  std::string heading_text;
  int level = 1;  // 1 = 一、/ 1. / <h1-2>; 2 = （一）/ 1.1 / <h3+>; 3 = deeper
};

struct TableRow {
  TextRange range;
  uint32_t table = 0;  // index of the table in document order
  uint32_t row = 0;    // row within its table (0 is usually the header)
  std::vector<TextRange> cells;
};

struct Sentence {
  TextRange range;
  CategorySet categories = 0;                  // multi-label prediction
  std::array<float, kCategoryCount> scores{};  // classifier margin minus threshold (>0 = label)
  int32_t section = -1;                        // index into sections, -1 before the first
  int32_t table_row = -1;                      // index into table_rows when inside a table
  bool list_item = false;                      // starts with a bullet / enumerator
};

// --- practices ---

enum class Necessity : uint8_t { kUnspecified, kOptional, kRequired };
std::string_view NecessityName(Necessity n);  // "unspecified", "optional", "required"

// One mention of a PI type in the text.
struct DataTypeMention {
  std::string type_id;  // pi_types id
  TextRange range;
  int32_t sentence = -1;
  bool negated = false;  // stated as NOT collected (不会收集, 不收集, 我们不会…)
  Necessity necessity = Necessity::kUnspecified;
  std::string function;  // "在您使用XX功能时" / "为了XX": the XX, empty when none
  TextRange function_range;
};

// Per PI type, everything the policy says about it (aggregated over mentions).
struct DataTypeSummary {
  std::string type_id;
  bool collected = false;      // at least one positive mention
  bool not_collected = false;  // at least one negated mention
  bool optional = false;
  bool required = false;
  uint32_t mentions = 0;
  std::vector<std::string> functions;  // distinct, in order of appearance (bounded)
};

struct PermissionMention {
  // android.permission.X when the policy names the constant; android.permission-group.X for a
  // Chinese group name (相机权限), see data/policy/lexicon.yaml.
  std::string permission_id;
  // The android.permission.* names the id stands for (the KB permissions of that group, or the
  // permission itself), so rules can join with the manifest.
  std::vector<std::string> members;
  TextRange range;
  int32_t sentence = -1;
  bool negated = false;
  Necessity necessity = Necessity::kUnspecified;
  std::string purpose;  // the stated purpose (same sentence or table row), may be empty
  TextRange purpose_range;
};

// A third party or SDK named in prose or in a table row.
struct ThirdPartyMention {
  bool is_sdk = false;
  std::string sdk_id;  // catalogue id, empty when not matched
  std::string name;    // the name as written
  TextRange range;
  int32_t sentence = -1;
  int32_t table_row = -1;
  std::string provider;  // company, when given
  std::string purpose;
  std::vector<std::string> data_types;  // pi_types ids named with it
  std::string contact;
  std::string policy_url;
};

enum class RightKind : uint8_t {
  kAccess,
  kCorrection,
  kDeletion,
  kAccountCancellation,
  kWithdrawConsent,
  kPersonalizationOptOut,  // targeted push / personalised recommendation opt-out
  kCopy,                   // obtain a copy / portability
  kComplaint,              // lodge a complaint
};
// "access", "correction", "deletion", "account_cancellation", "withdraw_consent",
// "personalization_opt_out", "copy", "complaint".
std::string_view RightKindName(RightKind k);

struct RightMention {
  RightKind kind = RightKind::kAccess;
  TextRange range;
  int32_t sentence = -1;
  // Burdens attached in the same sentence: "id_card", "in_person", "notarized", "post_only",
  // "written_request", "fee", "proof_of_identity".
  std::vector<std::string> conditions;
  std::string in_app_path;  // e.g. "设置-账号与安全-注销账号" when the sentence gives one
  // Read with high certainty: the sentence is classed edit_control (it is about rights) and every
  // condition is put on the user (需/必须…) or shares the right's clause. A verdict built on an
  // uncertain mention is "likely", never "confirmed".
  bool certain = false;
};

enum class ChannelKind : uint8_t {
  kEmail,
  kPhone,
  kPostalAddress,
  kInAppPath,
  kOnlineService,
  kWeb
};
// "email", "phone", "postal_address", "in_app_path", "online_service", "web".
std::string_view ChannelKindName(ChannelKind k);

struct ContactChannel {
  ChannelKind kind = ChannelKind::kEmail;
  std::string value;  // normalised value (the address, digits of the phone, the path)
  TextRange range;
  int32_t sentence = -1;
  // Offered for complaints/reports: the sentence says 投诉/举报, or the channel is published in the
  // contact section or after an invitation to write with questions (lexicon.yaml
  // contact_headings, contact_invitations).
  bool complaint = false;
};

enum class TimeUnit : uint8_t { kWorkingDays, kDays, kHours, kMonths };
std::string_view TimeUnitName(TimeUnit u);  // "working_days", "days", "hours", "months"

enum class TimeLimitSubject : uint8_t {
  kUnknown,
  kRequest,
  kComplaint,
  kAccountCancellation,
  kRetention
};
// "unknown", "request", "complaint", "account_cancellation", "retention".
std::string_view TimeLimitSubjectName(TimeLimitSubject s);

struct TimeLimit {
  uint32_t amount = 0;  // Chinese numerals normalised: 十五个工作日 -> 15
  TimeUnit unit = TimeUnit::kDays;
  TimeLimitSubject applies_to = TimeLimitSubject::kUnknown;
  TextRange range;
  int32_t sentence = -1;
  // Read with high certainty: a subject (投诉, 请求, 注销 ...) shares the number's clause in a
  // sentence about rights, contact or complaints, and it is no notice period.
  bool certain = false;
};

// One row of the policy's third-party SDK list: from an HTML table row (columns by the header
// row) or from a text record of "key：value" fields (sdk_list.h).
struct SdkListRow {
  std::string source;  // "table" or "text"
  std::string name;
  TextRange name_range;
  std::string sdk_id;  // catalogue id (a policy name of data/sdks/*.yaml inside the name), or ""
  std::string provider;
  std::string purpose;
  std::vector<std::string> data_types;  // pi_types ids named in the data field (or the row)
  std::string link;
  int32_t table_row = -1;
};

// One data practice of a sentence, read from the span labeller's spans: a data type and what the
// sentence says about it. A range with start == end is absent.
struct Practice {
  int32_t sentence = -1;
  TextRange data;
  std::string data_type_id;  // pi_types id of a synonym inside `data`, empty when none
  std::string action;        // "collect", "share" or "" (no verb in the sentence)
  TextRange action_range;
  TextRange purpose;
  TextRange condition;
  // Who collects: "first_party", "third_party", "data_subject" (the user provides it) or "".
  std::string collector;
  TextRange collector_range;
  std::vector<TextRange> receivers;  // for sharing: who receives (third parties by name)
};

// What the span labeller sees, for its trainer (tools/span_train): the decoded text, the
// sentences with their categories and the per-character lexicon marks (SpanMark bits).
struct SpanTrainingInput {
  std::u32string text;
  std::vector<Sentence> sentences;
  std::vector<uint8_t> marks;
};

// --- text-level facts for IM-1.4 / IM-2.4 ---

struct ScriptInfo {
  std::string language;  // "zh", "en" or "unknown" (by share of Han vs Latin letters)
  uint32_t han_chars = 0;
  uint32_t traditional_chars = 0;  // Han chars that OpenCC t2s changes
  double traditional_ratio = 0;    // traditional_chars / han_chars
  bool has_simplified = false;     // zh text that is not traditional-only
  bool traditional_only = false;   // traditional_ratio above the threshold (docs/policy.md)
};

struct Readability {
  uint32_t chars = 0;  // code points in text
  uint32_t sentences = 0;
  double mean_sentence_chars = 0;
  uint32_t max_sentence_chars = 0;
  uint32_t jargon_terms = 0;  // occurrences of data/policy/jargon.txt terms
  double jargon_per_1000_chars = 0;
  std::vector<std::string> jargon_found;  // distinct terms, bounded
};

struct EncodingInfo {
  std::string name;  // "UTF-8", "UTF-16LE", "UTF-16BE", "GB18030"
  bool bom = false;
  uint32_t replacement_chars = 0;  // invalid sequences replaced by U+FFFD
};

struct PolicyAnalysis {
  std::string format;  // "text", "html", "pdf"
  EncodingInfo encoding;
  std::string text;  // decoded text, UTF-8 (offsets elsewhere count its code points)
  uint32_t text_code_points = 0;

  std::vector<Section> sections;
  std::vector<TableRow> table_rows;
  std::vector<Sentence> sentences;
  std::vector<Span> spans;  // every extracted item, sorted by start

  std::vector<DataTypeMention> data_type_mentions;
  std::vector<DataTypeSummary> data_types;
  std::vector<PermissionMention> permissions;
  std::vector<ThirdPartyMention> third_parties;
  std::vector<RightMention> rights;
  std::vector<ContactChannel> channels;
  std::vector<TimeLimit> time_limits;
  // Per-sentence data practices from the span labeller (empty without its model); bounded by
  // Limits::max_policy_practices.
  std::vector<Practice> practices;
  // The third-party SDK list, row by row (at most Limits::max_sdk_list_rows).
  std::vector<SdkListRow> sdk_list;

  // Sentences stating that pushed content, recommendations or ads are personalised (IM-3.6),
  // from the `personalization` cues of data/policy/lexicon.yaml; bounded.
  std::vector<TextRange> personalization;

  ScriptInfo script;
  Readability readability;
  // Non-fatal notes (a limit that cut extraction short, a model that failed to load, ...).
  std::vector<std::string> warnings;
};

}  // namespace piaudit::policy

#endif  // PIAUDIT_POLICY_POLICY_ANALYSIS_H_
