// Trains data/policy/span_model.bin: an averaged structured perceptron over the features of
// policy::SpanLabeller (the same function the analyser runs), on CA4P-483 documents.
//
// Called by scripts/policy/train_spans.py, which chooses the split (train/validation by document)
// and writes the lists. Each document is analysed as plain text with the bundled knowledge base,
// so segmentation, sentence categories and lexicon marks are exactly those of `piaudit policy`.
// Only sentences SpanLabeller::Relevant() accepts are trained on (the analyser labels no others).
// After every epoch the averaged weights are decoded on the validation documents; the epoch with
// the best micro overlap F1 over data, handler+receiver and purpose is written out.
//
// Usage: piaudit-span-train --kb DIR --corpus DIR --train IDS --val IDS --out FILE
//                           [--epochs N] [--runs R] [--buckets B] [--objective core|core+data|data]
//                           [--min-core F]
//                           [--meta KEY=VALUE]...
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "base/limits.h"
#include "base/mapped_file.h"
#include "knowledge/knowledge_base.h"
#include "policy/policy_analyzer.h"
#include "policy/segmenter.h"
#include "policy/span_labeller.h"

namespace {

using piaudit::policy::LabelledSpan;
using piaudit::policy::SpanClass;
using piaudit::policy::SpanLabeller;
constexpr int kTags = SpanLabeller::kTags;
constexpr int kF = SpanLabeller::kFeatures;
constexpr int kTA = SpanLabeller::kLayerATags, kTB = SpanLabeller::kLayerBTags;

struct Example {
  std::vector<uint32_t> feats;  // n * kF
  std::vector<uint8_t> gold_a, gold_b;
  size_t n = 0;
};

struct Doc {
  std::vector<Example> sents;
  // Gold spans outside relevant sentences (count as missed in the validation figure).
  std::array<int, piaudit::policy::kSpanClassCount> missed{};
};

// CA4P class id -> (layer, class index within the layer).
bool ClassOf(const std::string& id, int* layer, int* k) {
  static const std::map<std::string, std::pair<int, int>> m = {
      {"e_21", {0, 0}}, {"e_22", {0, 1}}, {"e_23", {0, 2}}, {"e_24", {0, 3}},
      {"e_26", {0, 4}}, {"e_25", {1, 0}}, {"e_27", {1, 1}}};
  auto it = m.find(id);
  if (it == m.end()) return false;
  *layer = it->second.first;
  *k = it->second.second;
  return true;
}

SpanClass GlobalClass(int layer, int k) {
  return layer == 0 ? static_cast<SpanClass>(k) : static_cast<SpanClass>(5 + k);
}

struct Model {
  uint32_t buckets;
  std::vector<float> w;
  std::array<float, kTA * kTA> ta{};
  std::array<float, kTB * kTB> tb{};
  std::array<float, kTA> sa{};
  std::array<float, kTB> sb{};
};

// Float Viterbi with the structural constraint (I-x only after B-x/I-x, never first).
void Decode(const float* em, size_t n, int layer, const float* trans, const float* start,
            uint8_t* out) {
  const int T = layer == 0 ? kTA : kTB;
  const int off = layer == 0 ? 0 : kTA;
  auto allowed = [](int from, int to) {
    const bool inside = to > 0 && to % 2 == 0;
    return !inside || from == to || from == to - 1;
  };
  std::vector<float> cur(T), nxt(T);
  std::vector<uint8_t> back(n * T);
  for (int t = 0; t < T; ++t) cur[t] = (t > 0 && t % 2 == 0) ? -1e30f : start[t] + em[off + t];
  for (size_t i = 1; i < n; ++i) {
    for (int t = 0; t < T; ++t) {
      float best = -3e38f;
      int arg = 0;
      for (int p = 0; p < T; ++p) {
        if (!allowed(p, t)) continue;
        float v = cur[p] + trans[p * T + t];
        if (v > best) {
          best = v;
          arg = p;
        }
      }
      nxt[t] = best + em[i * kTags + off + t];
      back[i * T + t] = static_cast<uint8_t>(arg);
    }
    std::swap(cur, nxt);
  }
  int arg = 0;
  for (int t = 1; t < T; ++t)
    if (cur[t] > cur[arg]) arg = t;
  for (size_t i = n; i-- > 0;) {
    out[i] = static_cast<uint8_t>(arg);
    if (i > 0) arg = back[i * T + arg];
  }
}

void Emissions(const Model& m, const Example& ex, std::vector<float>* em) {
  em->assign(ex.n * kTags, 0.f);
  for (size_t i = 0; i < ex.n; ++i) {
    float* e = em->data() + i * kTags;
    for (int k = 0; k < kF; ++k) {
      const float* row = m.w.data() + static_cast<size_t>(ex.feats[i * kF + k]) * kTags;
      for (int t = 0; t < kTags; ++t) e[t] += row[t];
    }
  }
}

// Overlap counts per global class: tp, predicted, gold (one-to-one greedy matching).
struct Counts {
  std::array<int, 7> tp{}, pred{}, gold{};
};

void Match(const std::vector<LabelledSpan>& p, const std::vector<LabelledSpan>& g, Counts* c) {
  std::vector<bool> used(g.size(), false);
  for (const LabelledSpan& s : p) {
    ++c->pred[static_cast<int>(s.cls)];
    for (size_t j = 0; j < g.size(); ++j) {
      if (used[j] || g[j].cls != s.cls || g[j].end <= s.start || s.end <= g[j].start) continue;
      used[j] = true;
      ++c->tp[static_cast<int>(s.cls)];
      break;
    }
  }
  for (const LabelledSpan& s : g) ++c->gold[static_cast<int>(s.cls)];
}

// What validation selects the epoch and the tag penalties by: "core" or "core+data".
std::string g_objective = "core";
double g_min_core = 0.655;

double F1(int tp, int pred, int gold) { return pred + gold ? 2.0 * tp / (pred + gold) : 0.0; }

double Evaluate(const Model& m, const std::vector<Doc>& docs, bool print) {
  Counts c;
  std::vector<float> em;
  std::vector<uint8_t> ta, tb;
  for (const Doc& d : docs) {
    for (int k = 0; k < 7; ++k) c.gold[k] += d.missed[k];
    for (const Example& ex : d.sents) {
      Emissions(m, ex, &em);
      ta.resize(ex.n);
      tb.resize(ex.n);
      Decode(em.data(), ex.n, 0, m.ta.data(), m.sa.data(), ta.data());
      Decode(em.data(), ex.n, 1, m.tb.data(), m.sb.data(), tb.data());
      std::vector<LabelledSpan> p, g;
      SpanLabeller::TagsToSpans(ta.data(), ex.n, 0, &p);
      SpanLabeller::TagsToSpans(tb.data(), ex.n, 1, &p);
      SpanLabeller::TagsToSpans(ex.gold_a.data(), ex.n, 0, &g);
      SpanLabeller::TagsToSpans(ex.gold_b.data(), ex.n, 1, &g);
      Match(p, g, &c);
    }
  }
  static const char* names[] = {"data",     "collect",   "share",  "handler",
                                "receiver", "condition", "purpose"};
  if (print) {
    for (int k = 0; k < 7; ++k)
      std::fprintf(stderr, "  %-9s P %.3f R %.3f F1 %.3f (gold %d)\n", names[k],
                   c.pred[k] ? 1.0 * c.tp[k] / c.pred[k] : 0.0,
                   c.gold[k] ? 1.0 * c.tp[k] / c.gold[k] : 0.0, F1(c.tp[k], c.pred[k], c.gold[k]),
                   c.gold[k]);
  }
  // Core: data, handler + receiver, purpose; with objective "core+data" the mean of the core
  // figure and the data figure (issue 19 sets a floor on each).
  int tp = 0, pr = 0, go = 0;
  for (int k : {0, 3, 4, 6}) {
    tp += c.tp[k];
    pr += c.pred[k];
    go += c.gold[k];
  }
  const double core = F1(tp, pr, go);
  const double data = F1(c.tp[0], c.pred[0], c.gold[0]);
  if (g_objective == "core+data") return 0.5 * core + 0.5 * data;
  // "data": mostly the data figure (3/4, core 1/4 so that the condition/purpose layer is still
  // tuned), among the models whose core figure keeps its floor (issue 19 asks data >= 0.70 with
  // core >= 0.65; --min-core leaves a margin for the end-to-end figure).
  if (g_objective == "data") return 0.75 * data + 0.25 * core - (core >= g_min_core ? 0.0 : 1.0);
  return core;
}

std::vector<std::string> ReadIds(const std::string& path) {
  std::vector<std::string> ids;
  std::ifstream f(path);
  std::string line;
  while (std::getline(f, line))
    if (!line.empty()) ids.push_back(line);
  return ids;
}

bool LoadDoc(const piaudit::policy::PolicyAnalyzer& an, const std::string& corpus,
             const std::string& id, uint32_t mask, Doc* doc) {
  auto text = piaudit::ReadFileToString(corpus + "/texts/" + id + ".txt", 64 << 20);
  auto ann = piaudit::ReadFileToString(corpus + "/annotations/" + id + ".json", 64 << 20);
  if (!text.ok() || !ann.ok()) {
    std::cerr << "cannot read document " << id << "\n";
    return false;
  }
  piaudit::Limits limits;
  auto in = an.SpanInputs(*text, limits);
  if (!in.ok()) {
    std::cerr << id << ": " << in.status().ToString() << "\n";
    return false;
  }
  const size_t n = in->text.size();
  std::vector<uint8_t> tag[2] = {std::vector<uint8_t>(n, 0), std::vector<uint8_t>(n, 0)};
  // Longest first among spans starting at the same place; a span overlapping one already placed
  // in its layer is dropped (a layer holds no nesting).
  nlohmann::json j = nlohmann::json::parse(*ann);
  struct G {
    uint32_t s, e;
    int layer, k;
  };
  std::vector<G> gold;
  for (const auto& a : j) {
    int layer = 0, k = 0;
    if (!ClassOf(a["classId"].get<std::string>(), &layer, &k)) continue;
    uint32_t s = a["start"].get<uint32_t>(), e = a["end"].get<uint32_t>();
    if (e <= s || e > n) continue;
    gold.push_back({s, e, layer, k});
  }
  std::sort(gold.begin(), gold.end(),
            [](const G& a, const G& b) { return a.s != b.s ? a.s < b.s : a.e > b.e; });
  // Which gold spans start in a relevant sentence.
  std::vector<uint8_t> relevant(n, 0);
  for (const auto& s : in->sentences)
    if (SpanLabeller::Relevant(s.categories, in->marks.data() + s.range.start,
                               s.range.end - s.range.start))
      for (uint32_t i = s.range.start; i < s.range.end; ++i) relevant[i] = 1;
  for (const G& g : gold) {
    bool free = true;
    for (uint32_t i = g.s; i < g.e; ++i) free &= tag[g.layer][i] == 0;
    if (!free) continue;
    if (!relevant[g.s]) ++doc->missed[static_cast<int>(GlobalClass(g.layer, g.k))];
    tag[g.layer][g.s] = static_cast<uint8_t>(1 + 2 * g.k);
    for (uint32_t i = g.s + 1; i < g.e; ++i) tag[g.layer][i] = static_cast<uint8_t>(2 + 2 * g.k);
  }
  for (const auto& s : in->sentences) {
    if (s.range.end <= s.range.start ||
        !SpanLabeller::Relevant(s.categories, in->marks.data() + s.range.start,
                                s.range.end - s.range.start))
      continue;
    Example ex;
    ex.n = s.range.end - s.range.start;
    std::u32string_view sv(in->text.data() + s.range.start, ex.n);
    SpanLabeller::Features(sv, in->marks.data() + s.range.start, s.categories, mask, &ex.feats);
    for (int layer = 0; layer < 2; ++layer) {
      auto& out = layer == 0 ? ex.gold_a : ex.gold_b;
      out.assign(tag[layer].begin() + s.range.start, tag[layer].begin() + s.range.end);
      // A gold span cut by the sentence start continues as I: it begins here.
      if (out[0] > 0 && out[0] % 2 == 0) --out[0];
    }
    doc->sents.push_back(std::move(ex));
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string kb_dir, corpus, train_ids, val_ids, out;
  int epochs = 12;
  int runs = 1;
  uint32_t buckets = 1u << 18;
  std::vector<std::string> meta;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i], v = argv[i + 1];
    if (a == "--kb")
      kb_dir = v;
    else if (a == "--corpus")
      corpus = v;
    else if (a == "--train")
      train_ids = v;
    else if (a == "--val")
      val_ids = v;
    else if (a == "--out")
      out = v;
    else if (a == "--epochs")
      epochs = std::stoi(v);
    else if (a == "--runs")
      runs = std::stoi(v);
    else if (a == "--buckets")
      buckets = static_cast<uint32_t>(std::stoul(v));
    else if (a == "--objective")
      g_objective = v;
    else if (a == "--min-core")
      g_min_core = std::stod(v);
    else if (a == "--meta")
      meta.push_back(v);
    else {
      std::cerr << "unknown flag " << a << "\n";
      return 2;
    }
  }
  if (kb_dir.empty() || corpus.empty() || train_ids.empty() || val_ids.empty() || out.empty() ||
      (buckets & (buckets - 1)) != 0 || runs < 1 || runs > 16 ||
      (g_objective != "core" && g_objective != "core+data" && g_objective != "data")) {
    std::cerr << "usage: piaudit-span-train --kb DIR --corpus DIR --train IDS --val IDS --out FILE"
                 " [--epochs N] [--runs R] [--buckets POW2] [--objective core|core+data|data] "
                 "[--min-core F] [--meta K=V]...\n";
    return 2;
  }
  auto kb = piaudit::knowledge::KnowledgeBase::Load(kb_dir, nullptr);
  if (!kb.ok()) {
    std::cerr << kb.status().ToString() << "\n";
    return 1;
  }
  auto an = piaudit::policy::PolicyAnalyzer::Create(*kb, kb_dir);
  if (!an.ok()) {
    std::cerr << an.status().ToString() << "\n";
    return 1;
  }
  const uint32_t mask = buckets - 1;
  std::vector<Doc> train, val;
  for (const auto& id : ReadIds(train_ids)) {
    Doc d;
    if (LoadDoc(**an, corpus, id, mask, &d)) train.push_back(std::move(d));
  }
  for (const auto& id : ReadIds(val_ids)) {
    Doc d;
    if (LoadDoc(**an, corpus, id, mask, &d)) val.push_back(std::move(d));
  }
  std::vector<const Example*> exs;
  size_t chars = 0;
  std::array<int, 7> missed{};
  for (const Doc& d : train) {
    for (const Example& e : d.sents) {
      exs.push_back(&e);
      chars += e.n;
    }
    for (int k = 0; k < 7; ++k) missed[k] += d.missed[k];
  }
  std::fprintf(stderr, "train: %zu docs, %zu relevant sentences, %zu chars; val: %zu docs\n",
               train.size(), exs.size(), chars, val.size());
  std::fprintf(stderr, "train gold spans outside relevant sentences per class:");
  for (int k = 0; k < 7; ++k) std::fprintf(stderr, " %d", missed[k]);
  std::fprintf(stderr, "\n");

