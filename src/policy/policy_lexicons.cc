// Loading of data/policy/lexicon.yaml and jargon.txt; see policy_lexicons.h.
#include "policy/policy_lexicons.h"

#include "base/mapped_file.h"
#include "knowledge/knowledge_base.h"
#include "knowledge/yaml_tree.h"

namespace piaudit::policy {
namespace {

using knowledge::LexiconKind;
using knowledge::YamlNode;

Status AddList(const YamlNode& node, std::string_view id, knowledge::Lexicon* lex,
               const std::string& file, const std::string& key) {
  if (!node) return Status::Ok();
  if (!node.IsSequence())
    return InvalidInput("'" + key + "' must be a list").At(file, key, node.line());
  for (const YamlNode& n : node) {
    if (!n.IsScalar())
      return InvalidInput("'" + key + "' entries must be strings").At(file, key, n.line());
    lex->Add(n.Scalar(), LexiconKind::kPiType, id);
  }
  return Status::Ok();
}

Status AddMap(const YamlNode& node, const std::string& prefix, knowledge::Lexicon* lex,
              const std::string& file, const std::string& key) {
  if (!node) return Status::Ok();
  if (!node.IsMap()) return InvalidInput("'" + key + "' must be a map").At(file, key, node.line());
  for (size_t i = 0; i < node.size(); ++i) {
    std::string name = node.KeyAt(i).Scalar();
    RETURN_IF_ERROR(AddList(node.ValueAt(i), prefix + ":" + name, lex, file, key + "." + name));
  }
  return Status::Ok();
}

}  // namespace

Result<PolicyLexicons> LoadPolicyLexicons(const knowledge::KnowledgeBase* kb,
                                          const std::string& kb_dir) {
  PolicyLexicons out;
  const std::string file = kb_dir + "/policy/lexicon.yaml";
  ASSIGN_OR_RETURN(std::string yaml_text, ReadFileToString(file, 4u << 20));
  int error_line = 0;
  auto doc = knowledge::YamlDocument::Parse(yaml_text, &error_line);
  if (!doc.ok()) return Status(doc.status()).At(file, "", error_line);
  const YamlNode root = doc->root();
  if (!root.IsMap()) return InvalidInput("top level must be a map").At(file, "", 1);
  static constexpr const char* kLists[] = {
      "negation",       "optional",       "required",       "function_starts",  "function_ends",
      "purpose_starts", "right_subjects", "complaint_cues", "online_service",   "phone_cues",
      "address_cues",   "path_cues",      "sdk_cues",       "third_party_cues", "time_after",
      "time_before",    "personalization"};
  for (const char* k : kLists) RETURN_IF_ERROR(AddList(root[k], k, &out.cues, file, k));
  RETURN_IF_ERROR(AddMap(root["rights"], "right", &out.cues, file, "rights"));
  RETURN_IF_ERROR(AddMap(root["conditions"], "cond", &out.cues, file, "conditions"));
  RETURN_IF_ERROR(AddMap(root["time_subjects"], "tsubj", &out.cues, file, "time_subjects"));
  RETURN_IF_ERROR(AddMap(root["permission_groups"], "perm", &out.cues, file, "permission_groups"));
  if (const YamlNode amb = root["ambiguous_terms"]) {
    if (!amb.IsSequence())
      return InvalidInput("'ambiguous_terms' must be a list")
          .At(file, "ambiguous_terms", amb.line());
    for (const YamlNode& n : amb) out.ambiguous.insert(n.Scalar());
  }
  const YamlNode groups = root["permission_groups"];
  for (size_t i = 0; i < groups.size(); ++i) out.group_members[groups.KeyAt(i).Scalar()];

  const std::string jfile = kb_dir + "/policy/jargon.txt";
  ASSIGN_OR_RETURN(std::string jargon, ReadFileToString(jfile, 1u << 20));
  size_t pos = 0;
  while (pos < jargon.size()) {
    size_t e = jargon.find('\n', pos);
    if (e == std::string::npos) e = jargon.size();
    std::string_view line(jargon.data() + pos, e - pos);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (!line.empty() && line[0] != '#') out.cues.Add(line, LexiconKind::kPiType, "jargon");
    pos = e + 1;
  }

  if (kb != nullptr) {
    out.has_kb = true;
    // A copy, so the analyser does not depend on the KB's lifetime.
    for (const knowledge::PiType& t : kb->pi_types()) {
      out.kb_terms.Add(t.zh, LexiconKind::kPiType, t.id);
      for (const std::string& s : t.synonyms) out.kb_terms.Add(s, LexiconKind::kPiType, t.id);
    }
    for (const knowledge::Sdk& s : kb->sdks()) {
      for (const std::string& n : s.policy_names) out.kb_terms.Add(n, LexiconKind::kSdk, s.id);
      if (!s.zh.empty()) out.kb_terms.Add(s.zh, LexiconKind::kSdk, s.id);
      out.sdk_info[s.id] = {s.provider, s.privacy_policy};
    }
    for (const knowledge::Permission& p : kb->permissions()) {
      out.cues.Add(p.name, LexiconKind::kPiType, "perm:" + p.name);
      if (!p.group.empty()) {
        auto it = out.group_members.find("android.permission-group." + p.group);
        if (it != out.group_members.end()) it->second.push_back(p.name);
      }
    }
  }
  out.kb_terms.Build();
  out.cues.Build();
  return out;
}

}  // namespace piaudit::policy
