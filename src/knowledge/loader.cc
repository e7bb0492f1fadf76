// KnowledgeBase::Load: reads the YAML tree, checks it against the schemas in docs/knowledge.md
// and builds the lookups.
//
// Every problem becomes a Status whose file part is "<path>:<line>" and whose message starts with
// the entry it is about, so `kb check` prints lines a regulator can jump to:
//   data/sdks/push.yaml:42: sdk 'jpush': pi: unknown PI type 'imei2' (not in pi_types.yaml)
// The loader keeps going after an error to report every problem in one run (all go to the
// Diagnostics); Load returns the first.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <set>

#include "base/mapped_file.h"
#include "knowledge/internal/kb_impl.h"
#include "knowledge/internal/review_process_loader.h"
#include "knowledge/internal/screen_words_loader.h"
#include "knowledge/internal/word_list_loaders.h"
#include "knowledge/internal/yaml_schema.h"
#include "knowledge/knowledge_base.h"
#include "knowledge/syntax.h"
#include "knowledge/yaml_tree.h"

namespace piaudit::knowledge {
namespace {

namespace fs = std::filesystem;
using internal::Errors;
using internal::File;
using internal::LineOf;
using internal::Obj;
using internal::StringMap;

const char* const kGbtCategories[] = {"BASIC",    "IDENTITY", "BIOMETRIC", "NET_ID",
                                      "HEALTH",   "PROPERTY", "COMMS",     "CONTACTS",
                                      "BROWSING", "DEVICE",   "LOCATION",  "OTHER"};
// The model's evaluation record is a small JSON object.
constexpr uint64_t kMaxEvalBytes = 1u << 20;
// The largest reference (an SDK of ~5,000 classes) is under 1 MiB; 16 MiB leaves room and still
// bounds what a hostile tree can make the loader read.
constexpr uint64_t kMaxFingerprintFileBytes = 16u << 20;

const char* const kEvidenceKinds[] = {"S", "P", "D", "N", "V", "M"};
const char* const kUnits[] = {"hours",   "taps",  "working_days", "calendar_days", "days",
                              "years",   "times", "yuan",         "m_per_s2",      "degrees",
                              "seconds", "count", "chars",        "api_level",     "none"};
const char* const kStatuses[] = {"V", "S", "M", "V/M", "S/M", "gap"};

template <size_t N>
bool OneOf(const std::string& v, const char* const (&set)[N]) {
  for (const char* s : set) {
    if (v == s) return true;
  }
  return false;
}

template <size_t N>
std::string Join(const char* const (&set)[N]) {
  std::string out;
  for (const char* s : set) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

bool IsLowerId(const std::string& s, bool dashes) {
  if (s.empty() || !((s[0] >= 'a' && s[0] <= 'z') || (dashes && s[0] >= '0' && s[0] <= '9'))) {
    return false;
  }
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (!dashes && c == '_') ||
                    (dashes && c == '-');
    if (!ok) return false;
  }
  return true;
}

class Loader {
 public:
  Loader(std::string dir, internal::KbData* kb) : dir_(std::move(dir)), kb_(kb) {}

  void Run() {
    LoadKb();
    LoadPiTypes();
    LoadPermissions();
    LoadApis();
    LoadSdkCategories();
    LoadSdks();
    LoadSdkFingerprints();
    LoadPackers();
    LoadAppTypes();
    LoadItems();
    LoadThresholds();
    LoadHolidays();
    LoadAndroidFramework();
    LoadStoreGates();
    internal::LoadConsentWords(Path("consent_words.yaml"), &errors_, &kb_->consent_words);
    internal::LoadRuntimeWords(Path("runtime/runtime_words.yaml"), &errors_, &kb_->runtime_words);
    internal::LoadScreenWords(Path("runtime/screen_words.yaml"), &errors_, &kb_->screen_words);
    internal::LoadPermissionRequests(Path("permission_requests.yaml"), &errors_,
                                     &kb_->permission_requests);
    internal::LoadMessages(Path("messages.yaml"), &errors_, &kb_->messages);
    internal::LoadReviewProcess(Path("review/process.yaml"), &errors_, &kb_->review_process);
    internal::CheckReviewBasis(kb_->review_process, kb_->messages, &errors_);
    LoadPolicyData();
  }
  Errors& errors() { return errors_; }

 private:
  std::string Path(const std::string& rel) const {
    return dir_.empty() || dir_.back() == '/' ? dir_ + rel : dir_ + "/" + rel;
  }

  // Opens and parses one file (relative to the tree), or reports why it cannot be read.
  bool Open(const std::string& rel, File* f) {
    return internal::OpenYamlFile(Path(rel), &errors_, f);
  }

  // Header fields shared by every file.
  void Header(const File&, const Obj& o) { internal::CheckHeader(o); }

  // When pi_types.yaml (permissions.yaml) itself failed, references to it are not checked: every
  // one would fail and bury the real error.
  std::string CheckPi(const std::string& id) const {
    if (!pi_types_ok_ || kb_->pi_type_index.count(id) != 0) return "";
    return "unknown PI type '" + id + "' (not in pi_types.yaml)";
  }
  std::string NormPermission(const std::string& p) const {
    return p.find('.') == std::string::npos ? "android.permission." + p : p;
  }
  std::string CheckPermission(const std::string& p) const {
    if (!permissions_ok_ || kb_->permission_index.count(NormPermission(p)) != 0) return "";
    return "unknown permission '" + p + "' (not in permissions.yaml)";
  }

  // A list of entries under `key`; each element is handed to `fn(node, index)`.
  template <typename F>
  void ForEach(const File& f, const char* key, bool required, F fn) {
    const YamlNode list = f.root[key];
    if (!list.IsDefined() || list.IsNull()) {
      if (required) f.Fail(f.root, "", std::string("missing top-level list '") + key + "'");
      return;
    }
    if (!list.IsSequence()) {
      f.Fail(list, "", std::string("'") + key + "' must be a list of entries");
      return;
    }
    for (size_t i = 0; i < list.size(); ++i) fn(list[i], i);
  }

  void LoadKb() {
    File f;
    if (!Open("kb.yaml", &f)) return;
    Obj o(f, f.root, "kb.yaml", {"id", "version", "date", "sources", "files"});
    o.Str("id", &kb_->version.id, true);
    o.Str("version", &kb_->version.version, true);
    if (o.Str("date", &kb_->version.date, true)) {
      if (auto d = ParseDate(kb_->version.date); !d.ok()) {
        o.Fail(o.Get("date"), std::string(d.status().message()));
      }
    }
    o.StrList("sources", &kb_->version.sources, true);
  }

