#!/usr/bin/python3
"""Exodus parity and knowledge coverage (issue 17, "Measured").

Three figures, printed; the exit status says whether each meets its target:
  1. corpus parity: on every corpus APK, the trackers Exodus-style matching finds (each code
     signature searched as a regular expression over the class tokens of `dexdump`'s whole
     output, as exodus-core does) must all be found by `piaudit code --format json`, under the
     catalogue entry that cites that Exodus id, with PI types;
  2. catalogue coverage: of the Exodus trackers with a code signature (428), how many the
     catalogue covers: every signature is a catalogue prefix (or lies under one) or a class
     pattern, and the entry has PI types (target --min-catalogue, default 95%);
  3. API coverage: of the PI-reading methods peers hook (peer-catalogues.md: 129, of which 81
     were covered before issue 17), how many data/apis.yaml has by class and name
     (target --min-apis, default 95%).
Exit: 0 all targets met; 1 a target missed or a tracker not found; 2 usage; 77 skipped (no
corpus, no dexdump or no piaudit binary: the catalogue and API figures still print).
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import import_exodus  # noqa: E402  (the one parser of the Exodus table)

SKIP = 77
# exodus-core static_analysis: class-like tokens of dexdump's output (a capital letter, then a
# slash-separated path); signatures are then searched in them with re.search.
TOKEN = re.compile(r"[A-Z]+((?:\w+\/)+\w+)")
# Before issue 17: 81 of the 129 hooked methods were in apis.yaml (peer-catalogues.md); the
# table lists the others.
PEER_METHODS, PEER_COVERED_BEFORE = 129, 81


def catalogue(data):
    entries = []
    for f in sorted(glob.glob(os.path.join(data, "sdks", "*.yaml"))):
        entries += yaml.safe_load(open(f, encoding="utf-8"))["sdks"]
    return entries


def prefixes_of(e):
    return [p if isinstance(p, str) else p["prefix"] for p in e.get("prefixes") or []]


def covering_entries(sig, entries):
    kind, v = import_exodus.split_signature(sig)
    out = []
    for e in entries:
        if kind == "pattern":
            if v in (e.get("class_patterns") or []):
                out.append(e)
        elif any(v == p or v.startswith(p + ".") for p in prefixes_of(e)):
            out.append(e)
    return out


def catalogue_coverage(trackers, entries):
    covered, any_sig, missing = 0, 0, []
    for t in trackers:
        per_sig = [covering_entries(s, entries) for s in t["code"]]
        with_pi = [[e for e in c if e.get("pi")] for c in per_sig]
        if all(with_pi):
            covered += 1
        else:
            missing.append("%s %s" % (t["id"], t["name"]))
        if any(with_pi):
            any_sig += 1
    return covered, any_sig, missing


def peer_methods(doc):
    rows = []
    in_table = False
    for line in open(doc, encoding="utf-8"):
        if line.startswith("## PI-reading methods"):
            in_table = True
        elif line.startswith("## "):
            in_table = False
        elif in_table and line.startswith("| ") and "`" in line:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows.append((cells[1].strip("`"), cells[2]))
    return rows


def api_coverage(rows, apis_path):
    refs = [a["ref"] for a in yaml.safe_load(open(apis_path, encoding="utf-8"))["apis"]]
    have = set()
    for r in refs:
        m = re.match(r"L([^;]+);->([^(:]+)", r)
        if m:
            have.add(m.group(1).replace("/", ".") + "." + m.group(2))
    # "equiv" rows were already covered through an equivalent entry (counted in the 81).
    todo = [m for m, c in rows if c == "no"]
    covered = [m for m in todo if m in have]
    missing = [m for m in todo if m not in have]
    return covered, missing, len(todo)


def exodus_found(apk, trackers, tmp):
    tokens = set()
    with zipfile.ZipFile(apk) as z:
        names = [n for n in z.namelist() if re.fullmatch(r"classes\d*\.dex", n)]
        for n in names:
            path = os.path.join(tmp, n)
            with open(path, "wb") as out:
                out.write(z.read(n))
            res = subprocess.run(["dexdump", path], capture_output=True, text=True,
                                 errors="replace")
            tokens.update(TOKEN.findall(res.stdout))
            os.unlink(path)
    found = []
    for t in trackers:
        regexes = [re.compile(s) for s in t["code"]]
        if any(r.search(tok) for r in regexes for tok in tokens):
            found.append(t)
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    root = os.path.normpath(os.path.join(HERE, "..", ".."))
    ap.add_argument("--piaudit", help="the piaudit binary")
    ap.add_argument("--corpus", default=os.path.join(root, "..", "shared", "corpus", "apks"))
    ap.add_argument("--shared", default=os.path.join(root, "..", "shared"))
    ap.add_argument("--data", default=os.path.join(root, "data"))
    ap.add_argument("--min-catalogue", type=float, default=95.0)
    ap.add_argument("--min-apis", type=float, default=95.0)
    args = ap.parse_args()
    doc = os.path.join(args.shared, "docs", "peer-catalogues.md")
    if not os.path.exists(doc):
        print("SKIP: %s not present (the shared docs are not checked out)" % doc)
        return SKIP
    trackers = [t for t in import_exodus.parse_exodus(doc) if t["code"]]
    entries = catalogue(args.data)
    ok = True

    covered, any_sig, missing = catalogue_coverage(trackers, entries)
    pct = 100.0 * covered / len(trackers)
    print("catalogue coverage: %d/%d Exodus code-signature trackers (%.1f%%) have every signature "
          "in an entry with PI types; %d (%.1f%%) at least one" %
          (covered, len(trackers), pct, any_sig, 100.0 * any_sig / len(trackers)))
    for m in missing:
        print("  not covered: " + m)
    ok &= pct >= args.min_catalogue
    with_pi = [e for e in entries if e.get("pi")]
    derived = sum(1 for e in with_pi if "derived" in (e.get("pi_source") or ""))
    unverified = sum(1 for e in with_pi if "derived" not in (e.get("pi_source") or "") and
                     ("unverified" in (e.get("pi_source") or "") or e.get("unverified")))
    print("catalogue: %d entries, %d with PI types (%d derived from a category, %d more marked "
          "unverified, %d from a source read), %d without PI types (categories that do not "
          "collect)" % (len(entries), len(with_pi), derived, unverified,
                        len(with_pi) - derived - unverified, len(entries) - len(with_pi)))

    rows = peer_methods(doc)
    cov, miss, todo = api_coverage(rows, os.path.join(args.data, "apis.yaml"))
    total = PEER_COVERED_BEFORE + len(cov)
    pct_api = 100.0 * total / PEER_METHODS
    print("API coverage: %d/%d peer-hooked PI methods in apis.yaml (%.1f%%): the %d of the "
          "2026.11 knowledge base plus %d/%d of the table of missing ones" %
          (total, PEER_METHODS, pct_api, PEER_COVERED_BEFORE, len(cov), todo))
    for m in miss:
        print("  not covered: " + m)
    ok &= pct_api >= args.min_apis

    apks = sorted(glob.glob(os.path.join(args.corpus, "*.apk")))
    if not apks or not args.piaudit or not os.path.exists(args.piaudit) or \
            subprocess.run(["which", "dexdump"], capture_output=True).returncode != 0:
        print("SKIP corpus parity: needs --piaudit, dexdump and corpus APKs in %s" % args.corpus)
        return SKIP if ok else 1
    by_exodus = {}
    for e in entries:
        for tid in re.findall(r"Exodus (\d+) \(", e.get("source") or ""):
            by_exodus.setdefault(tid, []).append(e["id"])
    detections = misses = 0
    with tempfile.TemporaryDirectory() as tmp:
        for apk in apks:
            try:
                found = exodus_found(apk, trackers, tmp)
            except zipfile.BadZipFile:
                print("%s: not a zip (skipped by both)" % os.path.basename(apk))
                continue
            res = subprocess.run([args.piaudit, "code", "--format", "json", apk],
                                 capture_output=True, text=True)
            try:
                sdks = {s["id"]: s for s in json.loads(res.stdout).get("sdks", [])}
            except ValueError:
                sdks = {}
            line = []
            for t in found:
                detections += 1
                ids = [i for i in by_exodus.get(t["id"], []) if i in sdks]
                good = [i for i in ids if sdks[i].get("pi")]
                if good:
                    line.append("%s=%s/%s" % (t["name"], good[0], sdks[good[0]].get("presence")))
                else:
                    misses += 1
                    line.append("%s MISSED (catalogue %s)" % (t["name"],
                                                            by_exodus.get(t["id"], "none")))
            print("%s: Exodus %d, piaudit SDKs %d%s" % (
                os.path.basename(apk), len(found), len(sdks),
                (": " + "; ".join(line)) if line else ""))
    print("corpus parity: %d Exodus detections on %d APKs, %d not found by piaudit with PI types"
          % (detections, len(apks), misses))
    ok &= misses == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