  // One perceptron run per shuffle seed (19, 20, ...); each run keeps its best epoch by the
  // validation objective, and the runs' averaged weights are averaged (before quantisation).
  const Model zero{buckets, std::vector<float>(static_cast<size_t>(buckets) * kTags, 0.f)};
  Model sum = zero;
  std::string run_epochs;
  auto train_run = [&](uint32_t seed, int* best_epoch_out) -> Model {
    Model m = zero;
    Model u = m;  // sums of c * update, for averaging
    Model best = m;
    double best_f1 = -1;
    int best_epoch = 0;
    float c = 1;
    std::mt19937 rng(seed);
    std::vector<float> em;
    std::vector<uint8_t> pa, pb;
    auto average = [&](Model* avg) {
      *avg = m;
      for (size_t i = 0; i < m.w.size(); ++i) avg->w[i] = m.w[i] - u.w[i] / c;
      for (size_t i = 0; i < m.ta.size(); ++i) avg->ta[i] = m.ta[i] - u.ta[i] / c;
      for (size_t i = 0; i < m.tb.size(); ++i) avg->tb[i] = m.tb[i] - u.tb[i] / c;
      for (size_t i = 0; i < m.sa.size(); ++i) avg->sa[i] = m.sa[i] - u.sa[i] / c;
      for (size_t i = 0; i < m.sb.size(); ++i) avg->sb[i] = m.sb[i] - u.sb[i] / c;
    };
    for (int ep = 1; ep <= epochs; ++ep) {
      std::shuffle(exs.begin(), exs.end(), rng);
      size_t errors = 0;
      for (const Example* ex : exs) {
        Emissions(m, *ex, &em);
        pa.resize(ex->n);
        pb.resize(ex->n);
        Decode(em.data(), ex->n, 0, m.ta.data(), m.sa.data(), pa.data());
        Decode(em.data(), ex->n, 1, m.tb.data(), m.sb.data(), pb.data());
        for (int layer = 0; layer < 2; ++layer) {
          const uint8_t* p = layer == 0 ? pa.data() : pb.data();
          const uint8_t* g = layer == 0 ? ex->gold_a.data() : ex->gold_b.data();
          const int off = layer == 0 ? 0 : kTA;
          const int T = layer == 0 ? kTA : kTB;
          float* tr = layer == 0 ? m.ta.data() : m.tb.data();
          float* utr = layer == 0 ? u.ta.data() : u.tb.data();
          float* st = layer == 0 ? m.sa.data() : m.sb.data();
          float* ust = layer == 0 ? u.sa.data() : u.sb.data();
          bool same = std::equal(p, p + ex->n, g);
          if (same) continue;
          ++errors;
          for (size_t i = 0; i < ex->n; ++i) {
            if (p[i] != g[i]) {
              for (int k = 0; k < kF; ++k) {
                const size_t row = static_cast<size_t>(ex->feats[i * kF + k]) * kTags + off;
                m.w[row + g[i]] += 1;
                u.w[row + g[i]] += c;
                m.w[row + p[i]] -= 1;
                u.w[row + p[i]] -= c;
              }
            }
            if (i == 0) {
              st[g[0]] += 1;
              ust[g[0]] += c;
              st[p[0]] -= 1;
              ust[p[0]] -= c;
            } else {
              tr[g[i - 1] * T + g[i]] += 1;
              utr[g[i - 1] * T + g[i]] += c;
              tr[p[i - 1] * T + p[i]] -= 1;
              utr[p[i - 1] * T + p[i]] -= c;
            }
          }
        }
        c += 1;
      }
      Model avg = m;
      average(&avg);
      double f = Evaluate(avg, val, false);
      std::fprintf(stderr, "epoch %d: %zu sentence-layers wrong; validation core overlap F1 %.4f\n",
                   ep, errors, f);
      if (f > best_f1) {
        best_f1 = f;
        best = std::move(avg);
        best_epoch = ep;
      }
    }
    *best_epoch_out = best_epoch;
    return best;
  };
  for (int r = 0; r < runs; ++r) {
    int ep = 0;
    Model one = train_run(19u + static_cast<uint32_t>(r), &ep);
    run_epochs += (r ? "," : "") + std::to_string(ep);
    for (size_t i = 0; i < sum.w.size(); ++i) sum.w[i] += one.w[i];
    for (size_t i = 0; i < sum.ta.size(); ++i) sum.ta[i] += one.ta[i];
    for (size_t i = 0; i < sum.tb.size(); ++i) sum.tb[i] += one.tb[i];
    for (size_t i = 0; i < sum.sa.size(); ++i) sum.sa[i] += one.sa[i];
    for (size_t i = 0; i < sum.sb.size(); ++i) sum.sb[i] += one.sb[i];
  }
  Model best = std::move(sum);
  for (float& v : best.w) v /= static_cast<float>(runs);
  for (float& v : best.ta) v /= static_cast<float>(runs);
  for (float& v : best.tb) v /= static_cast<float>(runs);
  for (float& v : best.sa) v /= static_cast<float>(runs);
  for (float& v : best.sb) v /= static_cast<float>(runs);
  double best_f1 = Evaluate(best, val, false);
  std::fprintf(stderr, "%d run(s), best epochs %s: validation objective %.4f\n", runs,
               run_epochs.c_str(), best_f1);
  // The perceptron predicts fewer spans than the gold has (precision well above recall), so the
  // O tag of each layer gets a penalty chosen on validation: subtracting d from O's emission at
  // every position is the same as subtracting it from every transition into O and O's start.
  for (int layer = 0; layer < 2; ++layer) {
    const int T = layer == 0 ? kTA : kTB;
    float maxw = 0;
    for (size_t b = 0; b < buckets; ++b)
      for (int t = layer == 0 ? 0 : kTA; t < (layer == 0 ? kTA : kTags); ++t)
        maxw = std::max(maxw, std::fabs(best.w[b * kTags + t]));
    float best_d = 0;
    for (float frac : {0.f, 0.05f, 0.1f, 0.2f, 0.3f, 0.45f, 0.6f}) {
      Model trial = best;
      float* tr = layer == 0 ? trial.ta.data() : trial.tb.data();
      float* st = layer == 0 ? trial.sa.data() : trial.sb.data();
      const float d = frac * maxw;
      for (int p = 0; p < T; ++p) tr[p * T] -= d;
      st[0] -= d;
      const double f = Evaluate(trial, val, false);
      std::fprintf(stderr, "layer %c O penalty %.2f x max weight: validation core %.4f\n",
                   'a' + layer, frac, f);
      if (f > best_f1 + 1e-9) {
        best_f1 = f;
        best_d = d;
      }
    }
    float* tr = layer == 0 ? best.ta.data() : best.tb.data();
    float* st = layer == 0 ? best.sa.data() : best.sb.data();
    for (int p = 0; p < T; ++p) tr[p * T] -= best_d;
    st[0] -= best_d;
  }
  // Then each class's B tag alone (one pass of coordinate ascent, same grid): the classes differ
  // in how far the perceptron under-predicts them.
  for (int layer = 0; layer < 2; ++layer) {
    const int T = layer == 0 ? kTA : kTB;
    float maxw = 0;
    for (size_t b = 0; b < buckets; ++b)
      for (int t = layer == 0 ? 0 : kTA; t < (layer == 0 ? kTA : kTags); ++t)
        maxw = std::max(maxw, std::fabs(best.w[b * kTags + t]));
    for (int btag = 1; btag < T; btag += 2) {
      float best_d = 0;
      for (float frac : {-0.2f, -0.1f, 0.1f, 0.2f}) {
        Model trial = best;
        float* tr = layer == 0 ? trial.ta.data() : trial.tb.data();
        float* st = layer == 0 ? trial.sa.data() : trial.sb.data();
        const float d = frac * maxw;
        for (int p = 0; p < T; ++p) tr[p * T + btag] += d;
        st[btag] += d;
        const double f = Evaluate(trial, val, false);
        if (f > best_f1 + 1e-9) {
          best_f1 = f;
          best_d = d;
        }
      }
      std::fprintf(stderr, "layer %c tag %d boost %.3f: validation core %.4f\n", 'a' + layer, btag,
                   best_d / maxw, best_f1);
      float* tr = layer == 0 ? best.ta.data() : best.tb.data();
      float* st = layer == 0 ? best.sa.data() : best.sb.data();
      for (int p = 0; p < T; ++p) tr[p * T + btag] += best_d;
      st[btag] += best_d;
    }
  }
  std::fprintf(stderr, "best epochs %s (validation objective %.4f):\n", run_epochs.c_str(),
               best_f1);
  Evaluate(best, val, true);

