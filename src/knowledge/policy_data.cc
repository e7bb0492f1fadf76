// Loading and checking of data/policy/ (see policy_data.h).
//
// lexicon.yaml: every key the analyser reads is required and no other key is allowed, so a typo
// in a key is an error instead of a list nobody reads. Words are matched as substrings by the
// analyser (ASCII case-folded in the cue automaton, exactly by the pattern code); here they are
// checked for emptiness, surrounding white space and duplicates, and the lists with a fixed shape
// (single characters, a fixed set of column roles) for that shape.
//
// sentence_model.bin: the same checks the classifier's parser always made (magic, header lines,
// weight size), with the header line in every message.
#include "knowledge/policy_data.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include "base/mapped_file.h"
#include "knowledge/internal/word_list_loaders.h"

namespace piaudit::knowledge {
namespace {

using internal::Errors;
using internal::File;

// Top-level lists of lexicon.yaml. The first group feeds the cue automaton; the second is read by
// the analyser's pattern code (policy_analyzer.cc, extract.cc).
constexpr const char* kLists[] = {
    "negation", "optional", "required", "function_starts", "function_ends", "purpose_starts",
    "right_subjects", "complaint_cues", "online_service", "phone_cues", "address_cues", "path_cues",
    "sdk_cues", "third_party_cues", "time_after", "time_before", "personalization",
    "ambiguous_terms", "right_refusals", "condition_mandatory", "contact_headings",
    "contact_invitations", "inquiry_cues", "policy_link_cues", "time_notice",
    "contact_address_cues",
    // read by the pattern code
    "ambiguous_followers", "sdk_table_markers", "address_chars", "company_suffixes",
    "company_lead_words", "path_starts", "id_card_data_followers", "first_party_words",
    "data_subject_words"};
// Map-valued keys: name -> list.
constexpr const char* kMaps[] = {"rights", "conditions", "time_subjects", "permission_groups",
                                 "table_columns"};
// table_columns: the column roles, in the order the analyser tries them.
constexpr const char* kTableRoles[] = {"link", "purpose", "provider", "data", "name"};

// Jargon is a short hand-written list; 1 MiB bounds a wrong file.
constexpr uint64_t kMaxJargonBytes = 1u << 20;
// The shipped model is ~3.4 MB; 64 MiB bounds a corrupt or hostile file.
constexpr uint64_t kMaxModelBytes = 64ull << 20;
// Header lines are short ("class 0 collection -5.37 0.086 -0.55"); a longer one means a wrong
// file, and the bound keeps a file without newlines from being scanned whole for each line.
constexpr size_t kMaxModelHeaderLine = 4096;
// The model classifies into the policy module's 13 categories; 256 bounds a hostile header.
constexpr int kMaxModelClasses = 256;

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// A list of words under `key` of `node` (a mapping), checked; false when it is not a list.
bool ReadList(const File& f, const YamlNode& node, const std::string& key, PolicyWordList* out) {
  out->line = node.line();
  if (!node.IsSequence()) {
    f.Fail(node, key, "expected a list of words ([a, b] or '- a' lines)");
    return false;
  }
  std::set<std::string> seen;
  for (const YamlNode& e : node) {
    if (!e.IsScalar()) {
      f.Fail(e, key, e.IsNull() ? "empty word" : "every word must be a single value");
      continue;
    }
    std::string w = e.Scalar();
    std::string why = internal::CheckWord(w, false);
    if (why.empty() && !seen.insert(w).second) why = "listed twice";
    if (!why.empty()) {
      f.Fail(e, key, "'" + w + "': " + why);
      continue;
    }
    out->words.push_back(std::move(w));
  }
  if (node.size() == 0) f.Fail(node, key, "the list is empty");
  return true;
}

void LoadLexiconYaml(const std::string& path, Errors* errors, PolicyLexiconData* out) {
  out->lexicon_path = path;
  File f;
  if (!internal::OpenYamlFile(path, errors, &f)) return;
  std::set<std::string> allowed = {"version", "sources"};
  for (const char* k : kLists) allowed.insert(k);
  for (const char* k : kMaps) allowed.insert(k);
  // Unknown and duplicate keys (Obj needs an initializer list, the key set is built here).
  std::set<std::string> seen;
  for (size_t i = 0; i < f.root.size(); ++i) {
    const YamlNode k = f.root.KeyAt(i);
    const std::string key = k.IsScalar() ? k.Scalar() : "?";
    if (!seen.insert(key).second) {
      f.Fail(k, "", "key '" + key + "' appears twice");
    } else if (allowed.count(key) == 0) {
      f.Fail(k, "", "unknown key '" + key + "' (see the comments of lexicon.yaml for the lists)");
    }
  }
  const YamlNode version = f.root["version"];
  if (!version.IsScalar() || version.Scalar().empty()) {
    f.Fail(version.IsDefined() ? version : f.root, "", "missing 'version' in the header");
  } else {
    out->version = version.Scalar();
  }
  const YamlNode sources = f.root["sources"];
  if (!sources.IsDefined() || sources.IsNull()) {
    f.Fail(f.root, "", "missing 'sources' in the header");
  } else if (sources.IsScalar()) {
    out->sources.push_back(sources.Scalar());
  } else if (sources.IsSequence()) {
    for (const YamlNode& s : sources) out->sources.push_back(s.Scalar());
  } else {
    f.Fail(sources, "sources", "expected a list");
  }

  for (const char* key : kLists) {
    const YamlNode n = f.root[key];
    if (!n.IsDefined() || n.IsNull()) {
      f.Fail(f.root, "", std::string("missing list '") + key + "'");
      continue;
    }
    PolicyWordList list;
    list.name = key;
    if (!ReadList(f, n, key, &list)) continue;
    if (list.name == "address_chars") {
      for (size_t i = 0; i < list.words.size(); ++i) {
        if (CodePoints(list.words[i]) != 1) {
          f.Fail(n[i], key, "'" + list.words[i] + "' is not a single character");
        }
      }
    }
    out->lists.push_back(std::move(list));
  }
  for (const char* key : kMaps) {
    const YamlNode n = f.root[key];
    if (!n.IsDefined() || n.IsNull()) {
      f.Fail(f.root, "", std::string("missing map '") + key + "'");
      continue;
    }
    if (!n.IsMap() || n.size() == 0) {
      f.Fail(n, key, "expected a mapping of name: [words]");
      continue;
    }
    std::vector<PolicyWordList> entries;
    std::set<std::string> names;
    for (size_t i = 0; i < n.size(); ++i) {
      const YamlNode k = n.KeyAt(i);
      PolicyWordList list;
      list.name = k.Scalar();
      const std::string what = std::string(key) + "." + list.name;
      if (list.name.empty()) {
        f.Fail(k, key, "empty name");
        continue;
      }
      if (!names.insert(list.name).second) {
        f.Fail(k, key, "'" + list.name + "' appears twice");
        continue;
      }
      if (std::string_view(key) == "permission_groups" &&
          list.name.rfind("android.permission-group.", 0) != 0) {
        f.Fail(k, key, "'" + list.name + "' is not an android.permission-group.* name");
      }
      if (std::string_view(key) == "table_columns") {
        bool role = false;
        for (const char* r : kTableRoles) role |= list.name == r;
        if (!role) {
          f.Fail(k, key,
                 "'" + list.name + "' is not a column role (link, purpose, provider, data, name)");
        }
      }
      if (ReadList(f, n.ValueAt(i), what, &list)) entries.push_back(std::move(list));
    }
    if (std::string_view(key) == "table_columns") {
      for (const char* r : kTableRoles) {
        if (names.count(r) == 0) f.Fail(n, key, std::string("missing column role '") + r + "'");
      }
    }
    out->maps.emplace_back(key, std::move(entries));
  }
}

void LoadJargon(const std::string& path, Errors* errors, PolicyLexiconData* out) {
  out->jargon_path = path;
  auto text = ReadFileToString(path, kMaxJargonBytes);
  if (!text.ok()) {
    errors->Add(text.status());
    return;
  }
  std::map<std::string, int> seen;
  size_t pos = 0;
  int line_no = 0;
  while (pos < text->size()) {
    size_t e = text->find('\n', pos);
    if (e == std::string::npos) e = text->size();
    ++line_no;
    std::string_view line(text->data() + pos, e - pos);
    pos = e + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    std::string term(line);
    if (std::string why = internal::CheckWord(term, false); !why.empty()) {
      errors->Fail(path, line_no, "", "'" + term + "': " + why);
      continue;
    }
    if (auto [it, ins] = seen.emplace(term, line_no); !ins) {
      errors->Fail(
          path, line_no, "",
          "'" + term + "' listed twice (first at line " + std::to_string(it->second) + ")");
      continue;
    }
    out->jargon.push_back(std::move(term));
  }
  if (out->jargon.empty()) errors->Fail(path, 1, "", "no terms (one per line, # for comments)");
}

bool ParseDouble(std::string_view s, double* out) {
  std::string tmp(s);
  char* end = nullptr;
  *out = std::strtod(tmp.c_str(), &end);
  return !tmp.empty() && end == tmp.c_str() + tmp.size() && std::isfinite(*out);
}

template <typename T>
bool ParseUint(std::string_view s, T* out) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

namespace internal {

void LoadPolicyLexiconFiles(const std::string& kb_dir, Errors* errors, PolicyLexiconData* out) {
  const std::string dir = kb_dir.empty() || kb_dir.back() == '/' ? kb_dir : kb_dir + "/";
  LoadLexiconYaml(dir + "policy/lexicon.yaml", errors, out);
  LoadJargon(dir + "policy/jargon.txt", errors, out);
}

}  // namespace internal

const std::vector<std::string>& PolicyLexiconData::List(std::string_view name) const {
  static const std::vector<std::string> kEmpty;
  for (const PolicyWordList& l : lists) {
    if (l.name == name) return l.words;
  }
  return kEmpty;
}

const std::vector<PolicyWordList>& PolicyLexiconData::Map(std::string_view name) const {
  static const std::vector<PolicyWordList> kEmpty;
  for (const auto& [key, entries] : maps) {
    if (key == name) return entries;
  }
  return kEmpty;
}

Result<PolicyLexiconData> LoadPolicyLexicon(const std::string& kb_dir, Diagnostics* diags) {
  Errors errors;
  PolicyLexiconData data;
  internal::LoadPolicyLexiconFiles(kb_dir, &errors, &data);
  if (errors.empty()) return data;
  if (diags != nullptr) {
    for (const Status& s : errors.all()) diags->AddStatus("kb.invalid", s);
  }
  return errors.all().front();
}

// Both model files start with a text header: a magic line, then "key value ..." lines up to
// "data", then the weights. Hands each line's space-separated fields to `on_line`, which returns
// the name of what is wrong or null; returns where the weights start and the "data" line's
// number. Errors name the file and line.
struct ModelHeaderEnd {
  size_t weights_offset = 0;
  int data_line = 0;
};
template <typename OnLine>
Result<ModelHeaderEnd> ReadModelHeader(std::string_view image, const std::string& name,
                                       std::string_view magic, std::string_view what,
                                       OnLine&& on_line) {
  size_t pos = 0;
  int line_no = 0;
  bool seen_magic = false;
  std::vector<std::string_view> f;
  auto fail = [&](const std::string& msg) {
    return InvalidInput(msg).InFile(name + ":" + std::to_string(line_no));
  };
  while (true) {
    const size_t e = image.find('\n', pos);
    ++line_no;
    if (e == std::string_view::npos || e - pos > kMaxModelHeaderLine) {
      return fail(std::string(what) + " header has no 'data' line");
    }
    const std::string_view line = image.substr(pos, e - pos);
    pos = e + 1;
    if (!seen_magic) {
      if (line != magic) return fail("bad magic, want '" + std::string(magic) + "'");
      seen_magic = true;
      continue;
    }
    if (line == "data") return ModelHeaderEnd{pos, line_no};
    f.clear();
    for (size_t s = 0; s <= line.size();) {
      size_t sp = line.find(' ', s);
      if (sp == std::string_view::npos) sp = line.size();
      f.push_back(line.substr(s, sp - s));
      s = sp + 1;
    }
    if (const char* bad = on_line(f)) return fail(std::string("bad '") + bad + "' line");
  }
}

Result<SentenceModelHeader> ParseSentenceModel(std::string_view image, const std::string& name) {
  SentenceModelHeader h;
  int classes = -1;
  auto header = ReadModelHeader(
      image, name, "PIAUDIT-SENTENCE-MODEL 1", "model",
      [&](const std::vector<std::string_view>& f) -> const char* {
        if (f[0] == "buckets" && f.size() == 2) {
          uint32_t b = 0;
          if (!ParseUint(f[1], &b) || b == 0 || (b & (b - 1)) != 0 || b > (1u << 24)) {
            return "buckets";
          }
          h.buckets = b;
        } else if (f[0] == "classes" && f.size() == 2) {
          int c = 0;
          if (!ParseUint(f[1], &c) || c < 1 || c > kMaxModelClasses) return "classes";
          classes = c;
        } else if (f[0] == "meta" && f.size() >= 3) {
          h.meta.emplace_back(std::string(f[1]), std::string(f[2]));
        } else if (f[0] == "class" && f.size() == 6) {
          int c = -1;
          if (!ParseUint(f[1], &c) || c != static_cast<int>(h.classes.size()) ||
              c >= kMaxModelClasses) {
            return "class";
          }
          SentenceModelClass k;
          k.name = std::string(f[2]);
          if (!ParseDouble(f[3], &k.bias) || !ParseDouble(f[4], &k.scale) ||
              !ParseDouble(f[5], &k.threshold)) {
            return "class numbers";
          }
          h.classes.push_back(std::move(k));
        } else {
          return "unknown";
        }
        return nullptr;
      });
  if (!header.ok()) return header.status();
  auto fail = [&](const std::string& msg) {
    return InvalidInput(msg).InFile(name + ":" + std::to_string(header->data_line));
  };
  const size_t pos = header->weights_offset;
  if (classes < 0 || static_cast<size_t>(classes) != h.classes.size() || h.buckets == 0) {
    return fail(
        "model header incomplete: want 'buckets', 'classes' and one 'class' line per class");
  }
  const uint64_t need = static_cast<uint64_t>(classes) * h.buckets;
  if (image.size() - pos != need) {
    return fail("model has " + std::to_string(image.size() - pos) +
                " weight bytes after 'data', want " + std::to_string(need) + " (" +
                std::to_string(classes) + " classes x " + std::to_string(h.buckets) + " buckets)");
  }
  h.weights_offset = pos;
  return h;
}

Result<SentenceModelHeader> CheckSentenceModelFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<MappedFile> file, MappedFile::Open(path, kMaxModelBytes));
  return ParseSentenceModel(file->bytes().AsStringView(), path);
}

