// Serialisation of PolicyAnalysis; every field is documented in docs/schemas/policy.md. Strings
// are valid UTF-8 by construction (the decoder replaced invalid sequences), so dump() cannot throw.
#include "policy/policy_json.h"

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

  json spans = json::array();
  for (const Span& s : a.spans)
    spans.push_back({{"start", s.start},
                     {"end", s.end},
                     {"kind", SpanKindName(s.kind)},
                     {"label", s.label},
                     {"text", s.text}});
  j["spans"] = std::move(spans);

  json secs = json::array();
  for (const Section& s : a.sections)
    secs.push_back({{"heading", Range(s.heading)},
                    {"body", Range(s.body)},
                    {"level", s.level},
                    {"title", s.heading_text}});
  j["sections"] = std::move(secs);

  json rows = json::array();
  for (const TableRow& r : a.table_rows) {
    json cells = json::array();
    for (const TextRange& c : r.cells) cells.push_back(Range(c));
    rows.push_back({{"start", r.range.start},
                    {"end", r.range.end},
                    {"table", r.table},
                    {"row", r.row},
                    {"cells", std::move(cells)}});
  }
  j["table_rows"] = std::move(rows);

  json sents = json::array();
  for (const Sentence& s : a.sentences) {
    json o = {
        {"start", s.range.start}, {"end", s.range.end}, {"categories", Categories(s.categories)}};
    if (s.section >= 0) o["section"] = s.section;
    if (s.table_row >= 0) o["table_row"] = s.table_row;
    if (s.list_item) o["list_item"] = true;
    sents.push_back(std::move(o));
  }
  j["sentences"] = std::move(sents);

  json dts = json::array();
  for (const DataTypeSummary& d : a.data_types)
    dts.push_back({{"id", d.type_id},
                   {"collected", d.collected},
                   {"not_collected", d.not_collected},
                   {"optional", d.optional},
                   {"required", d.required},
                   {"mentions", d.mentions},
                   {"functions", d.functions}});
  j["data_types"] = std::move(dts);

  json dms = json::array();
  for (const DataTypeMention& m : a.data_type_mentions) {
    json o = {{"id", m.type_id},      {"start", m.range.start},
              {"end", m.range.end},   {"sentence", m.sentence},
              {"negated", m.negated}, {"necessity", NecessityName(m.necessity)}};
    if (!m.function.empty()) o["function"] = m.function;
    dms.push_back(std::move(o));
  }
  j["data_type_mentions"] = std::move(dms);

  json perms = json::array();
  for (const PermissionMention& p : a.permissions) {
    json o = {{"id", p.permission_id}, {"start", p.range.start},
              {"end", p.range.end},    {"sentence", p.sentence},
              {"negated", p.negated},  {"necessity", NecessityName(p.necessity)},
              {"purpose", p.purpose},  {"members", p.members}};
    perms.push_back(std::move(o));
  }
  j["permissions"] = std::move(perms);

  json sdks = json::array();
  for (const ThirdPartyMention& p : a.third_parties) {
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
    sdks.push_back(std::move(o));
  }
  j["sdks"] = std::move(sdks);

  json rights = json::array();
  for (const RightMention& r : a.rights) {
    json o = {{"right", RightKindName(r.kind)},
              {"start", r.range.start},
              {"end", r.range.end},
              {"sentence", r.sentence},
              {"conditions", r.conditions}};
    if (!r.in_app_path.empty()) o["in_app_path"] = r.in_app_path;
    rights.push_back(std::move(o));
  }
  j["rights"] = std::move(rights);

  json chans = json::array();
  for (const ContactChannel& c : a.channels)
    chans.push_back({{"kind", ChannelKindName(c.kind)},
                     {"value", c.value},
                     {"start", c.range.start},
                     {"end", c.range.end},
                     {"sentence", c.sentence},
                     {"complaint", c.complaint}});
  j["channels"] = std::move(chans);

  json tls = json::array();
  for (const TimeLimit& t : a.time_limits)
    tls.push_back({{"amount", t.amount},
                   {"unit", TimeUnitName(t.unit)},
                   {"applies_to", TimeLimitSubjectName(t.applies_to)},
                   {"start", t.range.start},
                   {"end", t.range.end},
                   {"sentence", t.sentence}});
  j["time_limits"] = std::move(tls);

  json pers = json::array();
  for (const TextRange& r : a.personalization) pers.push_back({{"start", r.start}, {"end", r.end}});
  j["personalization"] = std::move(pers);

  j["script"] = {{"language", a.script.language},
                 {"han_chars", a.script.han_chars},
                 {"traditional_chars", a.script.traditional_chars},
                 {"traditional_ratio", a.script.traditional_ratio},
                 {"has_simplified", a.script.has_simplified},
                 {"traditional_only", a.script.traditional_only}};
  j["readability"] = {{"chars", a.readability.chars},
                      {"sentences", a.readability.sentences},
                      {"mean_sentence_chars", a.readability.mean_sentence_chars},
                      {"max_sentence_chars", a.readability.max_sentence_chars},
                      {"jargon_terms", a.readability.jargon_terms},
                      {"jargon_per_1000_chars", a.readability.jargon_per_1000_chars},
                      {"jargon_found", a.readability.jargon_found}};
  j["warnings"] = a.warnings;
  return j;
}

}  // namespace piaudit::policy
