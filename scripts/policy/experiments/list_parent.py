"""List-parent context (validation only), a generalisation of intro.py's list-intro context:
for a sentence that starts with an enumerator (intro.enum_start), 1-2-grams (namespace 13) of the
last sentence before the current run of enumerated sentences (reset at every heading); none for
other sentences. Tried alone and together with the list-intro context. LR C=8 on TRAIN,
thresholds and macro F1 on VALIDATION; the test split is never loaded."""
import os
import sys
sys.argv = sys.argv[:1] + ["none"]  # intro.py: build its groups only
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from intro import *
for n, ss in pols:
    parent = ""
    for i, (t, l) in enumerate(ss):
        e = FE[(n, i)]
        en = enum_start(t)
        e["lp"] = ng(F.normalize(parent), 13, 1, 2) if (en and parent) else set()
        if F.is_heading(t):
            parent = ""
        elif not en:
            parent = t
for v in (["lp"], ["in", "lp"]):
    keys = ["s3", "h2", "p2"] + v
    Xtr, _, _, Ytr = build({"train"}, keys); Xva, Bva, inva, Yva = build({"val"}, keys)
    ms = [LogisticRegression(C=8, solver="liblinear", max_iter=200).fit(Xtr, Ytr[:, c]) for c in range(13)]
    q, b, s = quantize(ms); S = qscores(q, b, s, Bva, inva); thr = best_thresholds(S, Yva); m, fs = macro(S, Yva, thr)
    print(keys, 8, "val %.4f" % m, " ".join("%.3f" % f for f in fs), flush=True)
