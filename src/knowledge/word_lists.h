// Word lists of the knowledge base that the analysis and the APK readers match against an app's
// texts, names and code (data/consent_words.yaml, data/permission_requests.yaml). Plain data: the
// matching stays with the code that does it (analysis/method_scan.cc, analysis/consent_gate.cc,
// analysis/strings_urls.cc, analysis/permission_requests.cc, apk/layout_facts.cc,
// apk/policy_locate.cc); this header only says what each list is for and how it is matched, so a
// regulator can add a word without a compiler. docs/knowledge.md describes the files.
//
// Two matching conventions, fixed per list (the loader checks the words fit theirs):
//   caseless: ASCII letters match in either case and are written lower-case in the data; every
//             other byte (Chinese text) matches exactly;
//   exact:    byte for byte; list each capitalisation that should match ("privacy", "Privacy").
// Every list matches a word as a substring.
#ifndef PIAUDIT_KNOWLEDGE_WORD_LISTS_H_
#define PIAUDIT_KNOWLEDGE_WORD_LISTS_H_

#include <string>
#include <vector>

#include "knowledge/data_location.h"

namespace piaudit::knowledge {

// One list: its words, in file order, and where it was defined.
struct WordList {
  std::vector<std::string> words;
  std::string note;
  std::string source;
  DataLocation where;
};

// A word that counts only where it is not part of a longer negated form that contains it: 同意
// counts when it occurs more often than 不同意 does. `unless` is empty for plain words.
struct CountedWord {
  std::string word;
  std::string unless;
};

// Words that say yes, and words that cancel them. A text says yes when a word with `unless`
// occurs more often than its `unless`, or when a plain word occurs and no `veto` word does
// ("agree" inside "disagree"). Caseless.
struct VetoedWords {
  std::vector<CountedWord> words;
  std::vector<std::string> veto;
  std::string note;
  std::string source;
  DataLocation where;
};

// Words worth `weight` points when any of them occurs (once per group).
struct WeightedWords {
  int weight = 0;
  std::vector<std::string> words;
};

// How policy-like an HTML/text file bundled in an APK is (apk/policy_locate.cc). A file counts as
// a policy at `min_score` points or more.
struct BundledPolicyWords {
  // Words of the entry name (caseless).
  WeightedWords file_name;
  // Words of the content: words with an ASCII letter are caseless and looked for in the first MiB
  // of the text; the others exactly, anywhere.
  std::vector<WeightedWords> text;
  int min_score = 0;
  std::string note;
  std::string source;
  DataLocation where;
};

// data/consent_words.yaml: how an app shows a privacy policy, a user agreement or a consent
// choice. Each list has one meaning and one reader; lists that look alike (privacy_text,
// consent_text, policy_url_context) are kept apart because their readers match differently and
// merging them would change what is found (docs/knowledge.md says why for each).
struct ConsentWords {
  // A text that names the privacy policy or user agreement itself: a consent dialog's string
  // constants and resources (analysis IsPrivacyText). Caseless.
  WordList privacy_text;
  // Button or dialog text that accepts (analysis HasAgreeWord).
  VetoedWords agree;
  // Button or dialog text that declines (analysis HasDisagreeWord). Caseless.
  WordList disagree;
  // A view id name of an agree button without text (consent gate: "btn_agree", not
  // "btn_disagree").
  VetoedWords agree_view_ids;
  // A SharedPreferences/MMKV key that stores the consent flag ("privacy_agreed"). Caseless.
  WordList consent_keys;
  // Host and path of a URL that points at a privacy policy (analysis strings_urls). Caseless.
  WordList policy_url_path;
  // Text around a URL that says it is a privacy-policy link (analysis strings_urls). Exact.
  WordList policy_url_context;
  // A user agreement or terms of service: in a URL's host and path, or the text around it, it
  // makes the URL worth listing, never a privacy policy by itself (analysis strings_urls).
  // Caseless.
  WordList agreement_url_words;
  // A licence or open-source notice: a URL path or a bundled file name with one of these is
  // never the privacy policy (analysis strings_urls, apk policy_locate). Caseless.
  WordList not_policy_names;
  // Text next to a checkbox in a layout that makes it a consent box (apk layout_facts). Exact.
  WordList consent_text;
  // A privacy policy bundled as a file or a long string resource (apk policy_locate).
  BundledPolicyWords bundled_policy;
  // A line of a privacy policy that states its own date or version ("更新日期：2024年1月1日",
  // "版本：V2.1"): compared between two versions of the policy (compare/version_compare). Exact.
  WordList policy_statement;
  // A string or layout text that announces a new version or an update (更新, 新版本): together
  // with a privacy_text word it hints at a notice of a changed policy (compare). Exact.
  WordList change_notice;
};

// data/permission_requests.yaml `methods`: a method whose call shows the system permission prompt.
// data/runtime/runtime_words.yaml: words for reading recordings of the app running (src/runtime).
struct RuntimeWords {
  // Package prefixes of the platform's stack frames (android., java., kotlin. ...): the owner of a
  // recorded call is the innermost frame outside them. Exact; a prefix ending in '.' covers what
  // starts with it, another covers that package and its sub-packages.
  WordList framework_frames;
};

struct PermissionRequestMethod {
  std::string name;        // "requestPermissions"
  bool any_class = false;  // a call counts on any class, not only on `classes`
  std::string note;
  std::string source;
  DataLocation where;
};

// data/permission_requests.yaml `classes`: a class (or package) whose request methods show it.
struct PermissionRequestClass {
  std::string prefix;  // type-descriptor prefix: "Landroid/app/Activity;", "Lcom/permissionx/"
  std::string note;
  std::string source;
  DataLocation where;
};

// Runtime-permission requests: the framework's and the wrapper libraries Chinese apps use
// (analysis/permission_requests.cc). A call is a request when its method name is listed and either
// that entry says any_class or the invoked class starts with a listed prefix.
struct PermissionRequestApis {
  std::vector<PermissionRequestMethod> methods;
  std::vector<PermissionRequestClass> classes;
};

}  // namespace piaudit::knowledge

#endif  // PIAUDIT_KNOWLEDGE_WORD_LISTS_H_