  // Quantise: one scale per layer (its weight columns, transitions and start scores share it),
  // int8 weights, integer transitions.
  float scale[2] = {0, 0};
  for (size_t b = 0; b < buckets; ++b)
    for (int t = 0; t < kTags; ++t)
      scale[t < kTA ? 0 : 1] = std::max(scale[t < kTA ? 0 : 1], std::fabs(best.w[b * kTags + t]));
  for (float& s : scale) s = s > 0 ? s / 127.f : 1.f;
  std::ofstream f(out, std::ios::binary);
  f << "PIAUDIT-SPAN-MODEL 1\nbuckets " << buckets << "\ntags " << kTags << "\n";
  meta.push_back("epochs=" + run_epochs);
  if (runs > 1) meta.push_back("runs=" + std::to_string(runs));
  meta.push_back("objective=" + g_objective);
  {
    std::ostringstream os;
    os.precision(4);
    os << std::fixed << best_f1;
    meta.push_back("val_objective_tagger=" + os.str());
  }
  for (const std::string& kv : meta) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos) continue;
    f << "meta " << kv.substr(0, eq) << " " << kv.substr(eq + 1) << "\n";
  }
  auto ints = [&](const char* name, const float* v, size_t n, float s) {
    f << name;
    for (size_t i = 0; i < n; ++i) {
      long q = std::lround(v[i] / s);
      q = std::clamp(q, -100000L, 100000L);
      f << " " << q;
    }
    f << "\n";
  };
  ints("trans a", best.ta.data(), best.ta.size(), scale[0]);
  ints("trans b", best.tb.data(), best.tb.size(), scale[1]);
  ints("start a", best.sa.data(), best.sa.size(), scale[0]);
  ints("start b", best.sb.data(), best.sb.size(), scale[1]);
  f << "data\n";
  std::vector<int8_t> q(static_cast<size_t>(buckets) * kTags);
  for (size_t i = 0; i < q.size(); ++i) {
    const float s = scale[(i % kTags) < kTA ? 0 : 1];
    q[i] = static_cast<int8_t>(std::clamp(std::lround(best.w[i] / s), -127L, 127L));
  }
  f.write(reinterpret_cast<const char*>(q.data()), static_cast<std::streamsize>(q.size()));
  if (!f) {
    std::cerr << "cannot write " << out << "\n";
    return 1;
  }
  std::fprintf(stderr, "wrote %s\n", out.c_str());
  return 0;
}
