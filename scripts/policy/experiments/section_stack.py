"""Second stage over first-stage scores of the whole section (validation only).

Stage 1: the shipped LR (s3,h2,p2, C=8); out-of-fold scores on TRAIN (4 folds by policy), scores
of a TRAIN-only model on VALIDATION. Stage 2 per category, over: own 13 scores, previous and next
sentence scores, mean and max of the scores of the sentences in the same section (section = from
one features.is_heading sentence to the next), mean over the policy, is-heading flag.
Models: LR and sklearn HistGradientBoosting. The test split is never loaded.
"""
import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *
from sklearn.ensemble import HistGradientBoostingClassifier
keys = ["s3", "h2", "p2"]
cache2 = "/tmp/capp130_stage1_lr8.npz"
def rowsof(split):
    r = []
    for n, ss in pols:
        if F.split_of(n) in split:
            sec = 0
            for i, (t, l) in enumerate(ss):
                if F.is_heading(t):
                    sec += 1
                r.append((n, i, len(ss), sec, F.is_heading(t)))
    return r
Rtr = rowsof({"train"}); Rva = rowsof({"val"})
Xtr, _, _, Ytr = build({"train"}, keys); Xva, _, _, Yva = build({"val"}, keys)
def fitL(X, Y): return [LogisticRegression(C=8, solver="liblinear", max_iter=200).fit(X, Y[:, c]) for c in range(13)]
def dec(ms, X): return np.stack([m.decision_function(X) for m in ms], 1)
if os.path.exists(cache2):
    z = np.load(cache2); oof = z["oof"]; Sva = z["sva"]
else:
    pol = np.array([r[0] for r in Rtr]); oof = np.zeros((len(Rtr), 13))
    for k in range(4):
        te = (pol // 5) % 4 == k
        oof[te] = dec(fitL(Xtr[~te], Ytr[~te]), Xtr[te]); print("fold", k, flush=True)
    Sva = dec(fitL(Xtr, Ytr), Xva)
    np.savez(cache2, oof=oof, sva=Sva)
def ctx(S, R):
    N = len(R); out = []
    P = np.zeros_like(S); Nx = np.zeros_like(S); SM = np.zeros_like(S); SX = np.zeros_like(S)
    PM = np.zeros_like(S); SL = np.zeros((N, 1)); HD = np.zeros((N, 1))
    i = 0
    while i < N:
        j = i
        while j < N and R[j][0] == R[i][0]: j += 1
        PM[i:j] = S[i:j].mean(0)
        for k in range(i, j):
            if k > i: P[k] = S[k - 1]
            if k + 1 < j: Nx[k] = S[k + 1]
            HD[k] = R[k][4]
        a = i
        while a < j:
            b = a
            while b < j and R[b][3] == R[a][3]: b += 1
            SM[a:b] = S[a:b].mean(0); SX[a:b] = S[a:b].max(0); SL[a:b] = np.log(b - a)
            a = b
        i = j
    return np.hstack([S, P, Nx, SM, SX, PM, SL, HD])
Ztr = ctx(oof, Rtr); Zva = ctx(Sva, Rva)
thr = best_thresholds(Sva, Yva); print("stage1 val %.4f" % macro(Sva, Yva, thr)[0], flush=True)
for name, cols in (("own+prev+next", slice(0, 39)), ("all", slice(None))):
    for C in [0.1, 1]:
        S2 = np.stack([LogisticRegression(C=C, max_iter=2000).fit(Ztr[:, cols], Ytr[:, c]).decision_function(Zva[:, cols]) for c in range(13)], 1)
        thr = best_thresholds(S2, Yva); m, fs = macro(S2, Yva, thr)
        print("LR", name, C, "val %.4f" % m, " ".join("%.3f" % f for f in fs), flush=True)
for it in [100, 300]:
    S2 = []
    for c in range(13):
        g = HistGradientBoostingClassifier(max_iter=it, learning_rate=0.05, max_leaf_nodes=15, random_state=0).fit(Ztr, Ytr[:, c])
        p = np.clip(g.predict_proba(Zva)[:, 1], 1e-9, 1 - 1e-9); S2.append(np.log(p / (1 - p)))
    S2 = np.stack(S2, 1); thr = best_thresholds(S2, Yva); m, fs = macro(S2, Yva, thr)
    print("GBM", it, "val %.4f" % m, " ".join("%.3f" % f for f in fs), flush=True)
