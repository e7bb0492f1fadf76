"""Sentence features and model I/O for the CAPP-130 category classifier.

This file is the specification that src/policy/sentence_classifier.cc mirrors bit for bit:
  * normalisation: ASCII A-Z -> a-z, ASCII 0-9 -> '0'; everything else unchanged.
  * namespace 0: character n-grams, n = 1..3, over [0x02] + code points + [0x03].
  * namespace 1: character 1..2-grams of the current section heading (the last sentence that
    IsHeading() accepted, in document order; none before the first heading).
  * namespace 2: character 1..2-grams of the previous sentence.
  * hash: FNV-1a over 32-bit words (ns, n, cp_1 .. cp_n): h = 2166136261; for each word w:
    h ^= w; h = (h * 16777619) mod 2^32. bucket = h mod BUCKETS.
  * value: binary presence, L2-normalised: each distinct bucket counts 1/sqrt(nnz).
  * score_c = bias_c + scale_c * sum(q_c[bucket]) / sqrt(nnz); label c when score_c > thr_c.
    q_c are int8; the sum is an exact integer so Python and C++ agree.
Model file (data/policy/sentence_model.bin): ASCII header lines, then "data\\n", then
CLASSES * BUCKETS int8 bytes, class-major. See docs/policy.md.
"""

import json
import math
import os
import glob

BUCKETS = 1 << 18
CATEGORIES = [  # CAPP-130 label_explanation.json order; English snake_case names used in JSON.
    ("数据收集", "collection"),
    ("权限获取", "permission"),
    ("共享、委托、转让、公开（披露）", "sharing"),
    ("使用", "use"),
    ("存储方式", "retention"),
    ("安全措施", "security"),
    ("特殊人群", "special_audience"),
    ("数据、权限管理", "edit_control"),
    ("联系方式", "contact"),
    ("隐私政策的授权、修改与变更", "policy_change"),
    ("停止运营", "cessation"),
    ("摘要", "summary"),
    ("潜在风险", "risk"),
]
ZH_TO_ID = {zh: i for i, (zh, _) in enumerate(CATEGORIES)}

CN_NUM = set("一二三四五六七八九十")


def normalize(s):
    out = []
    for ch in s:
        o = ord(ch)
        if 65 <= o <= 90:
            out.append(o + 32)
        elif 48 <= o <= 57:
            out.append(48)
        else:
            out.append(o)
    return out


def is_heading(text):
    """Numbered heading line: short, no sentence-final 。, starts with an enumerator."""
    t = text.strip()
    n = len(t)
    if n == 0 or n > 40 or t[-1] in "。；;：:，,":
        return False
    i = 0
    if t[0] == "第":
        j = 1
        while j < n and (t[j] in CN_NUM or "0" <= t[j] <= "9"):
            j += 1
        return j > 1 and j < n and t[j] in "章节条部分"
    if t[0] in "（(":
        j = 1
        while j < n and (t[j] in CN_NUM or ("0" <= t[j] <= "9")):
            j += 1
        return j > 1 and j < n and t[j] in "）)"
    if t[0] in CN_NUM:
        j = 0
        while j < n and t[j] in CN_NUM:
            j += 1
        return j < n and t[j] in "、.．"
    if "0" <= t[0] <= "9":
        j = 0
        while j < n and ("0" <= t[j] <= "9" or t[j] == "."):
            j += 1
        return j < n and t[j] in "、.． \t" and j <= 8
    if t[0] in "【[" and t[-1] in "】]":
        return True
    return False


def _fnv(words):
    h = 2166136261
    for w in words:
        h ^= w
        h = (h * 16777619) & 0xFFFFFFFF
    return h


def _ngrams(cps, ns, nmax, out):
    L = len(cps)
    for n in range(1, nmax + 1):
        for i in range(0, L - n + 1):
            out.add(_fnv([ns, n] + cps[i:i + n]) % BUCKETS)


def features(text, heading, prev):
    """Sorted distinct buckets for one sentence with its context."""
    out = set()
    _ngrams([2] + normalize(text) + [3], 0, 3, out)
    if heading:
        _ngrams(normalize(heading), 1, 2, out)
    if prev:
        _ngrams(normalize(prev), 2, 2, out)
    return sorted(out)


def corpus_dir():
    return os.environ.get(
        "CAPP130_DIR",
        "/work/shared/corpus/policies/capp130/CAPP_130_Corpus")


def split_of(n):
    """Deterministic split by policy: rw_N with N % 5 == 0 is TEST, == 1 is VALIDATION."""
    if n % 5 == 0:
        return "test"
    if n % 5 == 1:
        return "val"
    return "train"


def load_policies():
    """[(n, [(text, label_ids, heading, prev)])] in file order."""
    d = os.path.join(corpus_dir(), "Annotation", "Annotation")
    result = []
    for path in glob.glob(os.path.join(d, "rw_*.jsonl")):
        n = int(os.path.basename(path)[3:-6])
        sents = []
        heading = ""
        prev = ""
        with open(path, encoding="utf-8-sig") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                o = json.loads(line)
                text = o["text"]
                labels = sorted({ZH_TO_ID[l] for l in o["label"] if l in ZH_TO_ID})
                sents.append((text, labels, heading, prev))
                if is_heading(text):
                    heading = text
                prev = text
        result.append((n, sents))
    result.sort()
    return result


def write_model(path, q, bias, scale, thr, meta):
    with open(path, "wb") as f:
        f.write(b"PIAUDIT-SENTENCE-MODEL 1\n")
        f.write(("buckets %d\n" % BUCKETS).encode())
        f.write(("classes %d\n" % len(CATEGORIES)).encode())
        for k, v in meta.items():
            f.write(("meta %s %s\n" % (k, v)).encode())
        for c, (_, name) in enumerate(CATEGORIES):
            f.write(("class %d %s %.17g %.17g %.17g\n" % (c, name, bias[c], scale[c], thr[c])).encode())
        f.write(b"data\n")
        for c in range(len(CATEGORIES)):
            f.write(bytes((int(v) & 0xFF) for v in q[c]))


def read_model(path):
    with open(path, "rb") as f:
        blob = f.read()
    pos = 0
    bias, scale, thr, meta = [], [], [], {}
    buckets = classes = 0
    while True:
        e = blob.index(b"\n", pos)
        line = blob[pos:e].decode()
        pos = e + 1
        if line == "data":
            break
        parts = line.split(" ")
        if parts[0] == "buckets":
            buckets = int(parts[1])
        elif parts[0] == "classes":
            classes = int(parts[1])
        elif parts[0] == "meta":
            meta[parts[1]] = parts[2]
        elif parts[0] == "class":
            bias.append(float(parts[3]))
            scale.append(float(parts[4]))
            thr.append(float(parts[5]))
    q = []
    for c in range(classes):
        raw = blob[pos + c * buckets:pos + (c + 1) * buckets]
        q.append([b - 256 if b > 127 else b for b in raw])
    return q, bias, scale, thr, meta


def score(model, feats):
    q, bias, scale, thr, _ = model
    nnz = len(feats)
    inv = 1.0 / math.sqrt(nnz) if nnz else 0.0
    out = []
    for c in range(len(bias)):
        s = 0
        qc = q[c]
        for b in feats:
            s += qc[b]
        out.append(bias[c] + scale[c] * s * inv - thr[c])
    return out
