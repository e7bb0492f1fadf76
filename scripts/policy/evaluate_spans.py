#!/usr/bin/env python3
"""Scores `piaudit policy --format json` spans against CA4P-483 annotations (stdlib only).

Rule (the corpus README, ../shared/corpus/policies/ca4p483-train/README.md): a predicted span
counts when it overlaps a gold span of the same kind, each gold span matched at most once
(predicted spans in text order, each taking the first free overlapping gold span); precision,
recall and F1 per kind, micro-averaged over the core kinds data_type, third_party and purpose.
Exact-boundary figures (same start and end) are reported beside.

Gold kinds: data_type <- e_21, purpose <- e_27, condition <- e_25, action/collect <- e_22,
action/share <- e_23 (the label must agree), and e_24/e_26 (handler/receiver) by their words
(data/policy/lexicon.yaml first_party_words / data_subject_words, a trailing 的 dropped):
first_party, data_subject, else third_party.

Usage:
  python3 scripts/policy/evaluate_spans.py [--split val|train|all] [--piaudit build/tools/piaudit/piaudit]
      [--sources model,lexicon] [--json OUT] [--min-core F] [--min-data F]
--sources: which span sources (the spans' "source" field) to score per kind: model, lexicon, union
(model spans plus lexicon spans overlapping none) or all. Default: model for the core kinds (the
measured best, docs/policy.md "Span labeller"); the other kinds come from the model only.
--min-core / --min-data: exit 1 when the core / data_type overlap F1 is below (for ctest).
Exit 77 when the corpus is absent (ctest treats it as skipped).
"""

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_CORPUS = os.path.join(ROOT, "..", "shared", "corpus", "policies", "ca4p483-train")
CORE = ["data_type", "third_party", "purpose"]
KINDS = CORE + ["condition", "action", "first_party", "data_subject"]


def split_of(doc_id):
    # Same rule as scripts/policy/train_spans.py.
    return "val" if int(doc_id) % 5 == 0 else "train"


def words(lexicon_text, key):
    m = re.search(r"^%s:\s*\[(.*?)\]" % key, lexicon_text, re.M | re.S)
    return set(w.strip() for w in m.group(1).replace("\n", " ").split(",") if w.strip())


def party(text, first, subject):
    if text.endswith("的"):
        text = text[:-1]
    if text in first:
        return "first_party"
    if text in subject:
        return "data_subject"
    return "third_party"


def gold_spans(ann, first, subject):
    out = []
    for a in ann:
        c, s, e = a["classId"], a["start"], a["end"]
        if c == "e_21":
            out.append(("data_type", "", s, e))
        elif c == "e_27":
            out.append(("purpose", "", s, e))
        elif c == "e_25":
            out.append(("condition", "", s, e))
        elif c == "e_22":
            out.append(("action", "collect", s, e))
        elif c == "e_23":
            out.append(("action", "share", s, e))
        elif c in ("e_24", "e_26"):
            out.append((party(a["text"], first, subject), "", s, e))
    return out


def overlaps(a, b):
    return a[2] < b[3] and b[2] < a[3]


def predicted(doc, sources):
    spans = doc["spans"]
    out = []
    for kind in KINDS:
        mine = [s for s in spans if s["kind"] == kind]
        src = sources.get(kind, "all")
        model = [s for s in mine if s.get("source") == "model"]
        lex = [s for s in mine if s.get("source") != "model"]
        if src == "model":
            chosen = model
        elif src == "lexicon":
            chosen = lex
        elif src == "union":
            chosen = model + [l for l in lex if not any(
                l["start"] < m["end"] and m["start"] < l["end"] for m in model)]
        else:
            chosen = mine
        for s in chosen:
            label = s["label"] if kind == "action" else ""
            out.append((kind, label, s["start"], s["end"]))
    return sorted(out, key=lambda x: (x[2], x[3]))


def score(pred, gold, counts):
    used = [False] * len(gold)
    used_exact = [False] * len(gold)
    for p in pred:
        c = counts.setdefault(p[0], [0, 0, 0, 0])  # tp, exact tp, predicted, gold
        c[2] += 1
        for j, g in enumerate(gold):
            if not used[j] and g[0] == p[0] and g[1] == p[1] and overlaps(p, g):
                used[j] = True
                c[0] += 1
                break
        for j, g in enumerate(gold):
            if not used_exact[j] and g[0] == p[0] and g[1] == p[1] and g[2] == p[2] and g[3] == p[3]:
                used_exact[j] = True
                c[1] += 1
                break
    for g in gold:
        counts.setdefault(g[0], [0, 0, 0, 0])[3] += 1


