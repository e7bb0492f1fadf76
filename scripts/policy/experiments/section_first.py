"""Section topic sentence as context (validation only): 1-2-grams (namespace 12) of the first
sentence after the current heading (none for the heading itself and its first sentence), on top of
the list-intro context of intro.py. LR C=8 on TRAIN, thresholds and macro F1 on VALIDATION; the
test split is never loaded."""
import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *
for n, ss in pols:
    intro = ""; first = ""; after_heading = False
    for i, (t, l) in enumerate(ss):
        e = FE[(n, i)]
        e["in"] = ng(F.normalize(intro), 11, 1, 2) if intro else set()
        e["fs"] = ng(F.normalize(first), 12, 1, 2) if first else set()
        if F.is_heading(t):
            intro = ""; first = ""; after_heading = True
        elif after_heading:
            first = t; after_heading = False
        if t.rstrip().endswith(("：", ":")):
            intro = t
for keys in (["s3", "h2", "p2", "in", "fs"],):
    Xtr, _, _, Ytr = build({"train"}, keys); Xva, Bva, inva, Yva = build({"val"}, keys)
    ms = [LogisticRegression(C=8, solver="liblinear", max_iter=200).fit(Xtr, Ytr[:, c]) for c in range(13)]
    q, b, s = quantize(ms); S = qscores(q, b, s, Bva, inva); thr = best_thresholds(S, Yva); m, fs = macro(S, Yva, thr)
    print(keys, 8, "val %.4f" % m, " ".join("%.3f" % f for f in fs), flush=True)
