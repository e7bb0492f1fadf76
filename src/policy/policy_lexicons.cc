// The policy lexicons built from data/policy/lexicon.yaml and jargon.txt; see policy_lexicons.h.
#include "policy/policy_lexicons.h"

#include <algorithm>
#include <optional>

#include "knowledge/knowledge_base.h"
#include "knowledge/policy_data.h"
#include "policy/segmenter.h"

namespace piaudit::policy {
namespace {

using knowledge::LexiconKind;

void AddList(const std::vector<std::string>& words, std::string_view id, knowledge::Lexicon* lex) {
  for (const std::string& w : words)
    lex->Add(w, LexiconKind::kPiType, id, PolicyLexicons::kCueGroup);
}

std::vector<std::u32string> ToU32List(const std::vector<std::string>& words) {
  std::vector<std::u32string> out;
  for (const std::string& w : words) out.push_back(ToU32(w));
  return out;
}

}  // namespace

Result<PolicyLexicons> LoadPolicyLexicons(const knowledge::KnowledgeBase* kb,
                                          const std::string& kb_dir) {
  PolicyLexicons out;
  // Read and checked with the knowledge base (or here, without one) by the loader `kb check`
  // uses; every list the code below reads is required there.
  std::optional<knowledge::PolicyLexiconData> own;
  if (kb == nullptr) {
    ASSIGN_OR_RETURN(own, knowledge::LoadPolicyLexicon(kb_dir, nullptr));
  }
  const knowledge::PolicyLexiconData& data = kb != nullptr ? kb->policy_words() : *own;
  // The cue automaton, in a fixed order of lists (matches report their ids in this order).
  static constexpr const char* kLists[] = {"negation",
                                           "optional",
                                           "required",
                                           "function_starts",
                                           "function_ends",
                                           "purpose_starts",
                                           "right_subjects",
                                           "complaint_cues",
                                           "online_service",
                                           "phone_cues",
                                           "address_cues",
                                           "path_cues",
                                           "sdk_cues",
                                           "third_party_cues",
                                           "time_after",
                                           "time_before",
                                           "personalization",
                                           "right_refusals",
                                           "condition_mandatory",
                                           "contact_invitations",
                                           "inquiry_cues",
                                           "policy_link_cues",
                                           "time_notice",
                                           "contact_address_cues"};
  for (const char* k : kLists) AddList(data.List(k), k, &out.terms);
  static constexpr std::pair<const char*, const char*> kMaps[] = {{"rights", "right"},
                                                                  {"conditions", "cond"},
                                                                  {"time_subjects", "tsubj"},
                                                                  {"permission_groups", "perm"}};
  for (const auto& [key, prefix] : kMaps) {
    for (const knowledge::PolicyWordList& l : data.Map(key)) {
      AddList(l.words, std::string(prefix) + ":" + l.name, &out.terms);
    }
  }
  for (const std::string& a : data.List("ambiguous_terms")) out.ambiguous.insert(a);
  for (const knowledge::PolicyWordList& l : data.Map("permission_groups")) {
    out.group_members[l.name];
  }
  AddList(data.jargon, "jargon", &out.terms);

  out.ambiguous_followers = data.List("ambiguous_followers");
  out.sdk_table_markers = data.List("sdk_table_markers");
  static constexpr std::pair<const char*, PolicyLexicons::TableRole> kRoles[] = {
      {"link", PolicyLexicons::kLinkColumn},
      {"purpose", PolicyLexicons::kPurposeColumn},
      {"provider", PolicyLexicons::kProviderColumn},
      {"data", PolicyLexicons::kDataColumn},
      {"name", PolicyLexicons::kNameColumn}};
  for (const knowledge::PolicyWordList& l : data.Map("table_columns")) {
    for (const auto& [name, role] : kRoles) {
      if (l.name == name) out.table_columns[role] = l.words;
    }
  }
  for (const std::string& c : data.List("address_chars")) out.address_chars += ToU32(c);
  for (size_t r = 0; r < out.table_columns.size(); ++r)
    out.table_columns32[r] = ToU32List(out.table_columns[r]);
  out.sdk_table_markers32 = ToU32List(out.sdk_table_markers);
  out.company_suffixes = ToU32List(data.List("company_suffixes"));
  out.company_lead_words = ToU32List(data.List("company_lead_words"));
  out.path_starts = ToU32List(data.List("path_starts"));
  out.contact_headings = data.List("contact_headings");
  for (const std::string& w : data.List("first_party_words")) out.first_party_words.insert(w);
  for (const std::string& w : data.List("data_subject_words")) out.data_subject_words.insert(w);
  out.id_card_data_followers = ToU32List(data.List("id_card_data_followers"));

  if (kb != nullptr) {
    out.has_kb = true;
    // A copy, so the analyser does not depend on the KB's lifetime.
    for (const knowledge::PiType& t : kb->pi_types()) {
      out.terms.Add(t.zh, LexiconKind::kPiType, t.id, PolicyLexicons::kKbGroup);
      for (const std::string& s : t.synonyms)
        out.terms.Add(s, LexiconKind::kPiType, t.id, PolicyLexicons::kKbGroup);
    }
    for (const knowledge::Sdk& s : kb->sdks()) {
      for (const std::string& n : s.policy_names)
        out.terms.Add(n, LexiconKind::kSdk, s.id, PolicyLexicons::kKbGroup);
      // The Chinese display name names the SDK too (友盟统计); an ASCII one (Exodus entries copy
      // the English name: Branch, Adjust, Split) only through policy_names, which keep such
      // common words out ("Adjust SDK").
      const bool chinese_name =
          std::any_of(s.zh.begin(), s.zh.end(), [](char c) { return (c & 0x80) != 0; });
      if (chinese_name) out.terms.Add(s.zh, LexiconKind::kSdk, s.id, PolicyLexicons::kKbGroup);
      out.sdk_info[s.id] = {s.provider, s.privacy_policy};
    }
    for (const knowledge::Permission& p : kb->permissions()) {
      out.terms.Add(p.name, LexiconKind::kPiType, "perm:" + p.name, PolicyLexicons::kCueGroup);
      if (!p.group.empty()) {
        auto it = out.group_members.find("android.permission-group." + p.group);
        if (it != out.group_members.end()) it->second.push_back(p.name);
      }
    }
  }
  out.terms.Build();
  return out;
}

}  // namespace piaudit::policy
