// Baseline files: read strictly, applied by finding id, written for a person to fill in.
#include "rules/baseline.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/mapped_file.h"
#include "knowledge/yaml_tree.h"
#include "rules/evaluate.h"

namespace piaudit::rules {

namespace {

using knowledge::YamlNode;

Status EntryError(std::string_view file, int line, const std::string& message) {
  return InvalidInput("line " + std::to_string(line) + ": " + message).InFile(file);
}

bool IsDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// YYYY-MM-DD naming a real day (leap years included), so string order is date order.
bool IsDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!IsDigits(s.substr(0, 4)) || !IsDigits(s.substr(5, 2)) || !IsDigits(s.substr(8, 2))) {
    return false;
  }
  const int year = std::stoi(std::string(s.substr(0, 4)));
  const int month = std::stoi(std::string(s.substr(5, 2)));
  const int day = std::stoi(std::string(s.substr(8, 2)));
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1]) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return !(month == 2 && day == 29 && !leap);
}

bool IsFindingId(std::string_view s) {
  return s.size() == 16 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string Trim(std::string s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// A placeholder is not a reason: "TODO", "todo", "TBD", "FIXME" (what --write-baseline writes and
// what people type when they mean to come back).
bool IsPlaceholder(const std::string& s) {
  std::string upper;
  for (char c : s) upper.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c);
  return upper == "TODO" || upper == "TBD" || upper == "FIXME";
}

// The scalar text of `key` in `entry`: "" when absent or null; an error when it is a map or list.
Result<std::string> ScalarField(const YamlNode& entry, const char* key, std::string_view file) {
  YamlNode v = entry[key];
  if (!v || v.IsNull()) return std::string();
  if (!v.IsScalar()) return EntryError(file, v.line(), std::string(key) + " must be a string");
  return Trim(v.Scalar());
}

Result<BaselineEntry> ParseEntry(const YamlNode& node, std::string_view file) {
  if (!node.IsMap()) return EntryError(file, node.line(), "an entry must be a mapping");
  static const std::set<std::string> kKeys = {"id", "item", "owner",  "subject", "justification",
                                              "by", "date", "expires"};
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string key = node.KeyAt(i).Scalar();
    if (!kKeys.count(key)) {
      return EntryError(
          file, node.KeyAt(i).line(),
          "unknown key '" + key + "' (id, item, owner, subject, justification, by, date, expires)");
    }
  }
  BaselineEntry e;
  e.line = node.line();
  ASSIGN_OR_RETURN(e.id, ScalarField(node, "id", file));
  ASSIGN_OR_RETURN(e.item, ScalarField(node, "item", file));
  ASSIGN_OR_RETURN(e.owner, ScalarField(node, "owner", file));
  ASSIGN_OR_RETURN(e.subject, ScalarField(node, "subject", file));
  ASSIGN_OR_RETURN(e.justification, ScalarField(node, "justification", file));
  ASSIGN_OR_RETURN(e.by, ScalarField(node, "by", file));
  ASSIGN_OR_RETURN(e.date, ScalarField(node, "date", file));
  ASSIGN_OR_RETURN(e.expires, ScalarField(node, "expires", file));

  if (e.justification.empty() || IsPlaceholder(e.justification)) {
    return EntryError(file, e.line,
                      "justification is required: the reason a person accepts this finding "
                      "(found '" +
                          e.justification + "')");
  }
  if (e.by.empty() || IsPlaceholder(e.by)) {
    return EntryError(file, e.line, "by is required: who accepted the finding");
  }
  if (!IsDate(e.date)) {
    return EntryError(file, e.line, "date must be YYYY-MM-DD (found '" + e.date + "')");
  }
  if (!e.expires.empty() && !IsDate(e.expires)) {
    return EntryError(file, e.line, "expires must be YYYY-MM-DD (found '" + e.expires + "')");
  }
  if (!e.id.empty() && !IsFindingId(e.id)) {
    return EntryError(
        file, e.line,
        "id must be 16 lower-case hex digits, as in report.json (found '" + e.id + "')");
  }
  if (!e.item.empty()) {
    const auto ids = ItemIds();
    if (std::find(ids.begin(), ids.end(), e.item) == ids.end()) {
      return EntryError(file, e.line, "unknown item '" + e.item + "' (IM-1.1 ... IM-6.5)");
    }
    // Both given: they must agree, so a copy-paste slip is caught rather than matching nothing.
    const std::string computed = FindingId(e.item, e.owner.empty() ? "app" : e.owner, e.subject);
    if (!e.id.empty() && e.id != computed) {
      return EntryError(file, e.line,
                        "id " + e.id + " is not the id of " + e.item + "|" +
                            (e.owner.empty() ? "app" : e.owner) + "|" + e.subject + " (" +
                            computed + ")");
    }
    e.id = computed;
  } else if (e.id.empty()) {
    return EntryError(file, e.line, "an entry needs an id or an item (with owner and subject)");
  } else if (!e.owner.empty() || !e.subject.empty()) {
    return EntryError(file, e.line, "owner and subject need an item");
  }
  return e;
}

// A YAML double-quoted scalar: quotes, backslashes and control characters escaped.
std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20 || c == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace

