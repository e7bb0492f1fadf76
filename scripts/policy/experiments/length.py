"""Sentence-length bins as features (validation only): one bucket for floor(log2(len+1)) of the
sentence (namespace 9), optionally also of the previous sentence (namespace 10). LR C=8 on TRAIN,
thresholds and macro F1 on VALIDATION; the test split is never loaded."""
import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *
import math
for n, ss in pols:
    for i, (t, l) in enumerate(ss):
        e = FE[(n, i)]
        e["len"] = {F._fnv([9, 1, int(math.log2(len(t) + 1))]) % F.BUCKETS}
        e["plen"] = {F._fnv([10, 1, int(math.log2(len(ss[i - 1][0]) + 1)) if i else 99]) % F.BUCKETS}
for keys in (["s3", "h2", "p2", "len"], ["s3", "h2", "p2", "len", "plen"]):
    Xtr, _, _, Ytr = build({"train"}, keys); Xva, Bva, inva, Yva = build({"val"}, keys)
    ms = [LogisticRegression(C=8, solver="liblinear", max_iter=200).fit(Xtr, Ytr[:, c]) for c in range(13)]
    q, b, s = quantize(ms); S = qscores(q, b, s, Bva, inva); thr = best_thresholds(S, Yva); m, fs = macro(S, Yva, thr)
    print(keys, 8, "val %.4f" % m, " ".join("%.3f" % f for f in fs), flush=True)
