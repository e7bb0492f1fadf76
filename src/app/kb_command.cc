// `piaudit kb`: validate and inspect the knowledge base, and do working-day arithmetic.
//
//   piaudit kb check [--kb DIR]                       validate; print counts; 0 ok, 3 invalid
//   piaudit kb show sdk|type|apptype|item|permission|packer|threshold ID [--format text|json]
//   piaudit kb workdays add DATE N | between D1 D2 | is DATE
//   piaudit kb fingerprint APK... -o DIR              build SDK reference fingerprints
//
// A regulator edits data/*.yaml and runs `kb check`; every problem is printed as
// "<file>:<line>: <entry>: <what is wrong>".
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "app/commands.h"
#include "app/kb_location.h"
#include "knowledge/knowledge_base.h"

namespace piaudit::app {
namespace {

using knowledge::KnowledgeBase;
using json = nlohmann::ordered_json;

struct KbOptions {
  std::string kb_dir;
  std::string kind;
  std::string id;
  std::string format = "text";
  std::string date1;
  std::string date2;
  long long n = 0;
};

std::string Dir(const KbOptions& o) { return o.kb_dir.empty() ? DefaultKbDir() : o.kb_dir; }

// Loads the tree; on failure prints every error and returns null.
std::unique_ptr<KnowledgeBase> LoadOrReport(const KbOptions& o, int* exit_code) {
  Diagnostics diags;
  auto kb = KnowledgeBase::Load(Dir(o), &diags);
  if (kb.ok()) return std::make_unique<KnowledgeBase>(std::move(kb).value());
  if (diags.items().empty()) {
    std::fprintf(stderr, "%s\n", kb.status().ToString().c_str());
  }
  for (const Diagnostic& d : diags.items()) {
    std::string line = d.file;
    if (!line.empty()) line += ": ";
    if (!d.structure.empty()) line += d.structure + ": ";
    std::fprintf(stderr, "%s%s\n", line.c_str(), d.message.c_str());
  }
  std::fprintf(stderr, "piaudit kb: %s is invalid (%zu problem%s)\n", Dir(o).c_str(),
               diags.items().size() + (diags.items().empty() ? 1 : 0),
               diags.items().size() == 1 ? "" : "s");
  *exit_code = kb.status().code() == StatusCode::kInternal ? kExitInternal : kExitBadInput;
  return nullptr;
}

void Check(const KbOptions& o, int* exit_code) {
  auto kb = LoadOrReport(o, exit_code);
  if (!kb) return;
  size_t prefixes = 0;
  for (const auto& s : kb->sdks()) prefixes += s.prefixes.size();
  const auto& cal = kb->calendar();
  std::printf("knowledge base %s %s (%s) at %s: ok\n", kb->version().id.c_str(),
              kb->version().version.c_str(), kb->version().date.c_str(), Dir(o).c_str());
  std::printf("  pi types      %zu\n", kb->pi_types().size());
  std::printf("  apis          %zu (+ %zu content URIs, %zu intents)\n", kb->apis().size(),
              kb->content_uris().size(), kb->intents().size());
  std::printf("  permissions   %zu\n", kb->permissions().size());
  std::printf("  sdks          %zu (%zu prefixes)\n", kb->sdks().size(), prefixes);
  std::printf("  fingerprints  %zu SDK references, %zu method hashes\n",
              kb->sdk_fingerprints().sets().size(), kb->sdk_fingerprints().method_hashes());
  std::printf("  packers       %zu\n", kb->packers().size());
  std::printf("  app types     %zu (+ %zu category hints)\n", kb->app_types().size(),
              kb->app_type_hints().size());
  std::printf("  items         %zu\n", kb->items().size());
  std::printf("  messages      %zu (zh and en)\n", kb->messages().size());
  std::printf("  thresholds    %zu\n", kb->thresholds().size());
  std::printf("  holidays      %zu dates, %s..%s\n", cal.entries().size(),
              cal.first().ToString().c_str(), cal.last().ToString().c_str());
  std::printf("  review        %zu states, %zu transitions\n", kb->review_process().states.size(),
              kb->review_process().transitions.size());
  std::printf("  lexicon       %zu terms, %zu automaton states\n", kb->lexicon().term_count(),
              kb->lexicon().state_count());
  std::printf("  automaton     %zu bytes of transition table (%zu byte classes)\n",
              kb->lexicon().table_bytes(), kb->lexicon().class_count());
  std::printf("  categories    %zu SDK categories\n", kb->sdk_categories().size());
  std::printf("  framework     %zu classes, %zu implicit-edge rules\n",
              kb->android_framework().classes().size(), kb->android_framework().rules().size());
  const knowledge::ConsentWords& cw = kb->consent_words();
  size_t consent_words = cw.privacy_text.words.size() + cw.agree.words.size() +
                         cw.agree.veto.size() + cw.disagree.words.size() +
                         cw.agree_view_ids.words.size() + cw.agree_view_ids.veto.size() +
                         cw.consent_keys.words.size() + cw.policy_url_path.words.size() +
                         cw.policy_url_context.words.size() + cw.agreement_url_words.words.size() +
                         cw.not_policy_names.words.size() + cw.consent_text.words.size() +
                         cw.bundled_policy.file_name.words.size();
  for (const auto& g : cw.bundled_policy.text) consent_words += g.words.size();
  std::printf("  consent words %zu in 11 lists\n", consent_words);
  std::printf("  perm requests %zu methods, %zu classes\n",
              kb->permission_requests().methods.size(), kb->permission_requests().classes.size());
  const knowledge::PolicyLexiconData& pw = kb->policy_words();
  size_t policy_words = 0;
  for (const auto& l : pw.lists) policy_words += l.words.size();
  for (const auto& [key, entries] : pw.maps) {
    for (const auto& l : entries) policy_words += l.words.size();
  }
  std::printf("  policy words  %zu in %zu lists and %zu maps, %zu jargon terms\n", policy_words,
              pw.lists.size(), pw.maps.size(), pw.jargon.size());
  const knowledge::SentenceModelHeader& model = kb->sentence_model();
  std::printf("  policy model  %zu classes x %u buckets\n", model.classes.size(), model.buckets);
  *exit_code = kExitOk;
}

json Where(const knowledge::DataLocation& w) { return w.file + ":" + std::to_string(w.line); }

json SdkJson(const knowledge::Sdk& s) {
  json prefixes = json::array();
  for (const auto& p : s.prefixes) {
    prefixes.push_back({{"prefix", p.prefix},
                        {"quality", std::string(knowledge::PrefixQualityName(p.quality))},
                        {"unverified", p.unverified}});
  }
  json version = json::array();
  for (const auto& v : s.version) {
    json o = {{"source", v.source}};
    if (!v.ref.empty()) o["ref"] = v.ref;
    if (!v.meta_inf.empty()) o["meta_inf"] = v.meta_inf;
    version.push_back(std::move(o));
  }
  return {{"id", s.id},
          {"zh", s.zh},
          {"en", s.en},
          {"provider", s.provider},
          {"category", s.category},
          {"prefixes", prefixes},
          {"class_patterns", s.class_patterns},
          {"components", s.components},
          {"meta_data", s.meta_data},
          {"native_libs", s.native_libs},
          {"assets", s.assets},
          {"hosts", s.hosts},
          {"pi", s.pi},
          {"pi_source", s.pi_source},
          {"privacy_policy", s.privacy_policy},
          {"website", s.website},
          {"policy_names", s.policy_names},
          {"related", s.related},
          {"features",
           {{"strings", s.features.strings},
            {"hosts", s.features.hosts},
            {"class_suffixes", s.features.class_suffixes}}},
          {"version", std::move(version)},
          {"note", s.note},
          {"source", s.source},
          {"unverified", s.unverified},
          {"defined_at", Where(s.where)}};
}

json PiTypeJson(const knowledge::PiType& t) {
  return {{"id", t.id},
          {"zh", t.zh},
          {"en", t.en},
          {"sensitive", t.sensitive},
          {"gbt35273", t.gbt35273},
          {"parent", t.parent},
          {"group", t.group},
          {"synonyms", t.synonyms},
          {"note", t.note},
          {"source", t.source},
          {"defined_at", Where(t.where)}};
}

json AppTypeJson(const knowledge::AppType& t) {
  return {{"id", t.id},
          {"number", t.number},
          {"zh", t.zh},
          {"en", t.en},
          {"basic_function", t.basic_function},
          {"necessary", t.necessary},
          {"necessary_pi", t.necessary_pi},
          {"none", t.none},
          {"source", t.source},
          {"defined_at", Where(t.where)}};
}

json ItemJson(const knowledge::Item& i) {
  return {{"id", i.id},
          {"category", i.category},
          {"category_zh", i.category_zh},
          {"category_en", i.category_en},
          {"zh", i.zh},
          {"en", i.en},
          {"evidence", i.evidence},
          {"related", i.related},
          {"remediation", i.remediation},
          {"source", i.source},
          {"defined_at", Where(i.where)}};
}

json PermissionJson(const knowledge::Permission& p) {
  return {{"name", p.name},
          {"dangerous", p.dangerous},
          {"protection", p.protection},
          {"group", p.group},
          {"pi", p.pi},
          {"api_levels", p.api_levels},
          {"term", p.term},
          {"note", p.note},
          {"source", p.source},
          {"defined_at", Where(p.where)}};
}

json PackerJson(const knowledge::Packer& p) {
  return {{"id", p.id},
          {"zh", p.zh},
          {"en", p.en},
          {"provider", p.provider},
          {"classes", p.classes},
          {"application_classes", p.application_classes},
          {"native_libs", p.native_libs},
          {"assets", p.assets},
          {"source", p.source},
          {"defined_at", Where(p.where)}};
}

json ThresholdJson(const knowledge::Threshold& t) {
  json j = {
      {"id", t.id},         {"unit", t.unit},     {"applies_to", t.applies_to},  {"items", t.items},
      {"status", t.status}, {"source", t.source}, {"defined_at", Where(t.where)}};
  j["value"] = t.value ? json(*t.value) : json(nullptr);
  return j;
}

// Text form: one "key: value" line per field, lists joined with ", ".
void PrintText(const json& j) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    const json& v = it.value();
    std::string s;
    if (v.is_string()) {
      s = v.get<std::string>();
    } else if (v.is_array()) {
      for (const json& e : v) {
        if (!s.empty()) s += ", ";
        if (e.is_string()) {
          s += e.get<std::string>();
        } else if (e.is_object() && e.contains("prefix")) {
          s += e["prefix"].get<std::string>();
          if (e["quality"] != "distinct") s += " (" + e["quality"].get<std::string>() + ")";
          if (e["unverified"].get<bool>()) s += " (unverified)";
        } else {
          s += e.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        }
      }
    } else if (v.is_object()) {
      for (auto f = v.begin(); f != v.end(); ++f) {
        if (f.value().empty()) continue;
        if (!s.empty()) s += "; ";
        s += f.key() + ": " +
             f.value().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      }
    } else {
      s = v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    if (s.empty() || s == "null") continue;
    std::printf("%-16s %s\n", (it.key() + ":").c_str(), s.c_str());
  }
}

void Show(const KbOptions& o, int* exit_code) {
  if (o.format != "text" && o.format != "json") {
    std::fprintf(stderr, "piaudit kb show: --format must be text or json\n");
    *exit_code = kExitUsage;
    return;
  }
  auto kb = LoadOrReport(o, exit_code);
  if (!kb) return;
  json j;
  const std::string& k = o.kind;
  if (k == "sdk") {
    if (const auto* s = kb->FindSdk(o.id)) j = SdkJson(*s);
  } else if (k == "type" || k == "pi") {
    if (const auto* t = kb->FindPiType(o.id)) {
      j = PiTypeJson(*t);
    } else if (const auto* a = kb->FindAppType(o.id)) {
      j = AppTypeJson(*a);
    }
  } else if (k == "apptype" || k == "app_type") {
    if (const auto* a = kb->FindAppType(o.id)) j = AppTypeJson(*a);
  } else if (k == "item") {
    if (const auto* i = kb->FindItem(o.id)) j = ItemJson(*i);
  } else if (k == "permission") {
    if (const auto* p = kb->FindPermission(o.id)) j = PermissionJson(*p);
  } else if (k == "packer") {
    if (const auto* p = kb->FindPacker(o.id)) j = PackerJson(*p);
  } else if (k == "threshold") {
    if (const auto* t = kb->FindThreshold(o.id)) j = ThresholdJson(*t);
  } else {
    std::fprintf(stderr,
                 "piaudit kb show: unknown kind '%s' (sdk, type, apptype, item, permission, "
                 "packer, threshold)\n",
                 k.c_str());
    *exit_code = kExitUsage;
    return;
  }
  if (j.is_null()) {
    std::fprintf(stderr, "piaudit kb show: no %s '%s' in %s\n", k.c_str(), o.id.c_str(),
                 Dir(o).c_str());
    *exit_code = kExitBadInput;
    return;
  }
  if (o.format == "json") {
    std::printf("%s\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    PrintText(j);
  }
  *exit_code = kExitOk;
}

// Parses a date argument; a malformed one is a usage error.
bool ParseArg(const std::string& text, knowledge::Date* out, int* exit_code) {
  auto d = knowledge::ParseDate(text);
  if (!d.ok()) {
    std::fprintf(stderr, "piaudit kb workdays: %s\n", std::string(d.status().message()).c_str());
    *exit_code = kExitUsage;
    return false;
  }
  *out = *d;
  return true;
}

void Workdays(const KbOptions& o, const std::string& op, int* exit_code) {
  knowledge::Date a, b;
  if (!ParseArg(o.date1, &a, exit_code)) return;
  if (op == "between" && !ParseArg(o.date2, &b, exit_code)) return;
  auto kb = LoadOrReport(o, exit_code);
  if (!kb) return;
  const auto& cal = kb->calendar();
  auto fail = [&](const Status& s) {
    std::fprintf(stderr, "piaudit kb workdays: %s\n", s.ToString().c_str());
    *exit_code = kExitBadInput;
  };
  if (op == "add") {
    auto r = cal.AddWorkingDays(a, o.n);
    if (!r.ok()) return fail(r.status());
    std::printf("%s\n", r->ToString().c_str());
  } else if (op == "between") {
    auto r = cal.WorkingDaysBetween(a, b);
    if (!r.ok()) return fail(r.status());
    std::printf("%lld\n", static_cast<long long>(*r));
  } else {
    auto r = cal.IsWorkingDay(a);
    if (!r.ok()) return fail(r.status());
    std::printf("%s\n", *r ? "working" : "rest");
  }
  *exit_code = kExitOk;
}

}  // namespace

void RegisterKbCommand(CLI::App& cli, int* exit_code) {
  auto opts = std::make_shared<KbOptions>();
  auto* kb = cli.add_subcommand("kb", "Validate and inspect the knowledge base; working days");
  kb->require_subcommand(1);
  kb->footer(std::string("Examples:\n  piaudit kb check\n  piaudit kb check --kb my-data/\n"
                         "  piaudit kb show sdk jpush\n  piaudit kb workdays add 2026-09-30 15\n\n"
                         "kb check fails (exit 3) on any invalid entry, e.g. a message of "
                         "data/messages.yaml\nwithout its zh or en text, or whose texts use "
                         "different {parameters}.\n\n") +
             kExitCodesHelp);
  auto add_kb = [opts](CLI::App* c) {
    c->add_option("--kb", opts->kb_dir, "Knowledge-base directory (default: bundled data/)");
  };

  auto* check =
      kb->add_subcommand("check", "Validate every file; print counts (exit 3 if invalid)");
  add_kb(check);
  check->callback([opts, exit_code] { Check(*opts, exit_code); });

  auto* show = kb->add_subcommand(
      "show", "Show one entry: sdk|type|apptype|item|permission|packer|threshold ID");
  show->add_option("kind", opts->kind,
                   "sdk, type (PI type), apptype, item, permission, packer, threshold")
      ->required();
  show->add_option("id", opts->id, "The entry's id, e.g. jpush, imei, IM-3.1")->required();
  show->add_option("--format", opts->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  add_kb(show);
  show->callback([opts, exit_code] { Show(*opts, exit_code); });

  auto* wd = kb->add_subcommand("workdays", "Working days under China's holiday notices (工作日)");
  wd->require_subcommand(1);
  auto* wadd =
      wd->add_subcommand("add", "The N-th working day after DATE (the day itself is day 0)");
  wadd->add_option("date", opts->date1, "YYYY-MM-DD")->required();
  wadd->add_option("n", opts->n, "Working days (negative counts backwards)")->required();
  add_kb(wadd);
  wadd->callback([opts, exit_code] { Workdays(*opts, "add", exit_code); });
  auto* wbet = wd->add_subcommand("between", "Working days after D1 up to and including D2");
  wbet->add_option("d1", opts->date1, "YYYY-MM-DD")->required();
  wbet->add_option("d2", opts->date2, "YYYY-MM-DD")->required();
  add_kb(wbet);
  wbet->callback([opts, exit_code] { Workdays(*opts, "between", exit_code); });
  auto* wis = wd->add_subcommand("is", "Whether DATE is a working day");
  wis->add_option("date", opts->date1, "YYYY-MM-DD")->required();
  add_kb(wis);
  wis->callback([opts, exit_code] { Workdays(*opts, "is", exit_code); });

  RegisterKbFingerprintCommand(*kb, exit_code);
}

}  // namespace piaudit::app