Result<Baseline> ParseBaseline(std::string_view text, std::string_view file) {
  int error_line = 0;
  Result<knowledge::YamlDocument> doc = knowledge::YamlDocument::Parse(text, &error_line);
  if (!doc.ok()) return EntryError(file, error_line, std::string(doc.status().message()));
  const YamlNode root = doc->root();
  if (!root.IsMap()) {
    return EntryError(file, root ? root.line() : 1,
                      std::string("a baseline is a mapping with schema: ") + kBaselineSchema +
                          " and entries: [...]");
  }
  for (size_t i = 0; i < root.size(); ++i) {
    const std::string key = root.KeyAt(i).Scalar();
    if (key != "schema" && key != "entries") {
      return EntryError(file, root.KeyAt(i).line(), "unknown key '" + key + "' (schema, entries)");
    }
  }
  const YamlNode schema = root["schema"];
  if (!schema || !schema.IsScalar() || schema.Scalar() != kBaselineSchema) {
    return EntryError(file, schema ? schema.line() : root.line(),
                      std::string("schema must be ") + kBaselineSchema);
  }
  const YamlNode entries = root["entries"];
  Baseline b;
  b.file = std::string(file);
  if (!entries || entries.IsNull()) return b;  // an empty baseline accepts nothing
  if (!entries.IsSequence()) return EntryError(file, entries.line(), "entries must be a list");
  std::map<std::string, int> seen;  // id -> line
  for (const YamlNode& node : entries) {
    ASSIGN_OR_RETURN(BaselineEntry e, ParseEntry(node, file));
    if (auto [it, fresh] = seen.emplace(e.id, e.line); !fresh) {
      return EntryError(
          file, e.line,
          "finding " + e.id + " is already accepted at line " + std::to_string(it->second));
    }
    b.entries.push_back(std::move(e));
  }
  return b;
}

Result<Baseline> ReadBaseline(const std::string& path, const Limits& limits) {
  Result<std::string> text = ReadFileToString(path, limits.max_baseline_bytes);
  if (!text.ok()) {
    Status s = std::move(text).TakeStatus();
    if (s.file().empty()) s.InFile(path);
    return s;
  }
  return ParseBaseline(*text, path);
}

bool IsOpen(const Finding& f) {
  return f.verdict == Verdict::kViolation || f.verdict == Verdict::kNeedsDynamic ||
         f.verdict == Verdict::kNeedsManual;
}

BaselineOutcome ApplyBaseline(const Baseline& baseline, std::string_view today,
                              std::span<ItemResult> items) {
  BaselineOutcome out;
  out.file = baseline.file;
  std::map<std::string_view, const BaselineEntry*> live;
  for (const BaselineEntry& e : baseline.entries) {
    if (!e.expires.empty() && !(today < std::string_view(e.expires))) {
      out.expired.push_back(e);
    } else {
      live.emplace(e.id, &e);
    }
  }
  std::set<std::string_view> used;
  for (ItemResult& item : items) {
    for (Finding& f : item.findings) {
      if (!IsOpen(f)) continue;
      const std::string id = FindingId(item.id, f.owner, f.subject);
      auto it = live.find(id);
      if (it == live.end()) continue;
      const BaselineEntry& e = *it->second;
      f.suppression = Suppression{e.justification, e.by, e.date, e.expires, baseline.file, e.line};
      used.insert(it->first);
      out.suppressed++;
    }
  }
  for (const auto& [id, e] : live) {
    if (!used.count(id)) out.stale.push_back(*e);
  }
  std::sort(out.stale.begin(), out.stale.end(),
            [](const BaselineEntry& a, const BaselineEntry& b) { return a.line < b.line; });
  return out;
}

std::string RenderBaselineYaml(std::span<const ItemResult> items, std::string_view today) {
  std::string out;
  out += "# piaudit baseline: findings accepted for a release gate (docs/baseline.md).\n";
  out += "# Replace every TODO with the reason and who accepts it, and delete the entries\n";
  out += "# that are not accepted: piaudit refuses this file while a TODO is left.\n";
  out += "schema: ";
  out += kBaselineSchema;
  out += "\nentries:\n";
  std::set<std::string> written;
  for (const ItemResult& item : items) {
    for (const Finding& f : item.findings) {
      if (!IsOpen(f)) continue;
      const std::string id = FindingId(item.id, f.owner, f.subject);
      if (!written.insert(id).second) continue;
      out += "  - id: " + id + "\n";
      out += "    item: " + Quote(item.id) + "\n";
      out += "    owner: " + Quote(f.owner) + "\n";
      out += "    subject: " + Quote(f.subject) + "\n";
      std::string verdict(VerdictName(f.verdict));
      if (f.verdict == Verdict::kViolation) verdict += "/" + std::string(StrengthName(f.strength));
      out += "    # " + verdict + "\n";
      if (f.suppression) {  // already accepted: keep the person's reason
        out += "    justification: " + Quote(f.suppression->justification) + "\n";
        out += "    by: " + Quote(f.suppression->by) + "\n";
        out += "    date: " + f.suppression->date + "\n";
        if (!f.suppression->expires.empty()) {
          out += "    expires: " + f.suppression->expires + "\n";
        }
      } else {
        out += "    justification: \"TODO\"\n";
        out += "    by: \"TODO\"\n";
        out += "    date: " + std::string(today) + "\n";
      }
    }
  }
  return out;
}

}  // namespace piaudit::rules