  void LoadPiTypes() {
    File f;
    if (!Open("pi_types.yaml", &f)) {
      pi_types_ok_ = false;
      return;
    }
    Obj h(f, f.root, "pi_types.yaml", {"version", "sources", "pi_types"});
    Header(f, h);
    std::map<std::string, int> lines;
    ForEach(f, "pi_types", true, [&](const YamlNode& n, size_t i) {
      Obj o(f, n, "pi_types[" + std::to_string(i) + "]",
            {"id", "zh", "en", "sensitive", "gbt35273", "parent", "group", "synonyms", "note",
             "source"});
      if (!o.ok()) return;
      PiType t;
      t.where = {f.path, o.line()};
      if (o.Str("id", &t.id, true)) {
        o.set_what("pi type '" + t.id + "'");
        if (!IsLowerId(t.id, false)) o.Fail(o.Get("id"), "id must match [a-z][a-z0-9_]*");
        if (auto [it, ins] = lines.emplace(t.id, o.line()); !ins) {
          o.Fail(o.Get("id"),
                 "duplicate id (first defined at line " + std::to_string(it->second) + ")");
        }
      }
      o.Str("zh", &t.zh, true);
      o.Str("en", &t.en, true);
      o.Bool("sensitive", &t.sensitive, true);
      if (o.Str("gbt35273", &t.gbt35273, true) && !OneOf(t.gbt35273, kGbtCategories)) {
        o.Fail(o.Get("gbt35273"),
               "gbt35273: '" + t.gbt35273 + "' is not one of " + Join(kGbtCategories));
      }
      o.Str("parent", &t.parent, false);
      o.Bool("group", &t.group, false);
      o.StrList("synonyms", &t.synonyms, false);
      o.Str("note", &t.note, false);
      o.Str("source", &t.source, true);
      kb_->pi_types.push_back(std::move(t));
    });
    for (size_t i = 0; i < kb_->pi_types.size(); ++i) {
      kb_->pi_type_index.emplace(kb_->pi_types[i].id, i);
    }
    // Parents exist and do not loop.
    for (const PiType& t : kb_->pi_types) {
      if (t.parent.empty()) continue;
      const std::string what = "pi type '" + t.id + "'";
      if (kb_->pi_type_index.count(t.parent) == 0) {
        errors_.Fail(t.where.file, t.where.line, what,
                     "parent: unknown PI type '" + t.parent + "'");
        continue;
      }
      std::string cur = t.parent;
      for (int depth = 0; !cur.empty(); ++depth) {
        if (cur == t.id || depth > 8) {
          errors_.Fail(t.where.file, t.where.line, what, "parent chain loops back to itself");
          break;
        }
        auto it = kb_->pi_type_index.find(cur);
        if (it == kb_->pi_type_index.end()) break;
        cur = kb_->pi_types[it->second].parent;
      }
    }
  }

  void LoadPermissions() {
    File f;
    if (!Open("permissions.yaml", &f)) {
      permissions_ok_ = false;
      return;
    }
    Obj h(f, f.root, "permissions.yaml", {"version", "sources", "permissions"});
    Header(f, h);
    std::map<std::string, int> lines;
    ForEach(f, "permissions", true, [&](const YamlNode& n, size_t i) {
      Obj o(f, n, "permissions[" + std::to_string(i) + "]",
            {"name", "dangerous", "protection", "group", "pi", "api_levels", "term", "note",
             "guards", "source"});
      if (!o.ok()) return;
      Permission p;
      p.where = {f.path, o.line()};
      if (o.Str("name", &p.name, true)) {
        p.name = NormPermission(p.name);
        o.set_what("permission '" + p.name + "'");
        if (auto [it, ins] = lines.emplace(p.name, o.line()); !ins) {
          o.Fail(o.Get("name"),
                 "duplicate permission (first defined at line " + std::to_string(it->second) + ")");
        }
      }
      o.Bool("dangerous", &p.dangerous, true);
      o.Str("protection", &p.protection, true);
      if (p.dangerous && p.protection.find("dangerous") == std::string::npos) {
        o.Fail(o.Get("protection"), "dangerous: true but protection is '" + p.protection + "'");
      }
      o.Str("group", &p.group, false);
      o.StrList("pi", &p.pi, true);
      o.CheckEach("pi", p.pi, [this](const std::string& v) { return CheckPi(v); });
      o.Str("api_levels", &p.api_levels, false);
      o.Str("term", &p.term, false);
      o.Str("note", &p.note, false);
      o.Bool("guards", &p.guards, false);
      o.Str("source", &p.source, true);
      kb_->permissions.push_back(std::move(p));
    });
    for (size_t i = 0; i < kb_->permissions.size(); ++i) {
      kb_->permission_index.emplace(kb_->permissions[i].name, i);
    }
  }

