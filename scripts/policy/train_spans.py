#!/usr/bin/python3
"""Trains the CA4P span labeller shipped as data/policy/span_model.bin.

Data: the CA4P-483 training documents (../shared/corpus/policies/ca4p483-train/, Zhao et al.,
EMNLP 2022; format in its README.md). Split by document, deterministic: a document whose numeric id
is divisible by 5 is VALIDATION (never trained on; used to pick the number of epochs and to report
the figures), the others are TRAIN. The trainer is C++ (tools/span_train, built as
piaudit-span-train) because its features are the analyser's own code (src/policy/span_labeller.cc)
and an averaged perceptron over ~2M characters a pass is too slow in Python.

Usage (after building piaudit-span-train and piaudit):
  python3 scripts/policy/train_spans.py [--corpus DIR] [--build build] [--epochs 12] [--runs 1] [--objective core+data]
then score the validation part end to end:
  python3 scripts/policy/evaluate_spans.py --split val --json data/policy/span_model.eval.json
"""

import argparse
import os
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_CORPUS = os.path.join(ROOT, "..", "shared", "corpus", "policies", "ca4p483-train")


def split_of(doc_id):
    """'val' for every fifth document by numeric id, else 'train'."""
    return "val" if int(doc_id) % 5 == 0 else "train"


def doc_ids(corpus):
    return sorted(f[:-4] for f in os.listdir(os.path.join(corpus, "texts")) if f.endswith(".txt"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--kb", default=os.path.join(ROOT, "data"))
    ap.add_argument("--out", default=os.path.join(ROOT, "data", "policy", "span_model.bin"))
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--runs", type=int, default=1,
                    help="perceptron runs with shuffle seeds 19, 20, ...; their weights are averaged")
    ap.add_argument("--buckets", type=int, default=1 << 18)
    ap.add_argument("--objective", default="core+data", choices=["core", "core+data", "data"],
                    help="what validation picks the epoch and tag penalties by")
    ap.add_argument("--min-core", type=float, default=0.655,
                    help="objective data: the tagger's core figure a model must keep")
    a = ap.parse_args()
    # The command that made the model, recorded in it (meta values are one token: no spaces).
    # Paths (--out, --build, --corpus, --kb) are left out: they name this machine, not the model.
    args, skip = [], False
    for x in sys.argv[1:]:
        if skip:
            skip = False
        elif x in ("--out", "--build", "--corpus", "--kb"):
            skip = True
        elif not x.startswith(("--out=", "--build=", "--corpus=", "--kb=")):
            args.append(x)
    command = ",".join(["scripts/policy/train_spans.py"] + args)
    ids = doc_ids(a.corpus)
    tr = [i for i in ids if split_of(i) == "train"]
    va = [i for i in ids if split_of(i) == "val"]
    print("train %d documents, validation %d" % (len(tr), len(va)), file=sys.stderr)
    tool = os.path.join(a.build, "tools", "span_train", "piaudit-span-train")
    with tempfile.TemporaryDirectory() as d:
        trf, vaf = os.path.join(d, "train.txt"), os.path.join(d, "val.txt")
        open(trf, "w").write("\n".join(tr) + "\n")
        open(vaf, "w").write("\n".join(va) + "\n")
        cmd = [tool, "--kb", a.kb, "--corpus", a.corpus, "--train", trf, "--val", vaf,
               "--out", a.out, "--epochs", str(a.epochs), "--runs", str(a.runs), "--buckets", str(a.buckets),
               "--objective", a.objective, "--min-core", str(a.min_core),
               "--meta", "data=CA4P-483-train(Zhao-et-al-EMNLP-2022)",
               "--meta", "split=val:id%5==0",
               "--meta", "trainer=averaged-structured-perceptron",
               "--meta", "seed=" + ("19" if a.runs == 1 else "19-%d" % (18 + a.runs)),
               "--meta", "command=" + command]
        return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
