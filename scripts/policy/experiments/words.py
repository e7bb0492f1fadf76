"""Word features from jieba segmentation (upper bound for a dictionary segmenter in C++).

Adds hashed word unigrams and bigrams of the sentence (namespace 7, and words of 4+ characters
only in namespace 8 variant) to the shipped s3,h2,p2 groups; LR C=8 on TRAIN, thresholds and macro
F1 on VALIDATION. The test split is never loaded. Needs Debian python3-jieba.
"""
import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *
import jieba
import logging
jieba.setLogLevel(logging.WARNING)
def wid(w): return [ord(ch) for ch in w]
for n, ss in pols:
    for i, (t, l) in enumerate(ss):
        ws = [w for w in jieba.lcut(t.lower()) if w.strip()]
        e = FE[(n, i)]
        e["w1"] = {F._fnv([7, 1] + wid(w)) % F.BUCKETS for w in ws}
        e["w2"] = {F._fnv([7, 2] + wid(a) + [0] + wid(b)) % F.BUCKETS for a, b in zip(ws, ws[1:])}
        e["wl"] = {F._fnv([8, 1] + wid(w)) % F.BUCKETS for w in ws if len(w) >= 4}
print("segmented", flush=True)
for keys in (["s3", "h2", "p2", "w1", "w2"], ["s3", "h2", "p2", "w2"], ["s3", "h2", "p2", "wl"]):
    Xtr, _, _, Ytr = build({"train"}, keys); Xva, Bva, inva, Yva = build({"val"}, keys)
    ms = [LogisticRegression(C=8, solver="liblinear", max_iter=200).fit(Xtr, Ytr[:, c]) for c in range(13)]
    q, b, s = quantize(ms); S = qscores(q, b, s, Bva, inva); thr = best_thresholds(S, Yva); m, fs = macro(S, Yva, thr)
    print(keys, 8, "val %.4f" % m, " ".join("%.3f" % f for f in fs), flush=True)
