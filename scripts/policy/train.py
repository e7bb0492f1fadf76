#!/usr/bin/python3
"""Trains the CAPP-130 sentence-category model shipped as data/policy/sentence_model.bin.

Split by policy (features.split_of): rw_N with N % 5 == 0 is the TEST split (26 policies) and is
never read here; N % 5 == 1 is VALIDATION (thresholds and C are chosen on it with a model trained
on the rest); the final model is then retrained on train + validation with the chosen C and the
validation thresholds. One-vs-rest L2 logistic regression (liblinear) per category over hashed
binary character n-grams (features.py). Weights are quantised to int8 per class, and thresholds
are chosen on the quantised scores, so what is evaluated is exactly what C++ runs.

Needs Debian python3-numpy, python3-scipy, python3-sklearn. Usage:
  /usr/bin/python3 scripts/policy/train.py [--out data/policy/sentence_model.bin] [--c 4]
"""

import argparse
import os
import sys
import time

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import features as F  # noqa: E402


def build(sents):
    rows, cols, vals = [], [], []
    Y = np.zeros((len(sents), len(F.CATEGORIES)), dtype=np.int8)
    for i, (text, labels, heading, prev) in enumerate(sents):
        fs = F.features(text, heading, prev)
        v = 1.0 / np.sqrt(len(fs)) if fs else 0.0
        rows.extend([i] * len(fs))
        cols.extend(fs)
        vals.extend([v] * len(fs))
        for l in labels:
            Y[i, l] = 1
    X = sp.csr_matrix((vals, (rows, cols)), shape=(len(sents), F.BUCKETS), dtype=np.float64)
    B = X.copy()
    B.data[:] = 1
    B = B.astype(np.int64)
    nnz = np.diff(X.indptr)
    inv = np.where(nnz > 0, 1.0 / np.sqrt(np.maximum(nnz, 1)), 0.0)
    return X, B, inv, Y


def fit(X, Y, C):
    """C: one value for every category, or a list with one value per category."""
    models = []
    for c in range(Y.shape[1]):
        cc = C[c] if isinstance(C, list) else C
        m = LogisticRegression(C=cc, solver="liblinear", class_weight="balanced" if BAL else None,
                               max_iter=200)
        m.fit(X, Y[:, c])
        models.append(m)
    return models


def quantize(models):
    q, bias, scale = [], [], []
    for m in models:
        w = m.coef_[0]
        s = float(np.max(np.abs(w))) / 127.0 or 1.0
        qi = np.clip(np.rint(w / s), -127, 127).astype(np.int64)
        q.append(qi)
        bias.append(float(m.intercept_[0]))
        scale.append(s)
    return q, bias, scale


def qscores(q, bias, scale, B, inv):
    cols = []
    for c in range(len(q)):
        s = B.dot(q[c]).astype(np.float64)
        cols.append(bias[c] + scale[c] * s * inv)
    return np.stack(cols, axis=1)


def f1(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def best_thresholds(S, Y):
    thr = []
    for c in range(Y.shape[1]):
        best = (-1, 0.0)
        for t in np.arange(-3.0, 3.0, 0.05):
            pred = S[:, c] > t
            tp = int(np.sum(pred & (Y[:, c] == 1)))
            fp = int(np.sum(pred & (Y[:, c] == 0)))
            fn = int(np.sum(~pred & (Y[:, c] == 1)))
            f = f1(tp, fp, fn)[2]
            if f > best[0]:
                best = (f, float(t))
        thr.append(best[1])
    return thr


def macro(S, Y, thr):
    fs = []
    for c in range(Y.shape[1]):
        pred = S[:, c] > thr[c]
        tp = int(np.sum(pred & (Y[:, c] == 1)))
        fp = int(np.sum(pred & (Y[:, c] == 0)))
        fn = int(np.sum(~pred & (Y[:, c] == 1)))
        fs.append(f1(tp, fp, fn)[2])
    return float(np.mean(fs)), fs


BAL = False


def main():
    global BAL
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "../../data/policy/sentence_model.bin"))
    ap.add_argument("--c", type=float, nargs="*", default=[2.0, 4.0, 8.0])
    ap.add_argument("--balanced", action="store_true")
    ap.add_argument("--per-class-c", action="store_true",
                    help="choose C per category on validation instead of one C for all")
    a = ap.parse_args()
    BAL = a.balanced
    t0 = time.time()
    pols = F.load_policies()
    tr = [s for n, ss in pols if F.split_of(n) == "train" for s in ss]
    va = [s for n, ss in pols if F.split_of(n) == "val" for s in ss]
    print("train %d val %d sentences (test split untouched)" % (len(tr), len(va)), file=sys.stderr)
    Xtr, _, _, Ytr = build(tr)
    Xva, Bva, inva, Yva = build(va)
    print("features built %.1fs" % (time.time() - t0), file=sys.stderr)
    best = None
    K = len(F.CATEGORIES)
    per_class = [None] * K  # (f1, C, threshold) per category
    for C in a.c:
        q, bias, scale = quantize(fit(Xtr, Ytr, C))
        S = qscores(q, bias, scale, Bva, inva)
        thr = best_thresholds(S, Yva)
        m, fs = macro(S, Yva, thr)
        print("C=%g val macroF1=%.4f %s" % (C, m, " ".join("%.3f" % f for f in fs)), file=sys.stderr)
        if best is None or m > best[0]:
            best = (m, C, thr)
        for c in range(K):
            if per_class[c] is None or fs[c] > per_class[c][0]:
                per_class[c] = (fs[c], C, thr[c])
    m, C, thr = best
    if a.per_class_c:
        # Each category keeps the C (and threshold) that was best for it on validation.
        C = [pc[1] for pc in per_class]
        thr = [pc[2] for pc in per_class]
        m = sum(pc[0] for pc in per_class) / K
        print("per-class C %s val macroF1=%.4f" % (C, m), file=sys.stderr)
    Xall, _, _, Yall = build(tr + va)
    q, bias, scale = quantize(fit(Xall, Yall, C))
    F.write_model(a.out, q, bias, scale, thr,
                  {"C": (",".join("%g" % x for x in C) if isinstance(C, list) else C),
                   "val_macro_f1": "%.4f" % m, "balanced": int(BAL),
                   "split": "test=N%5==0,val=N%5==1"})
    print("wrote %s (C=%s, val macro F1 %.4f) in %.1fs" % (a.out, C, m, time.time() - t0),
          file=sys.stderr)


if __name__ == "__main__":
    main()