  void LoadApis() {
    File f;
    if (!Open("apis.yaml", &f)) return;
    Obj h(f, f.root, "apis.yaml", {"version", "sources", "apis", "content_uris", "intents"});
    Header(f, h);
    std::map<std::string, int> lines;
    ForEach(f, "apis", true, [&](const YamlNode& n, size_t i) {
      Obj o(f, n, "apis[" + std::to_string(i) + "]",
            {"ref", "pi", "permissions", "const_arg", "uri_arg", "package_arg", "api_levels",
             "term", "source"});
      if (!o.ok()) return;
      SensitiveApi a;
      a.where = {f.path, o.line()};
      if (o.Str("ref", &a.descriptor, true)) {
        o.set_what("api '" + a.descriptor + "'");
        JvmReference ref;
        std::string why;
        if (!ParseJvmReference(a.descriptor, &ref, &why)) {
          o.Fail(o.Get("ref"), "malformed JVM descriptor: " + why +
                                   " (expected Lpkg/Cls;->name(Args)Ret or Lpkg/Cls;->name:Type)");
        } else {
          a.class_descriptor = std::string(ref.class_descriptor);
          a.name = std::string(ref.name);
          a.signature = std::string(ref.signature);
          a.is_field = ref.is_field;
        }
      }
      // One descriptor may appear once per constant argument (SystemProperties.get with
      // "ro.serialno" and with "ro.product.model" yield different types).
      std::string key = a.descriptor;
      if (o.Has("const_arg")) {
        Obj c(f, o.Get("const_arg"), o.what() + " const_arg", {"index", "value"});
        ConstArg ca;
        if (c.ok() && c.Int("index", &ca.index, true) && c.Str("value", &ca.value, true)) {
          if (ca.index < 0 || ca.index > 255) c.Fail("index out of 0..255");
          key += " with \"" + ca.value + "\"";
          a.const_arg = ca;
        }
      }
      if (!a.descriptor.empty()) {
        if (auto [it, ins] = lines.emplace(key, o.line()); !ins) {
          o.Fail(o.Get("ref"),
                 "duplicate descriptor (first defined at line " + std::to_string(it->second) + ")");
        }
      }
      for (auto [name, out] : {std::pair{"uri_arg", &a.uri_arg}, {"package_arg", &a.package_arg}}) {
        int index = 0;
        if (!o.Has(name) || !o.Int(name, &index, true)) continue;
        if (index < 0 || index > 255) o.Fail(o.Get(name), "index out of 0..255");
        *out = index;
      }
      // With uri_arg the URI decides the type: a pi list as well would type every query again.
      if (a.uri_arg) {
        if (o.Has("pi"))
          o.Fail(o.Get("pi"), "an entry with uri_arg takes its PI types from content_uris");
      } else {
        o.StrList("pi", &a.pi, true);
      }
      o.CheckEach("pi", a.pi, [this](const std::string& v) { return CheckPi(v); });
      o.StrList("permissions", &a.permissions, false);
      o.CheckEach("permissions", a.permissions,
                  [this](const std::string& v) { return CheckPermission(v); });
      for (std::string& p : a.permissions) p = NormPermission(p);
      o.Str("api_levels", &a.api_levels, false);
      o.Str("term", &a.term, false);
      o.Str("source", &a.source, true);
      kb_->apis.push_back(std::move(a));
    });
    ForEach(f, "content_uris", true, [&](const YamlNode& n, size_t i) {
      Obj o(f, n, "content_uris[" + std::to_string(i) + "]",
            {"uri", "pi", "permissions", "source"});
      if (!o.ok()) return;
      ContentUri c;
      c.where = {f.path, o.line()};
      if (o.Str("uri", &c.uri, true)) {
        o.set_what("content uri '" + c.uri + "'");
        if (c.uri.rfind("content://", 0) != 0 || c.uri.size() <= 10) {
          o.Fail(o.Get("uri"), "must start with content:// and name an authority");
        }
        if (auto [it, ins] = lines.emplace(c.uri, o.line()); !ins) {
          o.Fail(o.Get("uri"), "duplicate uri (first at line " + std::to_string(it->second) + ")");
        }
      }
      o.StrList("pi", &c.pi, true);
      o.CheckEach("pi", c.pi, [this](const std::string& v) { return CheckPi(v); });
      o.StrList("permissions", &c.permissions, false);
      o.CheckEach("permissions", c.permissions,
                  [this](const std::string& v) { return CheckPermission(v); });
      for (std::string& p : c.permissions) p = NormPermission(p);
      o.Str("source", &c.source, true);
      kb_->content_uris.push_back(std::move(c));
    });
    ForEach(f, "intents", false, [&](const YamlNode& n, size_t i) {
      Obj o(f, n, "intents[" + std::to_string(i) + "]", {"action", "data", "pi", "note", "source"});
      if (!o.ok()) return;
      PiIntent it;
      it.where = {f.path, o.line()};
      if (o.Str("action", &it.action, true)) o.set_what("intent '" + it.action + "'");
      o.Str("data", &it.data, false);
      o.StrList("pi", &it.pi, true);
      o.CheckEach("pi", it.pi, [this](const std::string& v) { return CheckPi(v); });
      o.Str("note", &it.note, false);
      o.Str("source", &it.source, true);
      kb_->intents.push_back(std::move(it));
    });
  }

  void LoadSdkCategories() {
    File f;
    if (!Open("sdk_categories.yaml", &f)) {
      categories_ok_ = false;
      return;
    }
    Obj h(f, f.root, "sdk_categories.yaml", {"version", "sources", "categories"});
    Header(f, h);
    std::map<std::string, int> lines;
    ForEach(f, "categories", true, [&](const YamlNode& n, size_t i) {
      Obj o(f, n, "categories[" + std::to_string(i) + "]",
            {"id", "zh", "en", "targeting", "third_party_app", "collects_pi", "note", "source"});
      if (!o.ok()) return;
      SdkCategory c;
      c.where = {f.path, o.line()};
      if (o.Str("id", &c.id, true)) {
        o.set_what("category '" + c.id + "'");
        if (!IsLowerId(c.id, true)) o.Fail(o.Get("id"), "id must match [a-z0-9][a-z0-9-]*");
        if (auto [it, ins] = lines.emplace(c.id, o.line()); !ins) {
          o.Fail(o.Get("id"),
                 "duplicate id (first defined at line " + std::to_string(it->second) + ")");
        }
      }
      o.Str("zh", &c.zh, true);
      o.Str("en", &c.en, true);
      o.Bool("targeting", &c.targeting, false);
      o.Bool("third_party_app", &c.third_party_app, false);
      o.Bool("collects_pi", &c.collects_pi, false);
      o.Str("note", &c.note, false);
      o.Str("source", &c.source, true);
      kb_->sdk_categories.push_back(std::move(c));
    });
    for (size_t i = 0; i < kb_->sdk_categories.size(); ++i) {
      kb_->sdk_category_index.emplace(kb_->sdk_categories[i].id, i);
    }
    if (kb_->sdk_categories.empty()) categories_ok_ = false;
  }

  void LoadAndroidFramework() {
    auto fw = AndroidFramework::Load(Path("android_framework.yaml"));
    if (!fw.ok()) {
      errors_.Add(fw.status());
      return;
    }
    kb_->android_framework = std::move(fw).value();
  }

  void LoadPolicyData() {
    internal::LoadPolicyLexiconFiles(dir_, &errors_, &kb_->policy_words);
    auto model = CheckSentenceModelFile(Path("policy/sentence_model.bin"));
    if (!model.ok()) {
      errors_.Add(model.status());
      return;
    }
    kb_->sentence_model = std::move(model).value();
    // sentence_model.eval.json records how the model scored when it was trained (docs/policy.md);
    // nothing reads it at run time, but a broken copy would mislead whoever checks the model.
    const std::string eval = Path("policy/sentence_model.eval.json");
    auto text = ReadFileToString(eval, kMaxEvalBytes);
    if (!text.ok()) {
      errors_.Add(text.status());
      return;
    }
    int error_line = 0;
    auto doc = YamlDocument::Parse(*text, &error_line);  // JSON is read as YAML flow syntax
    if (!doc.ok()) {
      errors_.Fail(eval, error_line, "", std::string(doc.status().message()));
    } else if (!doc->root().IsMap() || !doc->root()["macro_f1_all"].IsScalar()) {
      errors_.Fail(eval, 1, "", "expected the JSON object scripts/policy/evaluate.py writes");
    }
    LoadSpanModel();
  }

