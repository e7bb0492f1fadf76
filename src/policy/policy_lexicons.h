// The word lists the policy analyser matches, compiled once into one Aho-Corasick automaton:
//   * from the knowledge base: PI-type synonyms and SDK policy names (kb.lexicon()), permission
//     names and their enforcement wording (data/permissions.yaml);
//   * from data/policy/lexicon.yaml: negation/optional/required cues, function and purpose cues,
//     right phrases and conditions, channel cues, Chinese permission-group names, time-limit cues;
//   * from data/policy/jargon.txt: technical terms for the readability figures;
//   * from the end of lexicon.yaml: the words the pattern code matches exactly (table columns,
//     company names, in-app paths, postal addresses, SDK tables, ambiguous-term followers).
// Every cue is one Lexicon term whose id is "<group>" or "<group>:<name>" (e.g. "right:deletion",
// "cond:id_card", "perm:android.permission-group.CAMERA", "jargon").
// The files are read and checked by src/knowledge/policy_data.h (the loader `piaudit kb check`
// uses); with a knowledge base they were loaded with it.
#ifndef PIAUDIT_POLICY_POLICY_LEXICONS_H_
#define PIAUDIT_POLICY_POLICY_LEXICONS_H_

#include <array>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/string_hash.h"
#include "knowledge/lexicon.h"

namespace piaudit::knowledge {
class KnowledgeBase;
}

namespace piaudit::policy {

struct PolicyLexicons {
  // One automaton for both word lists, told apart by the match's group, so the text is scanned
  // once: kKbGroup holds PI types (kPiType) and SDKs (kSdk), none without a KB; kCueGroup holds
  // everything else, ids as above.
  static constexpr uint8_t kKbGroup = 0;
  static constexpr uint8_t kCueGroup = 1;
  knowledge::Lexicon terms;
  bool has_kb = false;
  // android.permission-group.X -> member permission names from the KB (may be empty).
  std::map<std::string, std::vector<std::string>> group_members;
  // Terms of the KB lexicon that count only before 信息/权限/数据/SDK (lexicon.yaml
  // ambiguous_terms). Looked up once per knowledge-base match (millions on a large policy): a
  // hash set searched by string_view, without building a string.
  StringSet ambiguous;
  // SDK id -> provider / privacy policy URL from the catalogue.
  std::map<std::string, std::pair<std::string, std::string>> sdk_info;

  // Matched exactly by the pattern code (lexicon.yaml, the lists at its end):
  std::vector<std::string> ambiguous_followers;  // what must follow an ambiguous term
  std::vector<std::string> sdk_table_markers;    // a table row or header that says SDK
  // table_columns words per role, in the order the roles are tried.
  enum TableRole { kLinkColumn, kPurposeColumn, kProviderColumn, kDataColumn, kNameColumn };
  std::array<std::vector<std::string>, 5> table_columns;
  // The same words as code points, for the text SDK-list parser (sdk_list.h).
  std::array<std::vector<std::u32string>, 5> table_columns32;
  std::vector<std::u32string> sdk_table_markers32;
  std::u32string address_chars;                  // one of them makes a postal address
  std::vector<std::u32string> company_suffixes;  // "有限公司"
  std::vector<std::u32string> company_lead_words;
  std::vector<std::u32string> path_starts;             // first segment of an in-app path
  std::vector<std::string> contact_headings;           // a heading that opens the contact section
  std::vector<std::u32string> id_card_data_followers;  // 身份证号: an ID number named as data
  // A labelled handler/receiver span equal to one of these is the first party / the user.
  std::set<std::string, std::less<>> first_party_words;
  std::set<std::string, std::less<>> data_subject_words;
};

// kb may be null. With a knowledge base the lists are kb->policy_words(); without one,
// kb_dir/policy/lexicon.yaml and kb_dir/policy/jargon.txt are read with the same loader.
Result<PolicyLexicons> LoadPolicyLexicons(const knowledge::KnowledgeBase* kb,
                                          const std::string& kb_dir);

}  // namespace piaudit::policy

#endif  // PIAUDIT_POLICY_POLICY_LEXICONS_H_
