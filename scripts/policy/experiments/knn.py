"""Near-duplicate exemplars / kNN over TRAIN sentences (validation only).

Many CAPP-130 policies are generated from shared templates. For each VALIDATION sentence, the
nearest TRAIN sentences by cosine over the hashed character n-grams of common.py (binary,
L2-normalised; exact sparse matrix product in chunks, top 5 kept). Query feature sets:
  s3     the sentence's 1-3-grams only
  s3,h2  the sentence plus its section heading's 1-2-grams (idea 3)
It prints:
  1. duplicate statistics (also for sentences of >= 20 characters, and for identical texts
     in two TRAIN policies): fraction of validation sentences whose nearest TRAIN sentence has
     cosine >= 1.0 / 0.95 / 0.9 / 0.85 / 0.8, and how often that neighbour's label set equals the
     gold label set (nearest = the majority label set over all TRAIN sentences tied at the top
     cosine), against how often the reference LR's label set is exact on the same sentences;
  2. override: where the top cosine >= t, the neighbour's labels replace the LR decision
     (t = 0.95 / 0.9 / 0.85 / 0.8), thresholds re-tuned on validation for the remaining ones;
  3. blend: score_c = LR_c + w * (2 * vote_c - 1), vote_c = similarity-weighted share of the k
     nearest carrying c (k = 1 / 3 / 5, w = 0.25 .. 4), thresholds re-tuned;
  4. a selection-noise check: validation split into two halves by policy; the best override /
     blend setting is picked on one half and its gain over the reference measured on the other
     (thresholds tuned on the half being scored, for both, as the protocol does);
  5. the size of an exemplar table (TRAIN + VALIDATION sentences) that C++ would need.
Reference: the shipped features (s3,h2,p2), one C = 8, quantised scores as C++ computes them.
The test split is never loaded (common.py skips it).
Usage: OMP_NUM_THREADS=1 nice -n 19 /usr/bin/python3 knn.py [s3 s3,h2]
"""
import os
import sys
import time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *

K = 5
LEVELS = (1.0, 0.95, 0.9, 0.85, 0.8)
NAMES = [e for _, e in F.CATEGORIES]
t0 = time.time()


def fmt(fs):
    return " ".join("%.3f" % f for f in fs)


def evaluate(S, Y):
    thr = best_thresholds(S, Y)
    return macro(S, Y, thr)


# Reference LR (computed in this run).
Xtr, _, _, Ytr = build({"train"}, ["s3", "h2", "p2"])
Xva, Bva, inva, Yva = build({"val"}, ["s3", "h2", "p2"])
ms = [LogisticRegression(C=8, solver="liblinear", max_iter=200).fit(Xtr, Ytr[:, c]) for c in range(13)]
q, b, s = quantize(ms)
S = qscores(q, b, s, Bva, inva)
thr_ref = best_thresholds(S, Yva)
ref, ref_fs = macro(S, Yva, thr_ref)
print("reference LR C=8 s3,h2,p2 val %.4f  %s  (%.0fs)" % (ref, fmt(ref_fs), time.time() - t0), flush=True)
lr_pred = S > np.array(thr_ref)[None, :]
Yb = Yva.astype(bool); Ytrb = Ytr.astype(bool)
vpol = np.array([n for n, ss in pols if F.split_of(n) == "val" for _ in ss])
upol = sorted(set(vpol))
halves = [np.isin(vpol, upol[0::2]), np.isin(vpol, upol[1::2])]


def neighbours(keys):
    A, _, _, _ = build({"train"}, keys)
    Q, _, _, _ = build({"val"}, keys)
    AT = A.astype(np.float32).T.tocsr(); Q = Q.astype(np.float32).tocsr()
    n = Q.shape[0]
    idx = np.zeros((n, K), np.int64); sim = np.zeros((n, K), np.float32)
    top1 = np.zeros((n, 13), bool); ntie = np.zeros(n, np.int64)
    for a in range(0, n, 256):
        D = (Q[a:a + 256] @ AT).toarray()
        p = np.argpartition(-D, K, axis=1)[:, :K]
        ps = np.take_along_axis(D, p, 1)
        o = np.argsort(-ps, axis=1)
        idx[a:a + 256] = np.take_along_axis(p, o, 1); sim[a:a + 256] = np.take_along_axis(ps, o, 1)
        for r in range(D.shape[0]):
            ties = np.flatnonzero(D[r] >= D[r].max() - 1e-5)
            ntie[a + r] = len(ties)
            top1[a + r] = Ytrb[ties].mean(0) > 0.5  # majority over TRAIN sentences tied at the top
    return idx, sim, top1, ntie


def override(Sx, sim1, top1, t):
    S2 = Sx.copy(); m = sim1 >= t - 1e-6
    S2[m] = np.where(top1[m], 50.0, -50.0)
    return S2


def blend(Sx, idx, sim, k, w):
    ww = sim[:, :k].astype(np.float64)
    vote = (Ytr[idx[:, :k]] * ww[:, :, None]).sum(1) / np.maximum(ww.sum(1), 1e-9)[:, None]
    return Sx + w * (2 * vote - 1)


def variants(idx, sim, top1):
    out = []
    for t in (0.95, 0.9, 0.85, 0.8):
        out.append(("override t=%.2f" % t, lambda Sx, r, t=t: override(Sx, sim[r, 0], top1[r], t)))
    for k in (1, 3, 5):
        for w in (0.25, 0.5, 1, 2, 4):
            out.append(("blend k=%d w=%g" % (k, w), lambda Sx, r, k=k, w=w: blend(Sx, idx[r], sim[r], k, w)))
    return out


