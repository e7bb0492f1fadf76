// Loader of data/runtime/screen_words.yaml (see screen_words.h).
//
// The lists the code reads are named in the file; a missing or unknown name is an error rather
// than a list nobody reads, and each word is checked against its list's matching convention.
#include "knowledge/screen_words.h"

#include <set>

#include "knowledge/internal/screen_words_loader.h"
#include "knowledge/internal/word_list_loaders.h"

namespace piaudit::knowledge {
namespace {

using internal::CheckWord;
using internal::Errors;
using internal::File;
using internal::Obj;

void ReadWords(const Obj& o, const char* key, bool caseless, std::vector<std::string>* out) {
  if (!o.StrList(key, out, true)) return;
  if (out->empty()) o.Fail(o.Get(key), std::string(key) + ": the list is empty");
  std::set<std::string> seen;
  o.CheckEach(key, *out, [&](const std::string& w) {
    std::string why = CheckWord(w, caseless);
    if (why.empty() && !seen.insert(w).second) why = "'" + w + "' listed twice";
    return why.empty() ? why : "'" + w + "': " + why;
  });
}

void ReadList(const File& f, const YamlNode& n, const std::string& name, WordList* out) {
  Obj o(f, n, "list '" + name + "'", {"note", "source", "words"});
  if (!o.ok()) return;
  out->where = {f.path, o.line()};
  o.Str("note", &out->note, false);
  o.Str("source", &out->source, true);
  ReadWords(o, "words", /*caseless=*/true, &out->words);
}

void ReadNumber(const File& f, const YamlNode& n, const std::string& name, uint32_t min,
                uint32_t max, ScreenNumber* out) {
  Obj o(f, n, "number '" + name + "'", {"value", "source", "note"});
  if (!o.ok()) return;
  out->where = {f.path, o.line()};
  o.Str("source", &out->source, true);
  int v = 0;
  if (!o.Int("value", &v, true)) return;
  if (v < static_cast<int>(min) || v > static_cast<int>(max)) {
    o.Fail(o.Get("value"), "value " + std::to_string(v) + " outside " + std::to_string(min) + ".." +
                               std::to_string(max));
    return;
  }
  out->value = static_cast<uint32_t>(v);
}

}  // namespace

namespace internal {

void LoadScreenWords(const std::string& path, Errors* errors, ScreenWords* result) {
  ScreenWords& out = *result;
  File f;
  if (OpenYamlFile(path, errors, &f)) {
    Obj h(f, f.root, "screen_words.yaml",
          {"version", "source", "sources", "lists", "permission_groups", "numbers"});
    CheckHeader(h);
    h.Str("version", &out.version, false);
    const YamlNode lists = h.Get("lists");
    struct Spec {
      const char* name;
      WordList* target;
    };
    const Spec specs[] = {{"policy_names", &out.policy_names},
                          {"agree_buttons", &out.agree_buttons},
                          {"refuse_buttons", &out.refuse_buttons},
                          {"consent_box", &out.consent_box},
                          {"purpose", &out.purpose}};
    if (!lists.IsMap()) {
      f.Fail(lists.IsDefined() ? lists : f.root, "", "'lists' must map list names to lists");
    } else {
      for (size_t i = 0; i < lists.size(); ++i) {
        const std::string name = lists.KeyAt(i).Scalar();
        bool known = false;
        for (const Spec& s : specs) known |= name == s.name;
        if (!known) f.Fail(lists.KeyAt(i), "lists", "unknown list '" + name + "'");
      }
      for (const Spec& s : specs) {
        const YamlNode n = lists[s.name];
        if (!n.IsDefined()) {
          f.Fail(lists, "lists", std::string("missing list '") + s.name + "'");
        } else {
          ReadList(f, n, s.name, s.target);
        }
      }
    }
    const YamlNode groups = h.Get("permission_groups");
    if (!groups.IsSequence() || groups.size() == 0) {
      f.Fail(groups.IsDefined() ? groups : f.root, "",
             "'permission_groups' must be a non-empty list of {group, source, words}");
    } else {
      std::set<std::string> seen;
      for (const YamlNode& g : groups) {
        Obj o(f, g, "permission group", {"group", "source", "note", "words"});
        if (!o.ok()) continue;
        PermissionGroupWords pg;
        pg.where = {f.path, o.line()};
        if (o.Str("group", &pg.group, true)) {
          o.set_what("permission group '" + pg.group + "'");
          if (!seen.insert(pg.group).second) o.Fail(o.Get("group"), "group listed twice");
        }
        o.Str("source", &pg.source, true);
        ReadWords(o, "words", /*caseless=*/true, &pg.words);
        out.permission_groups.push_back(std::move(pg));
      }
    }
    const YamlNode numbers = h.Get("numbers");
    Obj nums(f, numbers.IsDefined() ? numbers : f.root, "numbers",
             {"button_max_chars", "policy_min_chars"});
    if (!numbers.IsDefined()) {
      f.Fail(f.root, "", "missing 'numbers' (button_max_chars, policy_min_chars)");
    } else if (nums.ok()) {
      for (const char* key : {"button_max_chars", "policy_min_chars"}) {
        if (!nums.Has(key)) nums.Fail(std::string("missing number '") + key + "'");
      }
      if (nums.Has("button_max_chars")) {
        ReadNumber(f, nums.Get("button_max_chars"), "button_max_chars", 1, 200,
                   &out.button_max_chars);
      }
      if (nums.Has("policy_min_chars")) {
        ReadNumber(f, nums.Get("policy_min_chars"), "policy_min_chars", 1, 1'000'000,
                   &out.policy_min_chars);
      }
    }
  }
}

}  // namespace internal

Result<ScreenWords> LoadScreenWords(const std::string& data_dir) {
  Errors errors;
  ScreenWords out;
  internal::LoadScreenWords(data_dir + "/runtime/screen_words.yaml", &errors, &out);
  if (!errors.empty()) {
    Status first = errors.all().front();
    if (errors.size() == 1) return first;
    return Status(first.code(), std::string(first.message()) + " (and " +
                                    std::to_string(errors.size() - 1) + " more problems)")
        .InFile(first.file());
  }
  return out;
}

}  // namespace piaudit::knowledge
