// FindConsentGate (see consent_gate.h for the recipe).
#include "analysis/consent_gate.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "analysis/reachability.h"
#include "base/ascii.h"
#include "base/stop.h"

namespace piaudit::analysis {
namespace {

// How far (in calls) from the agree handler the flag write may sit: handlers usually call a
// helper (SpUtils.putBoolean) or a method of the activity that stores and then initialises.
constexpr uint32_t kHandlerSearchDepth = 6;

size_t CountOf(const std::string& s, const std::string& w) {
  size_t n = 0;
  for (size_t p = s.find(w); p != std::string::npos; p = s.find(w, p + 1)) ++n;
  return n;
}

// The view id name of a button without text (agree_view_ids: "btn_agree", not "btn_disagree").
// The lists are lower-case; the name is lowered once.
bool NameSaysAgree(const knowledge::VetoedWords& words, std::string_view id_name) {
  const std::string n = AsciiLower(id_name);
  for (const knowledge::CountedWord& w : words.words) {
    if (!w.unless.empty() && CountOf(n, w.word) > CountOf(n, w.unless)) return true;
  }
  for (const std::string& no : words.veto) {
    if (n.find(no) != std::string::npos) return false;
  }
  for (const knowledge::CountedWord& yes : words.words) {
    if (yes.unless.empty() && n.find(yes.word) != std::string::npos) return true;
  }
  return false;
}

// A preference key that stores consent (consent_keys: "privacy_agreed").
bool KeySaysConsent(const knowledge::WordList& words, std::string_view key) {
  const std::string k = AsciiLower(key);
  for (const std::string& w : words.words) {
    if (k.find(w) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::string Excerpt(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

std::unordered_set<uint32_t> InterestingResourceIds(const ResourceStrings& res,
                                                    const ConsentText& consent) {
  const knowledge::VetoedWords& view_ids = consent.words().agree_view_ids;
  std::unordered_set<uint32_t> ids;
  for (const auto& s : res.strings) {
    if (s.id != 0 && (consent.IsPrivacyText(s.text) || consent.HasAgreeWord(s.text) ||
                      consent.HasDisagreeWord(s.text))) {
      ids.insert(s.id);
    }
  }
  for (const auto& l : res.layouts) {
    bool privacy = false;
    for (const auto& v : l.views) {
      privacy = privacy || consent.IsPrivacyText(v.text);
      if (v.id != 0 && (consent.HasAgreeWord(v.text) || consent.HasDisagreeWord(v.text) ||
                        NameSaysAgree(view_ids, v.id_name))) {
        ids.insert(v.id);
      }
    }
    if (privacy && l.id != 0) ids.insert(l.id);
  }
  return ids;
}

GateAnalysis FindConsentGate(const ClassHierarchy& h, const CallGraph& g, const ScanFacts& facts,
                             const ResourceStrings& res, const ConsentText& consent,
                             uint32_t max_handlers, const StopCondition* stop) {
  const CodeModel& m = h.model();
  const knowledge::WordList& consent_keys = consent.words().consent_keys;
  const knowledge::VetoedWords& view_ids = consent.words().agree_view_ids;
  GateAnalysis out;
  // Facts handled between two stop checks in the loops below; a stop returns what was found so
  // far, which the caller discards.
  constexpr size_t kFactsPerStopCheck = 256;
  ConsentGate& r = out.report;

  // 1. Dialog evidence.
  std::unordered_set<uint32_t> privacy_ids;
  std::unordered_map<uint32_t, bool> view_agree;  // view id -> says agree
  for (const auto& s : res.strings) {
    if (!consent.IsPrivacyText(s.text)) continue;
    if (s.id != 0) privacy_ids.insert(s.id);
    if (consent.HasAgreeWord(s.text) || consent.HasDisagreeWord(s.text) || r.dialog.size() < 8) {
      r.dialog.push_back({"string_resource", s.name, Excerpt(s.text)});
    }
  }
  for (const auto& l : res.layouts) {
    bool privacy = false;
    for (const auto& v : l.views) {
      privacy = privacy || consent.IsPrivacyText(v.text);
      if (v.id == 0) continue;
      const bool agree = (consent.HasAgreeWord(v.text) && !consent.HasDisagreeWord(v.text)) ||
                         (v.text.empty() && NameSaysAgree(view_ids, v.id_name));
      view_agree[v.id] = agree;
    }
    if (privacy) {
      if (l.id != 0) privacy_ids.insert(l.id);
      r.dialog.push_back({"layout", l.name, ""});
    }
  }
  std::set<uint32_t> dialog_methods;
  for (const TextFact& t : facts.texts) {
    if (!consent.IsPrivacyText(t.text)) continue;
    dialog_methods.insert(t.caller);
    if (r.dialog.size() < 32)
      r.dialog.push_back({"const_string", m.MethodName(t.caller), Excerpt(t.text)});
  }
  for (const LiteralFact& l : facts.literals) {
    if (privacy_ids.count(l.value)) dialog_methods.insert(l.caller);
  }
  std::unordered_set<uint32_t> dialog_classes;
  for (uint32_t dm : dialog_methods) {
    r.dialog_methods.push_back(m.MethodName(dm));
    dialog_classes.insert(m.methods()[dm].cls);
  }
  if (!dialog_methods.empty()) {
    r.dialog.push_back({"dialog_code", r.dialog_methods.front(), ""});
  }

  // 2. Agree handlers: listeners registered in the dialog's classes.
  std::vector<uint32_t> handlers;
  auto add_handlers = [&](uint32_t listener) {
    if (listener == kNoId || !m.classes()[listener].defined) return;
    for (const FrameworkClass* f : h.FrameworkBases(listener)) {
      if (!f->user) continue;
      for (const std::string& s : f->callbacks) {
        const uint32_t sig = m.FindSigId(s);
        const uint32_t t = sig == kNoId ? kNoId : h.ResolveUp(listener, sig);
        if (t == kNoId || std::find(handlers.begin(), handlers.end(), t) != handlers.end()) {
          continue;
        }
        if (handlers.size() >= max_handlers) {
          ++out.handlers_not_searched;
        } else {
          handlers.push_back(t);
        }
      }
    }
  };
  if (ShouldStop(stop)) return out;
  for (size_t i = 0; i < facts.buttons.size(); ++i) {
    if (i % kFactsPerStopCheck == 0 && ShouldStop(stop)) return out;
    const ButtonFact& b = facts.buttons[i];
    if (!dialog_classes.count(m.methods()[b.caller].cls)) continue;
    bool agree = false;
    if (b.which == 1) agree = true;
    if (b.which == 0) {
      auto it = view_agree.find(b.res_id);
      agree = it != view_agree.end() ? it->second : b.res_id == 0;  // unknown view: candidate
    }
    // A constant button text overrides the button's role only when it says something.
    if (consent.HasDisagreeWord(b.text)) {
      agree = false;
    } else if (consent.HasAgreeWord(b.text)) {
      agree = true;
    }
    if (agree) add_handlers(b.listener_cls);
  }

  // 3. The flag the handler stores.
  std::unordered_map<uint32_t, std::vector<const FlagWriteFact*>> writes_by_method;
  for (const FlagWriteFact& w : facts.flag_writes) writes_by_method[w.caller].push_back(&w);
  if (!handlers.empty()) {
    BfsOptions o;
    o.max_depth = kHandlerSearchDepth;
    o.stop = stop;
    for (uint32_t handler : handlers) {
      const Reach reach = Bfs(g, {handler}, o);
      if (reach.stopped) return out;
      // BFS order approximated by scanning reached writers; prefer the handler itself.
      const FlagWriteFact* best = nullptr;
      uint32_t best_depth = kNoId;
      for (const auto& [method, list] : writes_by_method) {
        if (!reach.Reached(method)) continue;
        uint32_t depth = 0;
        for (uint32_t x = method; reach.parent[x] != kNoId && depth < 64; x = reach.parent[x])
          ++depth;
        for (const FlagWriteFact* w : list) {
          const bool better = best == nullptr || depth < best_depth ||
                              (depth == best_depth && KeySaysConsent(consent_keys, w->key) &&
                               !KeySaysConsent(consent_keys, best->key));
          if (better) {
            best = w;
            best_depth = depth;
          }
        }
      }
      if (best == nullptr) continue;
      if (r.flag_key.empty()) {
        r.flag_key = best->key;
        r.flag_kind = best->field ? "field" : "preference";
      }
      if (best->key == r.flag_key) {
        out.agree_handlers.push_back(handler);
        r.agree_handlers.push_back(m.MethodName(handler));
      }
    }
  }
  if (r.flag_key.empty()) {
    for (const FlagWriteFact& w : facts.flag_writes) {
      if (KeySaysConsent(consent_keys, w.key)) {
        r.flag_key = w.key;
        r.flag_kind = w.field ? "field" : "preference";
        break;
      }
    }
  }
  if (!r.flag_key.empty()) {
    for (size_t i = 0; i < facts.flag_writes.size(); ++i) {
      if (i % kFactsPerStopCheck == 0 && ShouldStop(stop)) return out;
      const FlagWriteFact& w = facts.flag_writes[i];
      if (w.key == r.flag_key && std::find(r.flag_writers.begin(), r.flag_writers.end(),
                                           m.MethodName(w.caller)) == r.flag_writers.end()) {
        r.flag_writers.push_back(m.MethodName(w.caller));
      }
    }
    for (const FlagReadFact& rd : facts.flag_reads) {
      if (rd.key != r.flag_key || rd.branch_pc == kNoId) continue;
      auto [it, inserted] = out.gates.emplace(rd.caller, rd.branch_pc);
      if (!inserted) it->second = std::min(it->second, rd.branch_pc);
      if (inserted) r.flag_readers.push_back(m.MethodName(rd.caller));
    }
  }

  r.found = !r.dialog.empty() && !r.flag_key.empty() && !out.agree_handlers.empty();
  if (!r.found) {
    if (r.dialog.empty()) {
      r.note = "no privacy-policy text in string resources, layouts or code constants";
    } else if (handlers.empty()) {
      r.note = "privacy text found but no agree button listener in the classes that use it";
    } else if (out.agree_handlers.empty()) {
      r.note = "agree handler found but it stores no constant-key flag within " +
               std::to_string(kHandlerSearchDepth) + " calls";
    }
    if (!r.flag_key.empty()) r.note += "; consent-like flag '" + r.flag_key + "' used as gate";
  } else if (r.flag_readers.empty()) {
    r.note = "flag '" + r.flag_key + "' is stored but never read and branched on";
  }
  return out;
}

}  // namespace piaudit::analysis
