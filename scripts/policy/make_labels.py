#!/usr/bin/python3
"""Turns the hand-written label spec (tests/policy/labels/capp130_spans.spec) into code-point
span labels (tests/policy/labels/capp130_spans.jsonl) used by tests/policy/span_eval_test.cc.

Spec format, one directive per line:
  == <policy file> <start> <end>     a labelled window, code points of the decoded text
                                     (UTF-8, BOM removed, line ends kept as they are)
  <kind> <label> <text>[#i,j,...]    every occurrence of <text> inside the window (or only the
                                     i-th, j-th ..., 1-based) is a gold span of that kind/label;
                                     occurrences overlapping an earlier gold span are skipped,
                                     so list longer texts first.
  # comment
The spec is the human judgement (written by reading the window); this script only locates it.
"""

import json
import os
import sys

CAPP = os.environ.get("CAPP130_DIR", "/work/shared/corpus/policies/capp130/CAPP_130_Corpus")
HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = os.path.join(HERE, "../../tests/policy/labels")


def main():
    spec = open(os.path.join(LABELS, "capp130_spans.spec"), encoding="utf-8").read().splitlines()
    out = []
    text = None
    policy = None
    win = None
    taken = []
    for ln, line in enumerate(spec, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("=="):
            _, policy, s, e = line.split()
            with open(os.path.join(CAPP, "Original_policies", policy), encoding="utf-8-sig",
                      newline="") as f:
                text = f.read()
            win = (int(s), int(e))
            taken = []
            out.append({"policy": policy, "labelled": [win[0], win[1]]})
            continue
        kind, label, what = line.split(None, 2)
        which = None
        if "#" in what:
            what, idx = what.rsplit("#", 1)
            which = {int(x) for x in idx.split(",")}
        n = 0
        pos = win[0]
        found = 0
        while True:
            i = text.find(what, pos, win[1])
            if i < 0:
                break
            n += 1
            pos = i + len(what)
            if which is not None and n not in which:
                continue
            if any(i < b and a < i + len(what) for a, b in taken):
                continue
            taken.append((i, i + len(what)))
            out.append({"policy": policy, "start": i, "end": i + len(what), "kind": kind,
                        "label": label, "text": what})
            found += 1
        if found == 0:
            sys.exit("spec line %d: '%s' not found in %s window" % (ln, what, policy))
    with open(os.path.join(LABELS, "capp130_spans.jsonl"), "w", encoding="utf-8") as f:
        for o in out:
            f.write(json.dumps(o, ensure_ascii=False) + "\n")
    print("%d policies, %d gold spans" % (sum(1 for o in out if "labelled" in o),
                                           sum(1 for o in out if "kind" in o)))


if __name__ == "__main__":
    main()
