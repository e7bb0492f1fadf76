// Loaders of data/consent_words.yaml and data/permission_requests.yaml (see word_lists.h for what
// each list means and docs/knowledge.md for the file formats).
//
// consent_words.yaml keeps its lists under `lists:`, keyed by the list's name; every name the code
// reads is required and no other is allowed, so a typo in a name is an error rather than a list
// nobody reads. Each word is checked against the matching convention of its list.
#include <algorithm>
#include <map>
#include <set>
#include <span>

#include "knowledge/internal/word_list_loaders.h"

namespace piaudit::knowledge::internal {
namespace {

bool HasUpperAscii(const std::string& s) {
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') return true;
  }
  return false;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Checks every word of `words` (read from `key` of `o`) and reports duplicates.
void CheckWords(const Obj& o, const char* key, const std::vector<std::string>& words,
                bool caseless) {
  std::set<std::string> seen;
  const YamlNode n = o.Get(key);
  for (size_t i = 0; i < words.size(); ++i) {
    const YamlNode at = n.IsSequence() && i < n.size() ? n[i] : n;
    std::string why = CheckWord(words[i], caseless);
    if (why.empty() && !seen.insert(words[i]).second) why = "listed twice";
    if (!why.empty()) o.Fail(at, std::string(key) + ": '" + words[i] + "': " + why);
  }
}

// A plain list: {note, source, words}.
void ReadWordList(const File& f, const YamlNode& n, const std::string& name, bool caseless,
                  WordList* out) {
  Obj o(f, n, "list '" + name + "'", {"note", "source", "words"});
  if (!o.ok()) return;
  out->where = {f.path, o.line()};
  o.Str("note", &out->note, false);
  o.Str("source", &out->source, true);
  if (o.StrList("words", &out->words, true)) {
    if (out->words.empty()) o.Fail(o.Get("words"), "words: the list is empty");
    CheckWords(o, "words", out->words, caseless);
  }
}

// {note, source, words, veto}; a word is a string or {word, unless}. Always caseless.
void ReadVetoedWords(const File& f, const YamlNode& n, const std::string& name, VetoedWords* out) {
  Obj o(f, n, "list '" + name + "'", {"note", "source", "words", "veto"});
  if (!o.ok()) return;
  out->where = {f.path, o.line()};
  o.Str("note", &out->note, false);
  o.Str("source", &out->source, true);
  const YamlNode words = o.Get("words");
  if (!words.IsDefined() || words.IsNull()) {
    o.Fail("missing required field 'words'");
  } else if (!words.IsSequence() || words.size() == 0) {
    o.Fail(words, "words: expected a non-empty list");
  } else {
    std::set<std::string> seen;
    for (const YamlNode& e : words) {
      CountedWord w;
      if (e.IsNull()) {
        o.Fail(e, "words: empty word");
        continue;
      }
      if (e.IsScalar()) {
        w.word = e.Scalar();
      } else {
        Obj wo(f, e, o.what() + " word", {"word", "unless"});
        if (!wo.ok() || !wo.Str("word", &w.word, true)) continue;
        if (wo.Str("unless", &w.unless, true)) {
          if (const std::string why = CheckWord(w.unless, true); !why.empty()) {
            wo.Fail(wo.Get("unless"), "unless: '" + w.unless + "': " + why);
          } else if (w.unless.find(w.word) == std::string::npos) {
            wo.Fail(wo.Get("unless"), "unless: '" + w.unless + "' does not contain '" + w.word +
                                          "' (it names the negated form of the word)");
          }
        }
      }
      std::string why = CheckWord(w.word, true);
      if (why.empty() && !seen.insert(w.word).second) why = "listed twice";
      if (!why.empty()) {
        o.Fail(e, "words: '" + w.word + "': " + why);
        continue;
      }
      out->words.push_back(std::move(w));
    }
  }
  if (o.StrList("veto", &out->veto, false)) CheckWords(o, "veto", out->veto, true);
}

bool ReadWeight(const Obj& o, const char* key, int* out) {
  if (!o.Int(key, out, true)) return false;
  if (*out < 1 || *out > 100) {
    o.Fail(o.Get(key), std::string(key) + ": " + std::to_string(*out) + " is not in 1..100");
    return false;
  }
  return true;
}

// {weight, words}: the words of a group are caseless where they have an ASCII letter.
void ReadWeightedWords(const File& f, const YamlNode& n, const std::string& what,
                       WeightedWords* out) {
  Obj o(f, n, what, {"weight", "words"});
  if (!o.ok()) return;
  ReadWeight(o, "weight", &out->weight);
  if (o.StrList("words", &out->words, true)) {
    if (out->words.empty()) o.Fail(o.Get("words"), "words: the list is empty");
    CheckWords(o, "words", out->words, true);
  }
}

void ReadBundledPolicy(const File& f, const YamlNode& n, BundledPolicyWords* out) {
  Obj o(f, n, "list 'bundled_policy'", {"note", "source", "min_score", "file_name", "text"});
  if (!o.ok()) return;
  out->where = {f.path, o.line()};
  o.Str("note", &out->note, false);
  o.Str("source", &out->source, true);
  ReadWeight(o, "min_score", &out->min_score);
  if (!o.Has("file_name")) {
    o.Fail("missing required field 'file_name'");
  } else {
    ReadWeightedWords(f, o.Get("file_name"), o.what() + " file_name", &out->file_name);
  }
  const YamlNode text = o.Get("text");
  if (!text.IsDefined() || text.IsNull()) {
    o.Fail("missing required field 'text'");
  } else if (!text.IsSequence() || text.size() == 0) {
    o.Fail(text, "text: expected a non-empty list of {weight, words}");
  } else {
    for (size_t i = 0; i < text.size(); ++i) {
      WeightedWords g;
      ReadWeightedWords(f, text[i], o.what() + " text[" + std::to_string(i) + "]", &g);
      out->text.push_back(std::move(g));
    }
  }
}

bool IsJavaIdentifier(const std::string& s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// A type-descriptor prefix: "Lpkg/Cls;" (one class) or "Lpkg/" / "Lpkg/name" (a package).
std::string CheckDescriptorPrefix(const std::string& p) {
  if (p.size() < 2 || p[0] != 'L') return "must start with 'L' (type-descriptor form)";
  for (size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '.') return "use '/' between packages, not '.'";
    if (IsSpace(c)) return "contains white space";
    if (c == ';' && i + 1 != p.size()) return "';' may only end a class descriptor";
  }
  return "";
}

}  // namespace

std::string CheckWord(const std::string& word, bool caseless) {
  if (word.empty()) return "empty word";
  if (IsSpace(word.front()) || IsSpace(word.back())) return "starts or ends with white space";
  if (caseless && HasUpperAscii(word)) {
    return "write it in lower case (this list matches ASCII letters in either case)";
  }
  return "";
}

namespace {

// The lists a `lists:` file must have, each with its reader.
enum class ListKind { kCaseless, kExact, kVetoed, kBundled };
struct ListSpec {
  const char* name;
  ListKind kind;
  void* target;
};

// A file of `version`, `sources` and `lists:` keyed by list name: every list of `specs` is
// required and no other is allowed.
void LoadNamedLists(const std::string& path, const char* label, std::span<const ListSpec> specs,
                    Errors* errors) {
  File f;
  if (!OpenYamlFile(path, errors, &f)) return;
  Obj h(f, f.root, label, {"version", "sources", "lists"});
  CheckHeader(h);
  const YamlNode lists = h.Get("lists");
  if (!lists.IsMap()) {
    f.Fail(lists.IsDefined() ? lists : f.root, "",
           "'lists' must be a mapping from list name to list");
    return;
  }
  std::set<std::string> known;
  for (const ListSpec& s : specs) known.insert(s.name);
  std::set<std::string> seen;
  for (size_t i = 0; i < lists.size(); ++i) {
    const YamlNode k = lists.KeyAt(i);
    const std::string name = k.Scalar();
    if (!seen.insert(name).second) {
      f.Fail(k, "lists", "list '" + name + "' appears twice");
    } else if (known.count(name) == 0) {
      std::string all;
      for (const ListSpec& s : specs) all += std::string(all.empty() ? "" : ", ") + s.name;
      f.Fail(k, "lists", "unknown list '" + name + "' (the code reads: " + all + ")");
    }
  }
  for (const ListSpec& s : specs) {
    const YamlNode n = lists[s.name];
    if (!n.IsDefined()) {
      f.Fail(lists, "lists", std::string("missing list '") + s.name + "'");
      continue;
    }
    switch (s.kind) {
      case ListKind::kCaseless:
      case ListKind::kExact:
        ReadWordList(f, n, s.name, s.kind == ListKind::kCaseless, static_cast<WordList*>(s.target));
        break;
      case ListKind::kVetoed:
        ReadVetoedWords(f, n, s.name, static_cast<VetoedWords*>(s.target));
        break;
      case ListKind::kBundled:
        ReadBundledPolicy(f, n, static_cast<BundledPolicyWords*>(s.target));
        break;
    }
  }
}

}  // namespace

void LoadConsentWords(const std::string& path, Errors* errors, ConsentWords* out) {
  const ListSpec specs[] = {
      {"privacy_text", ListKind::kCaseless, &out->privacy_text},
      {"agree", ListKind::kVetoed, &out->agree},
      {"disagree", ListKind::kCaseless, &out->disagree},
      {"agree_view_ids", ListKind::kVetoed, &out->agree_view_ids},
      {"consent_keys", ListKind::kCaseless, &out->consent_keys},
      {"policy_url_path", ListKind::kCaseless, &out->policy_url_path},
      {"policy_url_context", ListKind::kExact, &out->policy_url_context},
      {"agreement_url_words", ListKind::kCaseless, &out->agreement_url_words},
      {"not_policy_names", ListKind::kCaseless, &out->not_policy_names},
      {"consent_text", ListKind::kExact, &out->consent_text},
      {"bundled_policy", ListKind::kBundled, &out->bundled_policy},
      {"policy_statement", ListKind::kExact, &out->policy_statement},
      {"change_notice", ListKind::kExact, &out->change_notice},
  };
  LoadNamedLists(path, "consent_words.yaml", specs, errors);
}

void LoadRuntimeWords(const std::string& path, Errors* errors, RuntimeWords* out) {
  const ListSpec specs[] = {
      {"framework_frames", ListKind::kExact, &out->framework_frames},
  };
  LoadNamedLists(path, "runtime_words.yaml", specs, errors);
}

void LoadPermissionRequests(const std::string& path, Errors* errors, PermissionRequestApis* out) {
  File f;
  if (!OpenYamlFile(path, errors, &f)) return;
  Obj h(f, f.root, "permission_requests.yaml", {"version", "sources", "methods", "classes"});
  CheckHeader(h);
  auto each = [&](const char* key, auto fn) {
    const YamlNode list = h.Get(key);
    if (!list.IsDefined() || list.IsNull()) {
      f.Fail(f.root, "", std::string("missing top-level list '") + key + "'");
    } else if (!list.IsSequence()) {
      f.Fail(list, "", std::string("'") + key + "' must be a list of entries");
    } else {
      for (size_t i = 0; i < list.size(); ++i) fn(list[i], i);
    }
  };
  std::map<std::string, int> names;
  each("methods", [&](const YamlNode& n, size_t i) {
    Obj o(f, n, "methods[" + std::to_string(i) + "]", {"name", "any_class", "note", "source"});
    if (!o.ok()) return;
    PermissionRequestMethod m;
    m.where = {f.path, o.line()};
    if (o.Str("name", &m.name, true)) {
      o.set_what("method '" + m.name + "'");
      if (!IsJavaIdentifier(m.name)) o.Fail(o.Get("name"), "name: not a Java method name");
      if (auto [it, ins] = names.emplace(m.name, o.line()); !ins) {
        o.Fail(o.Get("name"),
               "duplicate method (first defined at line " + std::to_string(it->second) + ")");
      }
    }
    o.Bool("any_class", &m.any_class, false);
    o.Str("note", &m.note, false);
    o.Str("source", &m.source, true);
    out->methods.push_back(std::move(m));
  });
  std::map<std::string, int> prefixes;
  each("classes", [&](const YamlNode& n, size_t i) {
    Obj o(f, n, "classes[" + std::to_string(i) + "]", {"prefix", "note", "source"});
    if (!o.ok()) return;
    PermissionRequestClass c;
    c.where = {f.path, o.line()};
    if (o.Str("prefix", &c.prefix, true)) {
      o.set_what("class '" + c.prefix + "'");
      if (const std::string why = CheckDescriptorPrefix(c.prefix); !why.empty()) {
        o.Fail(o.Get("prefix"), "prefix: " + why);
      }
      if (auto [it, ins] = prefixes.emplace(c.prefix, o.line()); !ins) {
        o.Fail(o.Get("prefix"),
               "duplicate prefix (first defined at line " + std::to_string(it->second) + ")");
      }
    }
    o.Str("note", &c.note, false);
    o.Str("source", &c.source, true);
    out->classes.push_back(std::move(c));
  });
  if (!out->methods.empty() && out->classes.empty() &&
      std::none_of(out->methods.begin(), out->methods.end(),
                   [](const PermissionRequestMethod& m) { return m.any_class; })) {
    f.Fail(f.root, "", "no class listed and no method with any_class: true: nothing can match");
  }
}

}  // namespace piaudit::knowledge::internal