Result<SpanModelHeader> ParseSpanModel(std::string_view image, const std::string& name) {
  // The policy module's layers: 11 tags in layer a (O + B/I of 5 classes), 5 in layer b.
  constexpr int kTagsA = 11, kTagsB = 5;
  SpanModelHeader h;
  auto header = ReadModelHeader(
      image, name, "PIAUDIT-SPAN-MODEL 1", "span model",
      [&](const std::vector<std::string_view>& f) -> const char* {
        auto ints = [&](size_t want, std::vector<int32_t>* out) {
          if (f.size() != want + 2 || !out->empty()) return false;
          for (size_t i = 2; i < f.size(); ++i) {
            double v = 0;
            // Bounded so that a path sum over max_sentence_chars positions cannot overflow int32.
            if (!ParseDouble(f[i], &v) || v != std::floor(v) || std::fabs(v) > 100000) return false;
            out->push_back(static_cast<int32_t>(v));
          }
          return true;
        };
        if (f[0] == "buckets" && f.size() == 2) {
          uint32_t b = 0;
          if (!ParseUint(f[1], &b) || b < 2 || (b & (b - 1)) != 0 || b > (1u << 24)) {
            return "buckets";
          }
          h.buckets = b;
        } else if (f[0] == "tags" && f.size() == 2) {
          if (!ParseUint(f[1], &h.tags) || h.tags != kTagsA + kTagsB) return "tags";
        } else if (f[0] == "meta" && f.size() >= 3) {
          h.meta.emplace_back(std::string(f[1]), std::string(f[2]));
        } else if (f[0] == "trans" && f.size() >= 2 && (f[1] == "a" || f[1] == "b")) {
          const bool a = f[1] == "a";
          if (!ints(a ? kTagsA * kTagsA : kTagsB * kTagsB, a ? &h.trans_a : &h.trans_b)) {
            return "trans";
          }
        } else if (f[0] == "start" && f.size() >= 2 && (f[1] == "a" || f[1] == "b")) {
          const bool a = f[1] == "a";
          if (!ints(a ? kTagsA : kTagsB, a ? &h.start_a : &h.start_b)) return "start";
        } else {
          return "unknown";
        }
        return nullptr;
      });
  if (!header.ok()) return header.status();
  auto fail = [&](const std::string& msg) {
    return InvalidInput(msg).InFile(name + ":" + std::to_string(header->data_line));
  };
  const size_t pos = header->weights_offset;
  if (h.buckets == 0 || h.tags == 0 || h.trans_a.empty() || h.trans_b.empty() ||
      h.start_a.empty() || h.start_b.empty()) {
    return fail(
        "span model header incomplete: want 'buckets', 'tags', 'trans a', 'trans b', "
        "'start a' and 'start b'");
  }
  const uint64_t need = static_cast<uint64_t>(h.tags) * h.buckets;
  if (image.size() - pos != need) {
    return fail("span model has " + std::to_string(image.size() - pos) +
                " weight bytes after 'data', want " + std::to_string(need) + " (" +
                std::to_string(h.tags) + " tags x " + std::to_string(h.buckets) + " buckets)");
  }
  h.weights_offset = pos;
  return h;
}

Result<SpanModelHeader> CheckSpanModelFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<MappedFile> file, MappedFile::Open(path, kMaxModelBytes));
  return ParseSpanModel(file->bytes().AsStringView(), path);
}

}  // namespace piaudit::knowledge