def prf(tp, pred, gold):
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def run(piaudit, path):
    r = subprocess.run([piaudit, "policy", "--format", "json", path], capture_output=True)
    if r.returncode != 0:
        raise RuntimeError("%s: %s" % (path, r.stderr.decode(errors="replace")))
    return json.loads(r.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    ap.add_argument("--split", default="val", choices=["val", "train", "all"])
    ap.add_argument("--piaudit", default=os.path.join(ROOT, "build", "tools", "piaudit", "piaudit"))
    ap.add_argument("--lexicon", default=os.path.join(ROOT, "data", "policy", "lexicon.yaml"))
    ap.add_argument("--sources", default="data_type=model,third_party=model,purpose=model")
    ap.add_argument("--json")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--min-core", type=float, default=0.0)
    ap.add_argument("--min-data", type=float, default=0.0)
    a = ap.parse_args()
    if not os.path.isdir(os.path.join(a.corpus, "texts")):
        print("SKIP: CA4P-483 corpus not found at %s" % a.corpus)
        return 77
    lex = open(a.lexicon, encoding="utf-8").read()
    first, subject = words(lex, "first_party_words"), words(lex, "data_subject_words")
    sources = dict(kv.split("=") for kv in a.sources.split(",") if kv)
    ids = sorted(f[:-4] for f in os.listdir(os.path.join(a.corpus, "texts")) if f.endswith(".txt"))
    ids = [i for i in ids if a.split == "all" or split_of(i) == a.split]
    counts = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        docs = list(ex.map(lambda i: run(a.piaudit, os.path.join(a.corpus, "texts", i + ".txt")), ids))
    for i, doc in zip(ids, docs):
        ann = json.load(open(os.path.join(a.corpus, "annotations", i + ".json"), encoding="utf-8"))
        score(predicted(doc, sources), gold_spans(ann, first, subject), counts)
    result = {"split": a.split, "documents": len(ids), "sources": sources or "as output",
              "kinds": {}}
    print("%-13s %6s %6s %6s   %6s %6s %6s   %6s %6s" % ("kind", "P", "R", "F1", "exP", "exR",
                                                         "exF1", "pred", "gold"))
    for k in KINDS:
        tp, etp, pr, go = counts.get(k, [0, 0, 0, 0])
        p, r, f = prf(tp, pr, go)
        ep, er, ef = prf(etp, pr, go)
        result["kinds"][k] = {"tp": tp, "exact_tp": etp, "predicted": pr, "gold": go,
                              "overlap_f1": round(f, 4), "exact_f1": round(ef, 4)}
        print("%-13s %6.1f %6.1f %6.1f   %6.1f %6.1f %6.1f   %6d %6d" % (
            k, 100 * p, 100 * r, 100 * f, 100 * ep, 100 * er, 100 * ef, pr, go))
    tp = sum(counts.get(k, [0] * 4)[0] for k in CORE)
    etp = sum(counts.get(k, [0] * 4)[1] for k in CORE)
    pr = sum(counts.get(k, [0] * 4)[2] for k in CORE)
    go = sum(counts.get(k, [0] * 4)[3] for k in CORE)
    p, r, f = prf(tp, pr, go)
    ep, er, ef = prf(etp, pr, go)
    print("%-13s %6.1f %6.1f %6.1f   %6.1f %6.1f %6.1f   %6d %6d" % (
        "core (micro)", 100 * p, 100 * r, 100 * f, 100 * ep, 100 * er, 100 * ef, pr, go))
    result["core_overlap_f1"] = round(f, 4)
    result["core_exact_f1"] = round(ef, 4)
    if a.json:
        with open(a.json, "w", encoding="utf-8") as out:
            json.dump(result, out, indent=1, ensure_ascii=False)
            out.write("\n")
    data_f1 = result["kinds"]["data_type"]["overlap_f1"]
    if f < a.min_core or data_f1 < a.min_data:
        print("FAIL: core %.4f (floor %.4f), data_type %.4f (floor %.4f)" % (
            f, a.min_core, data_f1, a.min_data))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
