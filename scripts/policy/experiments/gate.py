"""A shared "has any label" gate (validation only).

On all sentences, a third of them carry no label; false positives there cost the all-sentences
F1. Trains an extra LR for "has at least one label" on the same features and combines it with the
per-category scores: S'_c = S_c + w * G (thresholds re-tuned), or hard gating G > g.
Also reports P(unlabelled | previous unlabelled). The test split is never loaded.
"""
import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *
keys = ["s3", "h2", "p2"]
u = pu = both = 0
for n, ss in pols:
    if F.split_of(n) != "train": continue
    for i, (t, l) in enumerate(ss):
        if not l: u += 1
        if i and not ss[i - 1][1]:
            pu += 1; both += not l
print("P(unlab)=%.3f P(unlab|prev unlab)=%.3f" % (u / sum(len(ss) for n, ss in pols if F.split_of(n) == "train"), both / pu))
Xtr, _, _, Ytr = build({"train"}, keys); Xva, Bva, inva, Yva = build({"val"}, keys)
z = np.load("/tmp/capp130_stage1_lr8.npz"); S = z["sva"]
lab = Yva.sum(1) > 0
thr = best_thresholds(S, Yva); m, fs = macro(S, Yva, thr)
print("base val %.4f" % m, " ".join("%.3f" % f for f in fs))
m2, _ = macro(S[lab], Yva[lab], best_thresholds(S[lab], Yva[lab])); print("labelled-only (own thr) %.4f" % m2)
# oracle gate
So = S.copy(); So[~lab] = -1e9; print("oracle gate %.4f" % macro(So, Yva, best_thresholds(So, Yva))[0])
for C in (1, 8):
    g = LogisticRegression(C=C, solver="liblinear", max_iter=200).fit(Xtr, Ytr.sum(1) > 0)
    G = g.decision_function(Xva)
    print("gate C", C, "acc %.3f" % np.mean((G > 0) == lab), flush=True)
    for w in (0.5, 1.0, 2.0):
        S2 = S + w * G[:, None]; mm, ff = macro(S2, Yva, best_thresholds(S2, Yva))
        print("  soft w", w, "val %.4f" % mm, " ".join("%.3f" % f for f in ff), flush=True)
    for gt in (-2, -1, 0):
        S2 = S.copy(); S2[G <= gt] = -1e9; mm, ff = macro(S2, Yva, best_thresholds(S2, Yva))
        print("  hard g", gt, "val %.4f" % mm, " ".join("%.3f" % f for f in ff), flush=True)
