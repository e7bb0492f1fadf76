"""Annotator self-agreement on identical sentence text: a ceiling for text-only classifiers.

knn.py found that the same sentence text in different CAPP-130 policies often carries different
label sets. This measures how much, on TRAIN + VALIDATION only (common.raw(); the TEST split,
rw_N with N % 5 == 0, is never read):
  1. sentences are grouped by exact text (surrounding whitespace stripped, nothing else); kept are
     texts of >= 1 character (also: >= 20 characters) that occur in >= 2 different policies;
  2. pairwise agreement: for every pair of occurrences of one text in two different policies, one
     occurrence's label set is "gold" and the other's the "prediction", in both orders (so
     P = R = F1 per category); TP / FP / FN are summed per category over all pairs and turned
     into per-category P / R / F1 and the macro F1 over the 13 categories (train.py's f1 / macro:
     the plain mean, a category without any positive counts as 0);
       capped    at most CAP random unordered pairs per text (fixed seed), so that boilerplate
                 found in hundreds of policies does not dominate;
       uncapped  every cross-policy pair (closed form per text, not enumerated);
     plus, for reference, "best constant": every occurrence scored against one label set per text
     (per-category majority over its occurrences; an oracle, it sees the labels it is scored on),
     which is what a deterministic text-only classifier could at best output on these texts;
  3. coverage: the share of VALIDATION sentences whose text also occurs in TRAIN, i.e. how much of
     the validation score this ceiling speaks for.
Usage: OMP_NUM_THREADS=1 nice -n 19 /usr/bin/python3 agreement.py [CAP]   (CAP default 50)
"""
import os
import sys
import time
from collections import defaultdict
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import F, np, raw
from train import f1, macro

CAP = int(sys.argv[1]) if len(sys.argv) > 1 else 50
NAMES = [e for _, e in F.CATEGORIES]
NC = len(NAMES)
t0 = time.time()

policies = raw()  # TRAIN + VALIDATION only
occ = defaultdict(list)  # text -> [(policy, 13-dim 0/1 label vector)]
for n, ss in policies:
    for t, l in ss:
        t = t.strip()
        if not t:
            continue
        y = np.zeros(NC, np.int64); y[l] = 1
        occ[t].append((n, y))


def table(title, tp, fp, fn, macro_check=None):
    rows = [f1(int(tp[c]), int(fp[c]), int(fn[c])) for c in range(NC)]
    m = float(np.mean([r[2] for r in rows]))
    if macro_check is not None:
        assert abs(m - macro_check) < 1e-9, (m, macro_check)
    print("  %s: macro F1 %.4f" % (title, m))
    print("    %-17s %9s %9s %6s %6s %6s" % ("category", "gold+", "pred+", "P", "R", "F1"))
    for c in range(NC):
        p, r, f = rows[c]
        print("    %-17s %9d %9d %6.3f %6.3f %6.3f" % (NAMES[c], tp[c] + fn[c], tp[c] + fp[c], p, r, f))
    return m


def run(minlen):
    rng = np.random.default_rng(0)
    texts = sorted(t for t, o in occ.items() if len(t) >= minlen and len({n for n, _ in o}) >= 2)
    noc = sum(len(occ[t]) for t in texts)
    same = sum(len({tuple(y) for _, y in occ[t]}) == 1 for t in texts)
    # uncapped: ordered cross-policy pairs, closed form per text
    utp = np.zeros(NC, np.int64); ufp = np.zeros(NC, np.int64); upairs = 0
    # capped: sampled unordered pairs, both orders, as rows (gold, pred) for train.macro
    G = []; P = []
    # best constant label set per text
    btp = np.zeros(NC, np.int64); bfp = np.zeros(NC, np.int64); bfn = np.zeros(NC, np.int64)
    for t in texts:
        o = occ[t]
        Y = np.array([y for _, y in o]); pol = np.array([n for n, _ in o])
        N = len(o); tot = Y.sum(0)
        groups = defaultdict(lambda: np.zeros(NC, np.int64)); gsize = defaultdict(int)
        for n, y in o:
            groups[n] += y; gsize[n] += 1
        sq = sum(g * g for g in groups.values())
        tp = tot * tot - sq                               # sum over ordered pairs of y_gold*y_pred
        predpos = sum(groups[n] * (N - gsize[n]) for n in groups)  # sum of y_pred over ordered pairs
        utp += tp; ufp += predpos - tp
        upairs += (N * N - sum(s * s for s in gsize.values())) // 2
        i, j = np.triu_indices(N, 1)
        keep = pol[i] != pol[j]
        i, j = i[keep], j[keep]
        if len(i) > CAP:
            k = rng.choice(len(i), CAP, replace=False)
            i, j = i[k], j[k]
        G.append(Y[i]); P.append(Y[j]); G.append(Y[j]); P.append(Y[i])
        best = (2 * tot > N).astype(np.int64)  # per-category majority (ties: negative)
        btp += (Y * best).sum(0); bfp += ((1 - Y) * best).sum(0); bfn += (Y * (1 - best)).sum(0)
    G = np.concatenate(G); P = np.concatenate(P)
    ctp = (G * P).sum(0); cfp = ((1 - G) * P).sum(0); cfn = (G * (1 - P)).sum(0)
    mchk, _ = macro(P.astype(float), G, [0.5] * NC)  # train.py's macro on the same pairs
    print("texts of >= %d characters in >= 2 policies: %d texts, %d occurrences, %d with one label "
          "set everywhere (%.1f%%); cross-policy pairs: %d uncapped, %d capped at %d per text"
          % (minlen, len(texts), noc, same, 100.0 * same / max(len(texts), 1), upairs, len(G) // 2, CAP))
    mc = table("capped (<= %d pairs per text, both orders)" % CAP, ctp, cfp, cfn, mchk)
    mu = table("uncapped (all %d pairs, both orders)" % upairs, utp, ufp, ufp)
    mb = table("best constant label set per text (oracle majority, per occurrence)", btp, bfp, bfn)
    return len(texts), noc, upairs, len(G) // 2, mc, mu, mb


res = {}
for minlen in (1, 20):
    res[minlen] = run(minlen)
    print(flush=True)

# coverage of VALIDATION by identical TRAIN text
train_texts = {t.strip() for n, ss in policies if F.split_of(n) == "train" for t, _ in ss}
print("VALIDATION sentences whose identical text occurs in TRAIN:")
for minlen in (1, 20):
    vs = [t.strip() for n, ss in policies if F.split_of(n) == "val" for t, _ in ss]
    vs = [t for t in vs if len(t) >= minlen]
    hit = sum(t in train_texts for t in vs)
    print("  >= %2d characters: %d / %d = %.1f%%" % (minlen, hit, len(vs), 100.0 * hit / len(vs)))
print()
print("summary            texts occurrences   pairs(all)  pairs(cap)  capped  uncapped  best-const")
for minlen in (1, 20):
    nt, no, up, cp, mc, mu, mb = res[minlen]
    print("  >= %2d chars  %9d %11d %12d %11d  %.4f    %.4f      %.4f" % (minlen, nt, no, up, cp, mc, mu, mb))
print("(%d TRAIN+VALIDATION policies, %.0fs)" % (len(policies), time.time() - t0))
