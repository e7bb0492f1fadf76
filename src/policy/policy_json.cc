// Serialisation of PolicyAnalysis; every field is documented in docs/schemas/policy.md. Strings
// are valid UTF-8 by construction (the decoder replaced invalid sequences), so dump() cannot throw.
#include "policy/policy_json.h"

#include <charconv>
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

// True when s is well-formed UTF-8 (then it is written as is, escaped; otherwise nlohmann's
// replacing dump writes it).
bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      const unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = cp << 6 | (d & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

// Writes into a FILE* through a buffer and remembers the first error, so a full disk is reported,
// not ignored. The arrays that grow with the text (spans, sentences, mentions, practices) are
// written field by field (Str/Int below) in the key order nlohmann's dump uses (sorted), not
// built as json objects first: building and dumping one object per element cost about a third of
// the command's time on a large policy.
class Out {
 public:
  explicit Out(std::FILE* f) : f_(f) { buf_.reserve(kFlushAt + 4096); }
  void Raw(std::string_view s) {
    buf_.append(s);
    if (buf_.size() >= kFlushAt) Flush();
  }
  void Flush() {
    if (ok_ && !buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size())
      ok_ = false;
    buf_.clear();
  }
  void Value(const json& j) { Raw(j.dump(-1, ' ', false, json::error_handler_t::replace)); }
  // A JSON string, escaped as nlohmann's dump escapes it (ensure_ascii off).
  void Str(std::string_view s) {
    if (!ValidUtf8(s)) {
      Value(json(std::string(s)));
      return;
    }
    buf_.push_back('"');
    size_t run = 0;  // start of the pending unescaped run
    for (size_t i = 0; i < s.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      buf_.append(s.substr(run, i - run));
      run = i + 1;
      switch (c) {
        case '"':
          buf_.append("\\\"");
          break;
        case '\\':
          buf_.append("\\\\");
          break;
        case '\b':
          buf_.append("\\b");
          break;
        case '\f':
          buf_.append("\\f");
          break;
        case '\n':
          buf_.append("\\n");
          break;
        case '\r':
          buf_.append("\\r");
          break;
        case '\t':
          buf_.append("\\t");
          break;
        default: {
          char u[8];
          std::snprintf(u, sizeof u, "\\u%04x", c);
          buf_.append(u);
        }
      }
    }
    buf_.append(s.substr(run));
    buf_.push_back('"');
  }
  void Int(int64_t v) {
    char d[24];
    auto r = std::to_chars(d, d + sizeof d, v);
    buf_.append(d, static_cast<size_t>(r.ptr - d));
  }
  void Bool(bool b) { buf_.append(b ? "true" : "false"); }
  // `"key":` inside an element written field by field; first says whether to open it with '{'.
  void Field(std::string_view key, bool first = false) {
    buf_.push_back(first ? '{' : ',');
    buf_.push_back('"');
    buf_.append(key);
    buf_.append("\":");
  }
  void RangeValue(const TextRange& r) {
    Field("end", true);
    Int(r.end);
    Field("start");
    Int(r.start);
    buf_.push_back('}');
  }
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
  // The same, the element written by write(this, element) field by field.
  template <typename T, typename W>
  void ArrayDirect(std::string_view k, const std::vector<T>& v, W write) {
    Key(k);
    Raw("[");
    for (size_t i = 0; i < v.size(); ++i) {
      Raw(i == 0 ? "\n    " : ",\n    ");
      write(this, v[i]);
    }
    Raw(v.empty() ? "]" : "\n  ]");
  }
  bool ok() {
    Flush();
    return ok_;
  }

 private:
  static constexpr size_t kFlushAt = 1 << 20;
  std::FILE* f_;
  std::string buf_;
  bool ok_ = true;
  bool first_ = true;
};

// Field-by-field writers of the large arrays: the same objects as SpanJson, SentenceJson,
// MentionJson and PracticeJson (tests/policy StreamedJsonEqualsTheDom compares them).
void WriteSpan(Out* o, const Span& s) {
  o->Field("end", true);
  o->Int(s.end);
  o->Field("kind");
  o->Str(SpanKindName(s.kind));
  o->Field("label");
  o->Str(s.label);
  o->Field("source");
  o->Str(s.from_model ? "model" : "lexicon");
  o->Field("start");
  o->Int(s.start);
  o->Field("text");
  o->Str(s.text);
  o->Raw("}");
}
void WriteSentence(Out* o, const Sentence& s) {
  o->Field("categories", true);
  o->Raw("[");
  bool first = true;
  for (int c = 0; c < kCategoryCount; ++c) {
    if (!Has(s.categories, static_cast<Category>(c))) continue;
    if (!first) o->Raw(",");
    first = false;
    o->Str(CategoryName(static_cast<Category>(c)));
  }
  o->Raw("]");
  o->Field("end");
  o->Int(s.range.end);
  if (s.list_item) {
    o->Field("list_item");
    o->Bool(true);
  }
  if (s.section >= 0) {
    o->Field("section");
    o->Int(s.section);
  }
  o->Field("start");
  o->Int(s.range.start);
  if (s.table_row >= 0) {
    o->Field("table_row");
    o->Int(s.table_row);
  }
  o->Raw("}");
}
void WriteMention(Out* o, const DataTypeMention& m) {
  o->Field("end", true);
  o->Int(m.range.end);
  if (!m.function.empty()) {
    o->Field("function");
    o->Str(m.function);
  }
  o->Field("id");
  o->Str(m.type_id);
  o->Field("necessity");
  o->Str(NecessityName(m.necessity));
  o->Field("negated");
  o->Bool(m.negated);
  o->Field("sentence");
  o->Int(m.sentence);
  o->Field("start");
  o->Int(m.range.start);
  o->Raw("}");
}
void WritePractice(Out* o, const Practice& p) {
  auto opt_range = [&](std::string_view key, const TextRange& r) {
    if (r.end <= r.start) return;
    o->Field(key);
    o->RangeValue(r);
  };
  // Sorted keys: action, action_span, collector, collector_span, condition, data, data_type,
  // purpose, receivers, sentence.
  bool first = true;
  if (!p.action.empty()) {
    o->Field("action", true);
    first = false;
    o->Str(p.action);
    opt_range("action_span", p.action_range);
  }
  if (!p.collector.empty()) {
    o->Field("collector", first);
    first = false;
    o->Str(p.collector);
    opt_range("collector_span", p.collector_range);
  }
  if (p.condition.end > p.condition.start) {
    o->Field("condition", first);
    first = false;
    o->RangeValue(p.condition);
  }
  o->Field("data", first);
  o->RangeValue(p.data);
  o->Field("data_type");
  o->Str(p.data_type_id);
  opt_range("purpose", p.purpose);
  o->Field("receivers");
  o->Raw("[");
  for (size_t i = 0; i < p.receivers.size(); ++i) {
    if (i > 0) o->Raw(",");
    o->RangeValue(p.receivers[i]);
  }
  o->Raw("]");
  o->Field("sentence");
  o->Int(p.sentence);
  o->Raw("}");
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
  o.ArrayDirect("spans", a.spans, WriteSpan);
  o.Array("sections", a.sections, SectionJson);
  o.Array("table_rows", a.table_rows, RowJson);
  o.ArrayDirect("sentences", a.sentences, WriteSentence);
  o.Array("data_types", a.data_types, DataTypeJson);
  o.ArrayDirect("data_type_mentions", a.data_type_mentions, WriteMention);
  o.Array("permissions", a.permissions, PermissionJson);
  o.Array("sdks", a.third_parties, SdkJson);
  o.Array("rights", a.rights, RightJson);
  o.Array("channels", a.channels, ChannelJson);
  o.Array("time_limits", a.time_limits, TimeLimitJson);
  o.ArrayDirect("practices", a.practices, WritePractice);
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
