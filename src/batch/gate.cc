#include "batch/gate.h"

#include <algorithm>
#include <regex>

#include "base/limits.h"
#include "base/mapped_file.h"
#include "knowledge/yaml_tree.h"

namespace piaudit::batch {
namespace {

using knowledge::YamlNode;

Status BadGate(const std::string& file, int line, const std::string& message) {
  return InvalidInput(message).At(file, "line " + std::to_string(line), 0);
}

Result<std::vector<std::string>> Strings(const YamlNode& node, const std::string& file,
                                         const char* key) {
  if (!node.IsSequence()) return BadGate(file, node.line(), std::string(key) + ": expected a list");
  std::vector<std::string> out;
  for (YamlNode v : node) {
    if (!v.IsScalar()) return BadGate(file, v.line(), std::string(key) + ": expected a name");
    out.push_back(v.Scalar());
  }
  return out;
}

Result<rules::Verdict> ParseVerdict(const std::string& name, const std::string& file, int line) {
  for (rules::Verdict v :
       {rules::Verdict::kViolation, rules::Verdict::kCompliant, rules::Verdict::kNeedsDynamic,
        rules::Verdict::kNeedsManual, rules::Verdict::kNotApplicable}) {
    if (rules::VerdictName(v) == name) return v;
  }
  return BadGate(file, line,
                 "unknown verdict '" + name +
                     "' (allowed: violation, compliant, needs-dynamic, needs-manual, "
                     "not-applicable)");
}

Result<std::vector<GateRule>> ParseRules(const YamlNode& list, const std::string& file,
                                         const char* key) {
  std::vector<GateRule> rules_out;
  if (!list) return rules_out;
  if (!list.IsSequence()) return BadGate(file, list.line(), std::string(key) + ": expected a list");
  static const std::regex kItemId(R"(IM-[1-6]\.[0-9])");
  for (YamlNode node : list) {
    if (!node.IsMap()) return BadGate(file, node.line(), std::string(key) + ": expected a map");
    GateRule rule;
    rule.line = node.line();
    for (size_t i = 0; i < node.size(); ++i) {
      const std::string k = node.KeyAt(i).Scalar();
      const YamlNode v = node.ValueAt(i);
      if (k == "items") {
        Result<std::vector<std::string>> items = Strings(v, file, "items");
        if (!items.ok()) return items.status();
        for (const std::string& id : *items) {
          if (!std::regex_match(id, kItemId)) {
            return BadGate(file, v.line(),
                           "unknown item '" + id + "' (expected IM-1.1 ... IM-6.5)");
          }
        }
        rule.items = *items;
      } else if (k == "verdicts") {
        Result<std::vector<std::string>> names = Strings(v, file, "verdicts");
        if (!names.ok()) return names.status();
        for (const std::string& n : *names) {
          Result<rules::Verdict> verdict = ParseVerdict(n, file, v.line());
          if (!verdict.ok()) return verdict.status();
          rule.verdicts.push_back(*verdict);
        }
      } else if (k == "strength") {
        const std::string s = v.Scalar();
        if (s == "likely") {
          rule.strength = rules::Strength::kLikely;
        } else if (s == "confirmed") {
          rule.strength = rules::Strength::kConfirmed;
        } else {
          return BadGate(file, v.line(),
                         "unknown strength '" + s + "' (allowed: likely, confirmed)");
        }
      } else {
        return BadGate(file, node.KeyAt(i).line(),
                       "unknown key '" + k + "' (allowed: items, verdicts, strength)");
      }
    }
    rules_out.push_back(std::move(rule));
  }
  return rules_out;
}

bool Matches(const GateRule& rule, const rules::ItemResult& item) {
  if (!rule.items.empty() &&
      std::find(rule.items.begin(), rule.items.end(), item.id) == rule.items.end()) {
    return false;
  }
  if (!rule.verdicts.empty()) {
    return std::find(rule.verdicts.begin(), rule.verdicts.end(), item.verdict) !=
           rule.verdicts.end();
  }
  return item.verdict == rules::Verdict::kViolation && item.strength >= rule.strength;
}

std::string Reason(const char* decision, const Gate& gate, const GateRule& rule,
                   const rules::ItemResult& item) {
  std::string verdict(rules::VerdictName(item.verdict));
  if (item.verdict == rules::Verdict::kViolation) {
    verdict += " (" + std::string(rules::StrengthName(item.strength)) + ")";
  }
  return std::string(decision) + ": " + item.id + " " + verdict + ", " + gate.file + ":" +
         std::to_string(rule.line);
}

}  // namespace

Result<Gate> ParseGate(const std::string& text, const std::string& file_name) {
  int error_line = 0;
  Result<knowledge::YamlDocument> doc = knowledge::YamlDocument::Parse(text, &error_line);
  if (!doc.ok()) return BadGate(file_name, error_line, std::string(doc.status().message()));
  YamlNode root = doc->root();
  if (!root.IsMap()) return BadGate(file_name, root.line(), "expected a map");
  if (root["schema"].Scalar() != "piaudit.gate/1") {
    return BadGate(file_name, root.line(), "schema: expected piaudit.gate/1");
  }
  for (size_t i = 0; i < root.size(); ++i) {
    const std::string k = root.KeyAt(i).Scalar();
    if (k != "schema" && k != "block" && k != "review") {
      return BadGate(file_name, root.KeyAt(i).line(),
                     "unknown key '" + k + "' (allowed: schema, block, review)");
    }
  }
  Gate gate;
  gate.file = file_name;
  Result<std::vector<GateRule>> block = ParseRules(root["block"], file_name, "block");
  if (!block.ok()) return block.status();
  Result<std::vector<GateRule>> review = ParseRules(root["review"], file_name, "review");
  if (!review.ok()) return review.status();
  gate.block = std::move(*block);
  gate.review = std::move(*review);
  return gate;
}

Result<Gate> LoadGate(const std::string& path) {
  // A gate is a page of rules; 1 MB is far past any real one.
  Result<std::string> text = ReadFileToString(path, 1 << 20);
  if (!text.ok()) return text.status();
  return ParseGate(*text, path);
}

GateDecision Decide(const Gate& gate, const std::vector<rules::ItemResult>& items) {
  GateDecision d;
  for (const char* decision : {"block", "review"}) {
    const std::vector<GateRule>& rules_list = decision[0] == 'b' ? gate.block : gate.review;
    for (const rules::ItemResult& item : items) {
      for (const GateRule& rule : rules_list) {
        if (Matches(rule, item)) {
          d.reasons.push_back(Reason(decision, gate, rule, item));
          break;
        }
      }
    }
    if (!d.reasons.empty()) {
      d.decision = decision;
      return d;
    }
  }
  d.decision = "pass";
  return d;
}

}  // namespace piaudit::batch