  // span_model.bin (the CA4P span labeller, docs/policy.md "Span model file") and the validation
  // figures scripts/policy/train_spans.py wrote beside it. Checked when present: its trainer
  // loads this knowledge base before the first model exists (the analyser then says the model is
  // missing; tests/knowledge/data_files_test.cc requires it in the shipped tree).
  void LoadSpanModel() {
    if (!std::filesystem::exists(Path("policy/span_model.bin"))) return;
    auto model = CheckSpanModelFile(Path("policy/span_model.bin"));
    if (!model.ok()) {
      errors_.Add(model.status());
      return;
    }
    const std::string eval = Path("policy/span_model.eval.json");
    auto text = ReadFileToString(eval, kMaxEvalBytes);
    if (!text.ok()) {
      errors_.Add(text.status());
      return;
    }
    int error_line = 0;
    auto doc = YamlDocument::Parse(*text, &error_line);
    if (!doc.ok()) {
      errors_.Fail(eval, error_line, "", std::string(doc.status().message()));
    } else if (!doc->root().IsMap() || !doc->root()["core_overlap_f1"].IsScalar()) {
      errors_.Fail(eval, 1, "", "expected the JSON object scripts/policy/evaluate_spans.py writes");
    }
  }

  // data/gate/*.yaml: store gates (schema piaudit.gate/1), optional.
  void LoadStoreGates() {
    std::vector<std::string> files;
    std::error_code ec;
    const fs::path gate_dir = fs::path(Path("gate"));
    if (!fs::exists(gate_dir, ec)) return;  // optional: a knowledge base without store gates
    for (fs::directory_iterator it(gate_dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().extension() == ".yaml") files.push_back(it->path().filename().string());
    }
    std::sort(files.begin(), files.end());
    for (const std::string& name : files) {
      File f;
      if (!Open("gate/" + name, &f)) continue;
      // The keys only: the rules are read by batch::LoadGate (src/batch/gate.h), which knows
      // the verdicts and strengths, when `piaudit serve --gate` or `batch --gate` loads one.
      Obj o(f, f.root, "gate/" + name, {"schema", "block", "review"});
    }
  }

  void LoadSdks() {
    std::vector<std::string> files;
    std::error_code ec;
    const fs::path sdk_dir = fs::path(Path("sdks"));
    for (fs::directory_iterator it(sdk_dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().extension() == ".yaml") files.push_back(it->path().filename().string());
    }
    if (ec) {
      errors_.Add(IoError("cannot list " + sdk_dir.string() + ": " + ec.message()));
      return;
    }
    if (files.empty()) {
      errors_.Add(NotFound("no SDK catalogue files (*.yaml) in " + sdk_dir.string()));
      return;
    }
    std::sort(files.begin(), files.end());
    std::map<std::string, DataLocation> ids;
    for (const std::string& name : files) {
      File f;
      if (!Open("sdks/" + name, &f)) continue;
      Obj h(f, f.root, "sdks/" + name, {"version", "sources", "category", "sdks"});
      Header(f, h);
      ForEach(f, "sdks", true, [&](const YamlNode& n, size_t i) { LoadSdk(f, n, i, &ids); });
    }
    // Cross references among SDKs: related ids exist; overlapping prefixes are declared related.
    StringMap<size_t> index;
    for (size_t i = 0; i < kb_->sdks.size(); ++i) index.emplace(kb_->sdks[i].id, i);
    auto related = [&](const Sdk& a, const Sdk& b) {
      return std::find(a.related.begin(), a.related.end(), b.id) != a.related.end() ||
             std::find(b.related.begin(), b.related.end(), a.id) != b.related.end();
    };
    for (const Sdk& s : kb_->sdks) {
      for (const std::string& r : s.related) {
        if (index.count(r) == 0) {
          errors_.Fail(s.where.file, s.where.line, "sdk '" + s.id + "'",
                       "related: unknown SDK id '" + r + "'");
        }
      }
    }
    // prefix -> (sdk index) for the overlap check.
    std::map<std::string, std::vector<size_t>> by_prefix;
    for (size_t i = 0; i < kb_->sdks.size(); ++i) {
      for (const SdkPrefix& p : kb_->sdks[i].prefixes) by_prefix[p.prefix].push_back(i);
    }
    for (size_t i = 0; i < kb_->sdks.size(); ++i) {
      const Sdk& s = kb_->sdks[i];
      for (const SdkPrefix& p : s.prefixes) {
        // Every dot-boundary prefix of p (p itself included) declared by another SDK.
        for (size_t k = 0; k <= p.prefix.size(); ++k) {
          if (k < p.prefix.size() && p.prefix[k] != '.') continue;
          auto it = by_prefix.find(p.prefix.substr(0, k));
          if (it == by_prefix.end()) continue;
          for (size_t j : it->second) {
            if (j == i || related(s, kb_->sdks[j])) continue;
            const Sdk& o = kb_->sdks[j];
            errors_.Fail(s.where.file, s.where.line, "sdk '" + s.id + "'",
                         "prefixes: '" + p.prefix + "' overlaps '" + it->first + "' of sdk '" +
                             o.id + "' (" + o.where.file + ":" + std::to_string(o.where.line) +
                             "); list each other under 'related' or make the prefixes disjoint");
          }
        }
      }
    }
  }

