// Serialisation of PolicyAnalysis; every field is documented in docs/schemas/policy.md. Strings
// are valid UTF-8 by construction (the decoder replaced invalid sequences), so dump() cannot throw.
#include "policy/policy_json.h"

#include <cstdio>

namespace piaudit::policy {
namespace {

using nlohmann::json;

json Range(const TextRange& r) { return json{{"start", r.start}, {"end", r.end}}; }

json Categories(CategorySet s) {
  json arr = json::array();
  for (int c = 0; c < kCategoryCount; ++c)
    if (Has(s, static_cast<Category>(c))) arr.push_back(CategoryName(static_cast<Category>(c)));
  return arr;
}

template <typename T, typename F>
json Array(const std::vector<T>& v, F element) {
  json arr = json::array();
  for (const T& x : v) arr.push_back(element(x));
  return arr;
}

// One element of each array: shared by the DOM (PolicyToJson) and the streaming writer, so the two
// cannot drift apart.
json SpanJson(const Span& s) {
  return {{"start", s.start}, {"end", s.end},   {"kind", SpanKindName(s.kind)},
          {"label", s.label}, {"text", s.text}, {"source", s.from_model ? "model" : "lexicon"}};
}
void OptRange(json* o, const char* key, const TextRange& r) {
  if (r.end > r.start) (*o)[key] = Range(r);
}
json SdkListJson(const SdkListRow& r) {
  json o = {{"source", r.source},
            {"name", r.name},
            {"start", r.name_range.start},
            {"end", r.name_range.end},
            {"id", r.sdk_id},
            {"provider", r.provider},
            {"purpose", r.purpose},
            {"data_types", r.data_types},
            {"link", r.link}};
  if (r.table_row >= 0) o["table_row"] = r.table_row;
  return o;
}
json PracticeJson(const Practice& p) {
  json o = {{"sentence", p.sentence}, {"data", Range(p.data)}, {"data_type", p.data_type_id}};
  if (!p.action.empty()) {
    o["action"] = p.action;
    OptRange(&o, "action_span", p.action_range);
  }
  OptRange(&o, "purpose", p.purpose);
  OptRange(&o, "condition", p.condition);
  if (!p.collector.empty()) {
    o["collector"] = p.collector;
    OptRange(&o, "collector_span", p.collector_range);
  }
  o["receivers"] = Array(p.receivers, [](const TextRange& r) { return Range(r); });
  return o;
}
json SectionJson(const Section& s) {
  return {{"heading", Range(s.heading)},
          {"body", Range(s.body)},
          {"level", s.level},
          {"title", s.heading_text}};
}
json RowJson(const TableRow& r) {
  json cells = json::array();
  for (const TextRange& c : r.cells) cells.push_back(Range(c));
  return {{"start", r.range.start},
          {"end", r.range.end},
          {"table", r.table},
          {"row", r.row},
          {"cells", std::move(cells)}};
}
json SentenceJson(const Sentence& s) {
  json o = {
      {"start", s.range.start}, {"end", s.range.end}, {"categories", Categories(s.categories)}};
  if (s.section >= 0) o["section"] = s.section;
  if (s.table_row >= 0) o["table_row"] = s.table_row;
  if (s.list_item) o["list_item"] = true;
  return o;
}
json DataTypeJson(const DataTypeSummary& d) {
  return {{"id", d.type_id},         {"collected", d.collected}, {"not_collected", d.not_collected},
          {"optional", d.optional},  {"required", d.required},   {"mentions", d.mentions},
          {"functions", d.functions}};
}
json MentionJson(const DataTypeMention& m) {
  json o = {{"id", m.type_id},      {"start", m.range.start},
            {"end", m.range.end},   {"sentence", m.sentence},
            {"negated", m.negated}, {"necessity", NecessityName(m.necessity)}};
  if (!m.function.empty()) o["function"] = m.function;
  return o;
}
json PermissionJson(const PermissionMention& p) {
  return {{"id", p.permission_id}, {"start", p.range.start},
          {"end", p.range.end},    {"sentence", p.sentence},
          {"negated", p.negated},  {"necessity", NecessityName(p.necessity)},
          {"purpose", p.purpose},  {"members", p.members}};
}
json SdkJson(const ThirdPartyMention& p) {
  json o = {{"sdk", p.is_sdk},
            {"id", p.sdk_id},
            {"name", p.name},
            {"start", p.range.start},
            {"end", p.range.end},
            {"sentence", p.sentence},
            {"provider", p.provider},
            {"purpose", p.purpose},
            {"data_types", p.data_types},
            {"contact", p.contact},
            {"policy_url", p.policy_url}};
  if (p.table_row >= 0) o["table_row"] = p.table_row;
  return o;
}
json RightJson(const RightMention& r) {
  json o = {{"right", RightKindName(r.kind)}, {"start", r.range.start},     {"end", r.range.end},
            {"sentence", r.sentence},         {"conditions", r.conditions}, {"certain", r.certain}};
  if (!r.in_app_path.empty()) o["in_app_path"] = r.in_app_path;
  return o;
}
json ChannelJson(const ContactChannel& c) {
  return {{"kind", ChannelKindName(c.kind)}, {"value", c.value},
          {"start", c.range.start},          {"end", c.range.end},
          {"sentence", c.sentence},          {"complaint", c.complaint}};
}
json TimeLimitJson(const TimeLimit& t) {
  return {{"amount", t.amount},
          {"unit", TimeUnitName(t.unit)},
          {"applies_to", TimeLimitSubjectName(t.applies_to)},
          {"start", t.range.start},
          {"end", t.range.end},
          {"sentence", t.sentence},
          {"certain", t.certain}};
}
json ScriptJson(const ScriptInfo& s) {
  return {{"language", s.language},
          {"han_chars", s.han_chars},
          {"traditional_chars", s.traditional_chars},
          {"traditional_ratio", s.traditional_ratio},
          {"has_simplified", s.has_simplified},
          {"traditional_only", s.traditional_only}};
}
json ReadabilityJson(const Readability& r) {
  return {{"chars", r.chars},
          {"sentences", r.sentences},
          {"mean_sentence_chars", r.mean_sentence_chars},
          {"max_sentence_chars", r.max_sentence_chars},
          {"jargon_terms", r.jargon_terms},
          {"jargon_per_1000_chars", r.jargon_per_1000_chars},
          {"jargon_found", r.jargon_found}};
}

// Writes into a FILE* and remembers the first error, so a full disk is reported, not ignored.
class Out {
 public:
  explicit Out(std::FILE* f) : f_(f) {}
  void Raw(std::string_view s) {
    if (ok_ && !s.empty() && std::fwrite(s.data(), 1, s.size(), f_) != s.size()) ok_ = false;
  }
  void Value(const json& j) { Raw(j.dump(-1, ' ', false, json::error_handler_t::replace)); }
  void Key(std::string_view k) {
    Raw(first_ ? "{\n  " : ",\n  ");
    first_ = false;
    Value(json(k));
    Raw(": ");
  }
  template <typename T, typename F>
  void Array(std::string_view k, const std::vector<T>& v, F element) {
    Key(k);
    Raw("[");
    for (size_t i = 0; i < v.size(); ++i) {
      Raw(i == 0 ? "\n    " : ",\n    ");
      Value(element(v[i]));  // one element at a time: memory stays that of one element
    }
    Raw(v.empty() ? "]" : "\n  ]");
  }
  bool ok() const { return ok_; }