for keys in [a.split(",") for a in (sys.argv[1:] or ["s3", "s3,h2"])]:
    idx, sim, top1, ntie = neighbours(keys)
    print("\n== query %s  (neighbours %.0fs)" % (",".join(keys), time.time() - t0), flush=True)
    s1 = sim[:, 0]
    print("ties at top: median %d, mean %.1f" % (np.median(ntie), ntie.mean()))
    print("level  share  nn-labels==gold  LR==gold(same sents)  gold-unlabelled  share-of-policies")
    for t in LEVELS:
        m = s1 >= t - 1e-6
        eq = (top1[m] == Yb[m]).all(1).mean() if m.any() else 0
        lq = (lr_pred[m] == Yb[m]).all(1).mean() if m.any() else 0
        un = (~Yb[m].any(1)).mean() if m.any() else 0
        print(">=%.2f  %.3f  %.3f            %.3f                 %.3f            %.2f" %
              (t, m.mean(), eq, lq, un, np.mean([m[vpol == p].mean() for p in upol])))
    ln = np.array([len(t.strip()) >= 20 for n, ss in pols if F.split_of(n) == "val" for t, l in ss])
    for t in (1.0, 0.9):
        m = (s1 >= t - 1e-6) & ln
        print(">=%.2f and >= 20 characters: share %.3f  nn==gold %.3f  LR==gold %.3f" % (
            t, m.mean(), (top1[m] == Yb[m]).all(1).mean(), (lr_pred[m] == Yb[m]).all(1).mean()))
    m = s1 < 0.8 - 1e-6
    print("<0.80  %.3f  %.3f            %.3f" % (m.mean(), (top1[m] == Yb[m]).all(1).mean(),
                                                  (lr_pred[m] == Yb[m]).all(1).mean()))
    # per-category agreement among near-duplicates (>= 0.9)
    m = s1 >= 0.9 - 1e-6
    print("per-category nn-vs-gold agreement at >=0.90:", " ".join(
        "%s %.3f" % (NAMES[c], (top1[m, c] == Yb[m, c]).mean()) for c in range(13)))
    allr = np.ones(len(Yva), bool)
    res = []
    for name, fn in variants(idx, sim, top1):
        mm, fs = evaluate(fn(S, allr), Yva)
        res.append((mm, name, fs, fn))
        print("%-18s val %.4f (%+.4f)  %s" % (name, mm, mm - ref, fmt(fs)), flush=True)
    best = max(res, key=lambda x: x[0])
    print("best %s val %.4f (%+.4f)" % (best[1], best[0], best[0] - ref))
    print("%-17s %s" % ("category", "ref    best"))
    for c in range(13):
        print("%-17s %.3f  %.3f" % (NAMES[c], ref_fs[c], best[2][c]))
    # selection noise: pick on one half of the validation policies, score on the other
    for a, bb in ((0, 1), (1, 0)):
        ra, rb = halves[a], halves[bb]
        ref_a = evaluate(S[ra], Yva[ra])[0]; ref_b = evaluate(S[rb], Yva[rb])[0]
        pick = max(res, key=lambda x: evaluate(x[3](S[ra], ra), Yva[ra])[0])
        ga = evaluate(pick[3](S[ra], ra), Yva[ra])[0] - ref_a
        gb = evaluate(pick[3](S[rb], rb), Yva[rb])[0] - ref_b
        print("picked on half %d: %s  gain there %+.4f, on half %d %+.4f" % (a, pick[1], ga, bb, gb), flush=True)

# Consistency inside TRAIN: the same text (>= 20 characters) in two different TRAIN policies.
groups = {}
for n, ss in pols:
    if F.split_of(n) != "train": continue
    for t, l in ss:
        if len(t.strip()) >= 20: groups.setdefault(t.strip(), {})[n] = tuple(l)
pairs = same = 0
for g in groups.values():
    v = list(g.values())
    for i in range(len(v)):
        for j in range(i + 1, len(v)):
            pairs += 1; same += v[i] == v[j]
print("\nTRAIN texts (>= 20 characters) in >= 2 policies: %d; cross-policy pairs with the same label set: %.3f of %d"
      % (sum(len(g) > 1 for g in groups.values()), same / max(pairs, 1), pairs))

# Exemplar table that C++ would need (TRAIN + VALIDATION sentences, sentence 1-3-grams).
XA, _, _, YA = build({"train", "val"}, ["s3"])
tb = sum(len(t.encode("utf-8")) for n, ss in pols for t, l in ss)
uniq = len({t for n, ss in pols for t, l in ss})
print("\nexemplar table: %d sentences (%d distinct texts), %d buckets total (%.0f per sentence)"
      % (XA.shape[0], uniq, XA.nnz, XA.nnz / XA.shape[0]))
print("  as uint32 bucket lists + 2-byte label mask: %.1f MB; 18-bit packed: %.1f MB; "
      "as UTF-8 text (+ labels), re-hashed at load: %.1f MB; shipped LR model: 3.4 MB"
      % ((XA.nnz * 4 + XA.shape[0] * 6) / 1e6, (XA.nnz * 18 / 8 + XA.shape[0] * 6) / 1e6,
         (tb + XA.shape[0] * 4) / 1e6))
print("done %.0fs" % (time.time() - t0))