  void LoadSdk(const File& f, const YamlNode& n, size_t i,
               std::map<std::string, DataLocation>* ids) {
    Obj o(f, n, "sdks[" + std::to_string(i) + "]", {"id",
                                                    "zh",
                                                    "en",
                                                    "provider",
                                                    "category",
                                                    "prefixes",
                                                    "components",
                                                    "meta_data",
                                                    "native_libs",
                                                    "assets",
                                                    "hosts",
                                                    "pi",
                                                    "pi_source",
                                                    "privacy_policy",
                                                    "policy_names",
                                                    "related",
                                                    "features",
                                                    "note",
                                                    "source",
                                                    "unverified",
                                                    "class_patterns",
                                                    "website",
                                                    "version"});
    if (!o.ok()) return;
    Sdk s;
    s.where = {f.path, o.line()};
    if (o.Str("id", &s.id, true)) {
      o.set_what("sdk '" + s.id + "'");
      if (!IsLowerId(s.id, true)) o.Fail(o.Get("id"), "id must match [a-z0-9][a-z0-9-]*");
      if (auto [it, ins] = ids->emplace(s.id, s.where); !ins) {
        o.Fail(o.Get("id"), "duplicate id (first defined at " + it->second.file + ":" +
                                std::to_string(it->second.line) + ")");
      }
    }
    o.Str("zh", &s.zh, true);
    o.Str("en", &s.en, true);
    o.Str("provider", &s.provider, true);
    if (o.Str("category", &s.category, true) && categories_ok_ &&
        kb_->sdk_category_index.count(s.category) == 0) {
      std::string all;
      for (const SdkCategory& c : kb_->sdk_categories) all += (all.empty() ? "" : ", ") + c.id;
      o.Fail(o.Get("category"),
             "category: '" + s.category + "' is not one of " + all + " (sdk_categories.yaml)");
    }
    // prefixes: "com.x.y" or {prefix: com.x, quality: shared|broad|distinct, unverified: true}
    const YamlNode pl = o.Get("prefixes");
    if (pl.IsDefined() && !pl.IsNull()) {
      if (!pl.IsSequence()) {
        o.Fail(pl, "prefixes: expected a list");
      } else {
        for (const YamlNode& e : pl) {
          SdkPrefix p;
          if (e.IsScalar()) {
            p.prefix = e.Scalar();
          } else {
            Obj po(f, e, o.what() + " prefix", {"prefix", "quality", "unverified"});
            if (!po.ok()) continue;
            po.Str("prefix", &p.prefix, true);
            std::string q;
            if (po.Str("quality", &q, false)) {
              if (q == "shared") {
                p.quality = PrefixQuality::kShared;
              } else if (q == "broad") {
                p.quality = PrefixQuality::kBroad;
              } else if (q != "distinct") {
                po.Fail(po.Get("quality"),
                        "quality: '" + q + "' is not one of distinct, shared, broad");
              }
            }
            po.Bool("unverified", &p.unverified, false);
          }
          std::string why;
          if (!IsValidPackagePrefix(p.prefix, &why)) {
            o.Fail(e, "prefixes: malformed package prefix '" + p.prefix + "': " + why);
            continue;
          }
          for (const SdkPrefix& q : s.prefixes) {
            if (q.prefix == p.prefix) o.Fail(e, "prefixes: '" + p.prefix + "' listed twice");
          }
          s.prefixes.push_back(std::move(p));
        }
      }
    }
    o.StrList("class_patterns", &s.class_patterns, false);
    o.CheckEach("class_patterns", s.class_patterns, [](const std::string& p) -> std::string {
      // Searched in every class name of every scan: a short or dot-only pattern would match
      // nearly everything and turn weak evidence into noise.
      size_t letters = 0;
      for (char c : p) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '$' || c == '.' || c == '-';
        if (!ok) return "class pattern '" + p + "': only letters, digits, '_', '$', '-' and '.'";
        if (c != '.') ++letters;
      }
      if (letters < 4) return "class pattern '" + p + "' has fewer than 4 non-dot characters";
      return "";
    });
    o.StrList("components", &s.components, false);
    o.CheckEach("components", s.components, [](const std::string& c) -> std::string {
      std::string why;
      const std::string_view v = c[0] == '.' ? std::string_view(c).substr(1) : c;
      if (c[0] == '.' && IsValidPackagePrefix("x." + std::string(v), &why)) return "";
      if (IsValidPackagePrefix(v, &why)) return "";
      return "malformed component class name '" + c + "': " + why;
    });
    o.StrList("meta_data", &s.meta_data, false);
    o.CheckEach("meta_data", s.meta_data, [](const std::string& k) -> std::string {
      for (char c : k) {
        if (static_cast<unsigned char>(c) <= ' ') return "meta-data key '" + k + "' has a space";
      }
      return "";
    });
    o.StrList("native_libs", &s.native_libs, false);
    o.CheckEach("native_libs", s.native_libs, [](const std::string& p) -> std::string {
      std::string why;
      if (!IsValidFilePattern(p, &why)) return "bad pattern '" + p + "': " + why;
      if (p.rfind("lib", 0) != 0 || p.size() < 6 || p.substr(p.size() - 3) != ".so") {
        return "native lib pattern '" + p + "' must look like lib*.so";
      }
      return "";
    });
    o.StrList("assets", &s.assets, false);
    o.CheckEach("assets", s.assets, [](const std::string& p) -> std::string {
      std::string why;
      return IsValidFilePattern(p, &why) ? "" : "bad pattern '" + p + "': " + why;
    });
    o.StrList("hosts", &s.hosts, false);
    o.CheckEach("hosts", s.hosts, [](const std::string& h) -> std::string {
      std::string why;
      return IsValidHostPattern(h, &why) ? "" : "bad host '" + h + "': " + why;
    });
    o.StrList("pi", &s.pi, false);
    o.CheckEach("pi", s.pi, [this](const std::string& v) { return CheckPi(v); });
    // A source for a list that is not there would document nothing.
    if (o.Str("pi_source", &s.pi_source, false) && s.pi.empty()) {
      o.Fail(o.Get("pi_source"), "pi_source given without pi");
    }
    o.Str("privacy_policy", &s.privacy_policy, false);
    if (!s.privacy_policy.empty() && s.privacy_policy.rfind("http://", 0) != 0 &&
        s.privacy_policy.rfind("https://", 0) != 0) {
      o.Fail(o.Get("privacy_policy"), "privacy_policy must be an http(s) URL");
    }
    o.Str("website", &s.website, false);
    if (!s.website.empty() && s.website.rfind("http://", 0) != 0 &&
        s.website.rfind("https://", 0) != 0) {
      o.Fail(o.Get("website"), "website must be an http(s) URL");
    }
    o.StrList("policy_names", &s.policy_names, true);
    o.StrList("related", &s.related, false);
    if (o.Has("features")) {
      Obj fo(f, o.Get("features"), o.what() + " features", {"strings", "hosts", "class_suffixes"});
      fo.StrList("strings", &s.features.strings, false);
      fo.StrList("hosts", &s.features.hosts, false);
      fo.CheckEach("hosts", s.features.hosts, [](const std::string& h) -> std::string {
        std::string why;
        return IsValidHostPattern(h, &why) ? "" : "bad host '" + h + "': " + why;
      });
      fo.StrList("class_suffixes", &s.features.class_suffixes, false);
    }
    LoadSdkVersion(f, o, &s);
    o.Str("note", &s.note, false);
    o.Str("source", &s.source, true);
    o.Bool("unverified", &s.unverified, false);
    if (categories_ok_ && s.pi.empty()) {
      auto c = kb_->sdk_category_index.find(s.category);
      if (c != kb_->sdk_category_index.end() && kb_->sdk_categories[c->second].collects_pi) {
        o.Fail(o.Get("category"),
               "pi: missing; category '" + s.category +
                   "' collects personal information (collects_pi in sdk_categories.yaml), so "
                   "list the PI types it takes (with pi_source when they are derived, not read)");
      }
    }
    if (s.prefixes.empty() && s.class_patterns.empty() && s.components.empty() &&
        s.meta_data.empty() && s.native_libs.empty() && s.hosts.empty() &&
        s.features.strings.empty()) {
      o.Fail(
          "no signal at all: give at least one of prefixes, class_patterns, components, "
          "meta_data, native_libs, hosts or features");
    }
    kb_->sdks.push_back(std::move(s));
  }

