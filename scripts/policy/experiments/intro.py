"""List-intro context (validation only).

Enumerated lists (（1）与国家安全、国防安全直接相关的；…) are labelled like the sentence that
introduces them (…以下情形中，我们收集、使用您的个人信息无需征得您的授权同意：), but only the first
item sees that sentence as "previous sentence". Variants, each LR C=8 on TRAIN with thresholds and
macro F1 on VALIDATION (the test split is never loaded):
  in   1-2-grams (namespace 11) of the last sentence ending with ：or : in the current section
       (reset at every features.is_heading sentence; the intro itself sees the previous intro)
  ie   the same, only when the current sentence starts with an enumerator
  inr  as in, not reset at headings
  in3  in plus the intro's 3-grams
Usage: /usr/bin/python3 intro.py [in ie inr in,in3]
"""
import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *


def enum_start(t):
    t = t.strip()
    return bool(t) and (t[0] in "（(0123456789①②③④⑤⑥⑦⑧⑨⑩•·-—" or t[0] in F.CN_NUM or
                        (len(t) > 1 and t[0].isascii() and t[0].isalpha() and t[1] in "）).、"))


for n, ss in pols:
    intro = ""
    intro_nr = ""
    for i, (t, l) in enumerate(ss):
        e = FE[(n, i)]
        e["in"] = ng(F.normalize(intro), 11, 1, 2) if intro else set()
        e["in3"] = ng(F.normalize(intro), 11, 3, 3) if intro else set()
        e["ie"] = e["in"] if enum_start(t) else set()
        e["inr"] = ng(F.normalize(intro_nr), 11, 1, 2) if intro_nr else set()
        if F.is_heading(t):
            intro = ""
        if t.rstrip().endswith(("：", ":")):
            intro = t
            intro_nr = t

variants = [v for v in sys.argv[1:] if v != "none"] if sys.argv[1:] else ["in", "ie", "inr", "in,in3"]
for v in variants:
    keys = ["s3", "h2", "p2"] + v.split(",")
    Xtr, _, _, Ytr = build({"train"}, keys); Xva, Bva, inva, Yva = build({"val"}, keys)
    ms = [LogisticRegression(C=8, solver="liblinear", max_iter=200).fit(Xtr, Ytr[:, c]) for c in range(13)]
    q, b, s = quantize(ms); S = qscores(q, b, s, Bva, inva); thr = best_thresholds(S, Yva); m, fs = macro(S, Yva, thr)
    print(keys, 8, "val %.4f" % m, " ".join("%.3f" % f for f in fs), flush=True)