 private:
  std::FILE* f_;
  bool ok_ = true;
  bool first_ = true;
};

}  // namespace

json PolicyToJson(const PolicyAnalysis& a, bool include_text) {
  json j;
  j["schema"] = kPolicySchema;
  j["format"] = a.format;
  j["encoding"] = {{"name", a.encoding.name},
                   {"bom", a.encoding.bom},
                   {"replacement_chars", a.encoding.replacement_chars}};
  j["length"] = a.text_code_points;
  if (include_text) j["text"] = a.text;
  j["spans"] = Array(a.spans, SpanJson);
  j["sections"] = Array(a.sections, SectionJson);
  j["table_rows"] = Array(a.table_rows, RowJson);
  j["sentences"] = Array(a.sentences, SentenceJson);
  j["data_types"] = Array(a.data_types, DataTypeJson);
  j["data_type_mentions"] = Array(a.data_type_mentions, MentionJson);
  j["permissions"] = Array(a.permissions, PermissionJson);
  j["sdks"] = Array(a.third_parties, SdkJson);
  j["rights"] = Array(a.rights, RightJson);
  j["channels"] = Array(a.channels, ChannelJson);
  j["time_limits"] = Array(a.time_limits, TimeLimitJson);
  j["practices"] = Array(a.practices, PracticeJson);
  j["sdk_list"] = Array(a.sdk_list, SdkListJson);
  j["personalization"] = Array(a.personalization, [](const TextRange& r) { return Range(r); });
  j["script"] = ScriptJson(a.script);
  j["readability"] = ReadabilityJson(a.readability);
  j["warnings"] = a.warnings;
  return j;
}

bool WritePolicyJson(const PolicyAnalysis& a, std::string_view source, std::FILE* out) {
  // The same document as PolicyToJson(a) plus "source", written key by key and element by
  // element: a 50 MiB policy has ~400k sentences, and a DOM of them plus its dump cost gigabytes.
  Out o(out);
  o.Key("schema");
  o.Value(kPolicySchema);
  o.Key("format");
  o.Value(a.format);
  o.Key("encoding");
  o.Value({{"name", a.encoding.name},
           {"bom", a.encoding.bom},
           {"replacement_chars", a.encoding.replacement_chars}});
  o.Key("length");
  o.Value(a.text_code_points);
  o.Array("spans", a.spans, SpanJson);
  o.Array("sections", a.sections, SectionJson);
  o.Array("table_rows", a.table_rows, RowJson);
  o.Array("sentences", a.sentences, SentenceJson);
  o.Array("data_types", a.data_types, DataTypeJson);
  o.Array("data_type_mentions", a.data_type_mentions, MentionJson);
  o.Array("permissions", a.permissions, PermissionJson);
  o.Array("sdks", a.third_parties, SdkJson);
  o.Array("rights", a.rights, RightJson);
  o.Array("channels", a.channels, ChannelJson);
  o.Array("time_limits", a.time_limits, TimeLimitJson);
  o.Array("practices", a.practices, PracticeJson);
  o.Array("sdk_list", a.sdk_list, SdkListJson);
  o.Array("personalization", a.personalization, [](const TextRange& r) { return Range(r); });
  o.Key("script");
  o.Value(ScriptJson(a.script));
  o.Key("readability");
  o.Value(ReadabilityJson(a.readability));
  o.Key("warnings");
  o.Value(a.warnings);
  o.Key("source");
  o.Value(source);
  o.Raw("\n}\n");
  return o.ok() && std::fflush(out) == 0;
}

}  // namespace piaudit::policy