  // `version`: one location or a list of them, each {ref: ..., source: ...} or
  // {meta_inf: ..., source: ...} (docs/knowledge.md#where-an-sdk-keeps-its-version).
  void LoadSdkVersion(const File& f, const Obj& o, Sdk* s) {
    if (!o.Has("version")) return;
    const YamlNode list = o.Get("version");
    std::vector<YamlNode> items;
    if (list.IsSequence()) {
      for (const YamlNode& e : list) items.push_back(e);
    } else {
      items.push_back(list);
    }
    for (const YamlNode& e : items) {
      Obj vo(f, e, o.what() + " version", {"ref", "meta_inf", "source"});
      if (!vo.ok()) continue;
      SdkVersionLocation loc;
      loc.line = vo.line();
      vo.Str("source", &loc.source, true);
      const bool has_ref = vo.Str("ref", &loc.ref, false);
      const bool has_file = vo.Str("meta_inf", &loc.meta_inf, false);
      if (has_ref == has_file) {
        vo.Fail("give exactly one of ref (a static String field or a method) and meta_inf");
        continue;
      }
      if (has_ref) {
        JvmReference r;
        std::string why;
        if (!ParseJvmReference(loc.ref, &r, &why)) {
          vo.Fail(vo.Get("ref"), "ref: malformed '" + loc.ref + "': " + why);
          continue;
        }
        const std::string_view want = r.is_field ? "Ljava/lang/String;" : ")Ljava/lang/String;";
        if (r.signature.size() < want.size() ||
            r.signature.substr(r.signature.size() - want.size()) != want) {
          vo.Fail(vo.Get("ref"),
                  "ref: '" + loc.ref + "' must be a String field or a method returning String");
          continue;
        }
        if (!r.is_field && r.signature.rfind("()", 0) != 0) {
          vo.Fail(vo.Get("ref"), "ref: method '" + loc.ref + "' must take no arguments");
          continue;
        }
      } else {
        std::string why;
        if (!IsValidFilePattern(loc.meta_inf, &why)) {
          vo.Fail(vo.Get("meta_inf"), "meta_inf: bad pattern '" + loc.meta_inf + "': " + why);
          continue;
        }
        const std::string_view ext = ".version";
        if (loc.meta_inf.size() <= ext.size() ||
            loc.meta_inf.compare(loc.meta_inf.size() - ext.size(), ext.size(), ext) != 0) {
          vo.Fail(vo.Get("meta_inf"),
                  "meta_inf: '" + loc.meta_inf + "' must name a *.version file");
          continue;
        }
      }
      for (const SdkVersionLocation& q : s->version) {
        if (q.ref == loc.ref && q.meta_inf == loc.meta_inf) {
          vo.Fail("version location '" + loc.ref + loc.meta_inf + "' listed twice");
        }
      }
      s->version.push_back(std::move(loc));
    }
  }

