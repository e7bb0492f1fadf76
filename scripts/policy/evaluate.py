#!/usr/bin/python3
"""Scores data/policy/sentence_model.bin on the held-apart CAPP-130 TEST split (rw_N, N % 5 == 0).

Pure standard library: reads the model with features.read_model and scores every sentence with
features.score, the reference that src/policy/sentence_classifier.cc mirrors. Prints precision,
recall and F1 per category and the macro F1 over the 13 categories, twice: over all sentences of
the test policies (unlabelled sentences are negatives for every category) and over labelled
sentences only (the setting most CAPP-130 papers report). With --json FILE it also writes the
per-category counts; tests/policy/sentence_classifier_test.cc recomputes them in C++ and
requires identical counts (parity).

Usage: python3 scripts/policy/evaluate.py [--model data/policy/sentence_model.bin] [--json out]
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import features as F  # noqa: E402


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def table(counts, title):
    print(title)
    print("%-18s %6s %6s %6s %6s" % ("category", "P", "R", "F1", "n"))
    f1s = []
    for c, (_, name) in enumerate(F.CATEGORIES):
        tp, fp, fn = counts[c]
        p, r, f = prf(tp, fp, fn)
        f1s.append(f)
        print("%-18s %6.3f %6.3f %6.3f %6d" % (name, p, r, f, tp + fn))
    macro = sum(f1s) / len(f1s)
    print("%-18s %20.4f" % ("macro F1", macro))
    return macro, f1s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                    "../../data/policy/sentence_model.bin"))
    ap.add_argument("--json")
    ap.add_argument("--split", default="test")
    a = ap.parse_args()
    model = F.read_model(a.model)
    pols = [(n, ss) for n, ss in F.load_policies() if F.split_of(n) == a.split]
    K = len(F.CATEGORIES)
    all_c = [[0, 0, 0] for _ in range(K)]
    lab_c = [[0, 0, 0] for _ in range(K)]
    nsent = nlab = 0
    for n, ss in pols:
        for text, labels, heading, prev in ss:
            scores = F.score(model, F.features(text, heading, prev))
            nsent += 1
            if labels:
                nlab += 1
            for c in range(K):
                pred = scores[c] > 0
                gold = c in labels
                for counts, use in ((all_c, True), (lab_c, bool(labels))):
                    if not use:
                        continue
                    if pred and gold:
                        counts[c][0] += 1
                    elif pred:
                        counts[c][1] += 1
                    elif gold:
                        counts[c][2] += 1
    print("split %s: %d policies, %d sentences (%d labelled)" % (a.split, len(pols), nsent, nlab))
    m_all, f_all = table(all_c, "\n== all sentences ==")
    m_lab, f_lab = table(lab_c, "\n== labelled sentences only ==")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"split": a.split, "policies": [n for n, _ in pols], "sentences": nsent,
                       "macro_f1_all": m_all, "macro_f1_labelled": m_lab,
                       "categories": {name: {"tp": all_c[c][0], "fp": all_c[c][1],
                                             "fn": all_c[c][2]}
                                      for c, (_, name) in enumerate(F.CATEGORIES)}},
                      f, indent=1)


if __name__ == "__main__":
    main()