  void LoadSdkFingerprints() {
    const fs::path dir = fs::path(Path("fingerprints"));
    std::error_code ec;
    if (!fs::exists(dir, ec)) return;  // a tree without references recognises no renamed code
    std::vector<std::string> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().extension() == ".fp") files.push_back(it->path().string());
    }
    if (ec) {
      errors_.Add(IoError("cannot list " + dir.string() + ": " + ec.message()));
      return;
    }
    std::sort(files.begin(), files.end());  // the index, and so the first error, do not vary
    for (const std::string& path : files) {
      auto text = ReadFileToString(path, kMaxFingerprintFileBytes);
      if (!text.ok()) {
        errors_.Add(text.status());
        continue;
      }
      auto set = ParseSdkFingerprints(*text, path);
      if (!set.ok()) {
        errors_.Add(set.status());
        continue;
      }
      const bool known = std::any_of(kb_->sdks.begin(), kb_->sdks.end(),
                                     [&](const Sdk& sdk) { return sdk.id == set->sdk; });
      if (!known) {
        errors_.Fail(path, 1, "sdk", "unknown SDK id '" + set->sdk + "' (not in data/sdks/)");
        continue;
      }
      if (Status s = kb_->sdk_fingerprints.Add(std::move(set).value()); !s.ok())
        errors_.Add(std::move(s));
    }
  }

  void LoadPackers() {
    File f;
    if (!Open("packers.yaml", &f)) return;
    Obj h(f, f.root, "packers.yaml", {"version", "sources", "packers"});
    Header(f, h);
    std::map<std::string, int> lines;
    ForEach(f, "packers", true, [&](const YamlNode& n, size_t i) {
      Obj o(f, n, "packers[" + std::to_string(i) + "]",
            {"id", "zh", "en", "provider", "classes", "application_classes", "native_libs",
             "assets", "note", "source"});
      if (!o.ok()) return;
      Packer p;
      p.where = {f.path, o.line()};
      if (o.Str("id", &p.id, true)) {
        o.set_what("packer '" + p.id + "'");
        if (!IsLowerId(p.id, true)) o.Fail(o.Get("id"), "id must match [a-z0-9][a-z0-9-]*");
        if (auto [it, ins] = lines.emplace(p.id, o.line()); !ins) {
          o.Fail(o.Get("id"),
                 "duplicate id (first defined at line " + std::to_string(it->second) + ")");
        }
      }
      o.Str("zh", &p.zh, true);
      o.Str("en", &p.en, true);
      o.Str("provider", &p.provider, true);
      o.StrList("classes", &p.classes, false);
      o.CheckEach("classes", p.classes, [](const std::string& c) -> std::string {
        std::string why;
        return IsValidPackagePrefix(c, &why) ? "" : "malformed class prefix '" + c + "': " + why;
      });
      o.StrList("application_classes", &p.application_classes, false);
      o.StrList("native_libs", &p.native_libs, false);
      o.CheckEach("native_libs", p.native_libs, [](const std::string& v) -> std::string {
        std::string why;
        return IsValidFilePattern(v, &why) ? "" : "bad pattern '" + v + "': " + why;
      });
      o.StrList("assets", &p.assets, false);
      o.CheckEach("assets", p.assets, [](const std::string& v) -> std::string {
        std::string why;
        return IsValidFilePattern(v, &why) ? "" : "bad pattern '" + v + "': " + why;
      });
      o.Str("note", &p.note, false);
      o.Str("source", &p.source, true);
      if (p.classes.empty() && p.native_libs.empty() && p.assets.empty() &&
          p.application_classes.empty()) {
        o.Fail("no fingerprint: give classes, application_classes, native_libs or assets");
      }
      kb_->packers.push_back(std::move(p));
    });
  }

  void LoadAppTypes() {
    File f;
    if (!Open("app_types.yaml", &f)) return;
    Obj h(f, f.root, "app_types.yaml", {"version", "sources", "app_types", "category_map"});
    Header(f, h);
    std::map<std::string, int> lines;
    std::map<int, int> numbers;
    ForEach(f, "app_types", true, [&](const YamlNode& n, size_t i) {
      Obj o(f, n, "app_types[" + std::to_string(i) + "]",
            {"id", "number", "zh", "en", "basic_function", "necessary", "necessary_pi", "none",
             "note", "source"});
      if (!o.ok()) return;
      AppType t;
      t.where = {f.path, o.line()};
      if (o.Str("id", &t.id, true)) {
        o.set_what("app type '" + t.id + "'");
        if (!IsLowerId(t.id, true)) o.Fail(o.Get("id"), "id must match [a-z0-9][a-z0-9-]*");
        if (auto [it, ins] = lines.emplace(t.id, o.line()); !ins) {
          o.Fail(o.Get("id"),
                 "duplicate id (first defined at line " + std::to_string(it->second) + ")");
        }
      }
      if (o.Int("number", &t.number, true)) {
        if (auto [it, ins] = numbers.emplace(t.number, o.line()); !ins) {
          o.Fail(o.Get("number"), "number " + std::to_string(t.number) +
                                      " used twice (first at line " + std::to_string(it->second) +
                                      ")");
        }
      }
      o.Str("zh", &t.zh, true);
      o.Str("en", &t.en, true);
      o.Str("basic_function", &t.basic_function, true);
      o.Bool("none", &t.none, false);
      o.StrList("necessary", &t.necessary, !t.none);
      o.StrList("necessary_pi", &t.necessary_pi, !t.none);
      o.CheckEach("necessary_pi", t.necessary_pi,
                  [this](const std::string& v) { return CheckPi(v); });
      if (t.none && (!t.necessary.empty() || !t.necessary_pi.empty())) {
        o.Fail("none: true but necessary PI is listed");
      }
      o.Str("note", &t.note, false);
      o.Str("source", &t.source, true);
      kb_->app_types.push_back(std::move(t));
    });
    ForEach(f, "category_map", true, [&](const YamlNode& n, size_t i) {
      Obj o(f, n, "category_map[" + std::to_string(i) + "]",
            {"type", "store_categories", "keywords"});
      if (!o.ok()) return;
      AppTypeHint hint;
      hint.where = {f.path, o.line()};
      if (o.Str("type", &hint.type, true) && lines.count(hint.type) == 0) {
        o.Fail(o.Get("type"), "type: unknown app type '" + hint.type + "'");
      }
      o.StrList("store_categories", &hint.store_categories, false);
      o.StrList("keywords", &hint.keywords, false);
      if (hint.store_categories.empty() && hint.keywords.empty()) {
        o.Fail("give store_categories or keywords");
      }
      kb_->app_type_hints.push_back(std::move(hint));
    });
  }

  void LoadItems() {
    File f;
    if (!Open("items.yaml", &f)) return;
    Obj h(f, f.root, "items.yaml", {"version", "sources", "categories", "items"});
    Header(f, h);
    std::map<std::string, std::pair<std::string, std::string>> cats;
    ForEach(f, "categories", true, [&](const YamlNode& n, size_t i) {
      Obj o(f, n, "categories[" + std::to_string(i) + "]", {"id", "zh", "en"});
      std::string id, zh, en;
      o.Str("id", &id, true);
      o.Str("zh", &zh, true);
      o.Str("en", &en, true);
      if (!cats.emplace(id, std::make_pair(zh, en)).second) o.Fail("duplicate category " + id);
    });
    std::map<std::string, int> lines;
    ForEach(f, "items", true, [&](const YamlNode& n, size_t i) {
      Obj o(f, n, "items[" + std::to_string(i) + "]",
            {"id", "zh", "en", "evidence", "related", "remediation", "source"});
      if (!o.ok()) return;
      Item it;
      it.where = {f.path, o.line()};
      if (o.Str("id", &it.id, true)) {
        o.set_what("item '" + it.id + "'");
        const size_t dot = it.id.find('.');
        if (it.id.rfind("IM-", 0) != 0 || dot == std::string::npos || dot == 3 ||
            dot + 1 >= it.id.size()) {
          o.Fail(o.Get("id"), "id must look like IM-<category>.<item>, e.g. IM-3.1");
        } else {
          it.category = it.id.substr(0, dot);
          auto c = cats.find(it.category);
          if (c == cats.end()) {
            o.Fail(o.Get("id"), "category " + it.category + " is not under 'categories'");
          } else {
            it.category_zh = c->second.first;
            it.category_en = c->second.second;
          }
        }
        if (auto [p, ins] = lines.emplace(it.id, o.line()); !ins) {
          o.Fail(o.Get("id"),
                 "duplicate id (first defined at line " + std::to_string(p->second) + ")");
        }
      }
      o.Str("zh", &it.zh, true);
      o.Str("en", &it.en, true);
      o.StrList("evidence", &it.evidence, true);
      o.CheckEach("evidence", it.evidence, [](const std::string& e) -> std::string {
        return OneOf(e, kEvidenceKinds) ? "" : "'" + e + "' is not one of " + Join(kEvidenceKinds);
      });
      o.StrList("related", &it.related, false);
      o.Str("remediation", &it.remediation, true);
      o.Str("source", &it.source, true);
      kb_->items.push_back(std::move(it));
    });
  }

  void LoadThresholds() {
    File f;
    if (!Open("thresholds.yaml", &f)) return;
    Obj h(f, f.root, "thresholds.yaml", {"version", "sources", "thresholds"});
    Header(f, h);
    std::map<std::string, int> lines;
    ForEach(f, "thresholds", true, [&](const YamlNode& n, size_t i) {
      Obj o(f, n, "thresholds[" + std::to_string(i) + "]",
            {"id", "value", "unit", "applies_to", "items", "status", "source"});
      if (!o.ok()) return;
      Threshold t;
      t.where = {f.path, o.line()};
      if (o.Str("id", &t.id, true)) {
        o.set_what("threshold '" + t.id + "'");
        if (auto [p, ins] = lines.emplace(t.id, o.line()); !ins) {
          o.Fail(o.Get("id"),
                 "duplicate id (first defined at line " + std::to_string(p->second) + ")");
        }
      }
      std::string v;
      if (o.Str("value", &v, false)) {
        char* end = nullptr;
        const double d = std::strtod(v.c_str(), &end);
        if (v.empty() || *end != '\0' || !std::isfinite(d)) {
          o.Fail(o.Get("value"), "value: expected a number, found '" + v + "'");
        } else {
          t.value = d;
        }
      }
      if (o.Str("unit", &t.unit, true) && !OneOf(t.unit, kUnits)) {
        o.Fail(o.Get("unit"), "unit: '" + t.unit + "' is not one of " + Join(kUnits));
      }
      o.Str("applies_to", &t.applies_to, true);
      o.StrList("items", &t.items, false);
      if (o.Str("status", &t.status, true) && !OneOf(t.status, kStatuses)) {
        o.Fail(o.Get("status"), "status: '" + t.status + "' is not one of " + Join(kStatuses));
      }
      o.Str("source", &t.source, true);
      kb_->thresholds.push_back(std::move(t));
    });
    // Items named by thresholds exist (items.yaml was loaded before).
    std::set<std::string> item_ids;
    for (const Item& it : kb_->items) item_ids.insert(it.id);
    for (const Threshold& t : kb_->thresholds) {
      for (const std::string& id : t.items) {
        if (item_ids.count(id) == 0) {
          errors_.Fail(t.where.file, t.where.line, "threshold '" + t.id + "'",
                       "items: unknown item '" + id + "'");
        }
      }
    }
  }

  void LoadHolidays() {
    std::vector<std::string> files;
    std::error_code ec;
    const fs::path hdir = fs::path(Path("holidays"));
    for (fs::directory_iterator it(hdir, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (it->path().extension() == ".yaml") files.push_back(name);
    }
    if (ec || files.empty()) {
      errors_.Add(NotFound("no holiday notices (cn-YYYY.yaml) in " + hdir.string()));
      return;
    }
    std::sort(files.begin(), files.end());
    std::vector<HolidayEntry> entries;
    std::set<int> years;
    std::optional<Date> earliest;
    for (const std::string& name : files) {
      File f;
      if (!Open("holidays/" + name, &f)) continue;
      Obj h(f, f.root, "holidays/" + name,
            {"version", "year", "notice", "issued", "source", "sources", "note", "days"});
      Header(f, h);
      int year = 0;
      if (!h.Int("year", &year, true)) continue;
      if (name != "cn-" + std::to_string(year) + ".yaml") {
        h.Fail(h.Get("year"), "year " + std::to_string(year) + " does not match the file name");
      }
      years.insert(year);
      std::string notice, issued;
      h.Str("notice", &notice, true);
      if (h.Str("issued", &issued, false)) {
        if (auto d = ParseDate(issued); !d.ok()) {
          h.Fail(h.Get("issued"), std::string(d.status().message()));
        }
      }
      ForEach(f, "days", true, [&](const YamlNode& n, size_t i) {
        Obj o(f, n, "days[" + std::to_string(i) + "]", {"date", "kind", "name"});
        if (!o.ok()) return;
        HolidayEntry e;
        e.notice_year = year;
        e.file = f.path;
        e.line = o.line();
        std::string ds, kind;
        if (o.Str("date", &ds, true)) {
          o.set_what("day " + ds);
          auto d = ParseDate(ds);
          if (!d.ok()) {
            o.Fail(o.Get("date"), std::string(d.status().message()));
            return;
          }
          e.date = *d;
          // A notice covers its own year, plus the New Year block that starts in late December
          // of the year before (the 2019 notice lists 2018-12-29..31).
          if (!(e.date.year == year || (e.date.year == year - 1 && e.date.month == 12))) {
            o.Fail(o.Get("date"), "date outside the notice year " + std::to_string(year));
            return;
          }
        } else {
          return;
        }
        if (o.Str("kind", &kind, true)) {
          if (kind == "off") {
            e.kind = DayKind::kOff;
          } else if (kind == "work") {
            e.kind = DayKind::kWork;
          } else {
            o.Fail(o.Get("kind"), "kind: '" + kind + "' is not one of off, work");
            return;
          }
        } else {
          return;
        }
        o.Str("name", &e.name, true);
        if (!earliest || e.date < *earliest) earliest = e.date;
        entries.push_back(std::move(e));
      });
    }
    if (years.empty()) return;
    for (int y = *years.begin(); y <= *years.rbegin(); ++y) {
      if (years.count(y) == 0) {
        errors_.Add(NotFound("holiday notice for " + std::to_string(y) +
                             " missing: years must be contiguous (" + hdir.string() + ")"));
        return;
      }
    }
    Date first{*years.begin(), 1, 1};
    if (earliest && *earliest < first) first = *earliest;
    const Date last{*years.rbegin(), 12, 31};
    auto cal = WorkCalendar::Build(std::move(entries), first, last);
    if (!cal.ok()) {
      errors_.Add(cal.status());
      return;
    }
    kb_->calendar = std::move(cal).value();
  }

  std::string dir_;
  internal::KbData* kb_;
  Errors errors_;
  bool pi_types_ok_ = true;
  bool permissions_ok_ = true;
  bool categories_ok_ = true;
};

}  // namespace

Result<KnowledgeBase> KnowledgeBase::Load(const std::string& dir, Diagnostics* diags) {
  auto impl = std::make_unique<internal::KbData>();
  impl->dir = dir;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    Status s = NotFound("knowledge base directory '" + dir + "' does not exist");
    if (diags) diags->AddStatus("kb.load", s);
    return s;
  }
  Loader loader(dir, impl.get());
  try {
    loader.Run();
  } catch (const std::exception& e) {
    // Only allocation can throw below; keep even that from crossing the boundary.
    loader.errors().Add(
        InternalError(std::string("unexpected exception while loading: ") + e.what()).InFile(dir));
  }
  if (!loader.errors().empty()) {
    if (diags) {
      for (const Status& s : loader.errors().all()) diags->AddStatus("kb.invalid", s);
    }
    return loader.errors().all().front();
  }
  impl->BuildIndexes();
  return internal::KbData::Wrap(std::move(impl));
}

}  // namespace piaudit::knowledge
