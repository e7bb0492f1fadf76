#!/bin/sh
# Issue 15: `piaudit batch` with the embedded SQLite store, end to end, on APKs built here (the
# sample app, variants of it, hostile files) plus the shared corpus when it is present.
#   - every good app gets its report, every bad one its error; nothing lost;
#   - the same APK under two names is one job; an APK name is never a path or a command;
#   - a run killed with SIGKILL resumes: apps finished before the kill are not scanned again;
#   - `status` answers from another shell during a run;
#   - isolation: an app that exhausts its address space, and one that hangs (stopped), are recorded
#     with their reason and the run goes on;
#   - a resumed run reuses the hashes of unchanged files, and an APK replaced in place is a new job;
#   - gate decisions, disclosure lists, export (jsonl, csv) and rejudge from the stored evidence;
#   - on a terminal, a progress line (done/total, failures, apps/min, ETA) instead of JSON lines.
# Usage: batch_sqlite_test.sh PIAUDIT SAMPLE_APK SOURCE_DIR CORPUS_DIR
set -eu
PIAUDIT=$1 SAMPLE=$2 SRC=$3 CORPUS=$4
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# Lines written so far (0 before a background command has opened its output).
lines() { if [ -f "$1" ]; then wc -l < "$1"; else echo 0; fi; }

python3 "$SRC/tests/batch/make_fixtures.py" "$SAMPLE" "$T/in" --variants 6 --hostile
if [ -d "$CORPUS/apks" ]; then
  mkdir -p "$T/in/corpus" && cp "$CORPUS"/apks/*.apk "$T/in/corpus/"
else
  echo "note: shared corpus absent ($CORPUS/apks); batch runs on the built APKs only"
fi
OUT=$T/out
cd "$T"  # a hostile name that were run as a command would create ./PWNED here

# 1. A run killed with SIGKILL after a few apps.
"$PIAUDIT" batch run "$T/in" -o "$OUT" --jobs 1 --gate "$SRC/docs/examples/store_gate.yaml" \
  > "$T/run1.jsonl" 2> "$T/run1.err" &
RUN=$!
i=0
while [ "$(lines "$T/run1.jsonl")" -lt 3 ]; do
  i=$((i + 1)); [ $i -lt 600 ] || fail "first run made no progress"; sleep 0.1
done
"$PIAUDIT" batch status -o "$OUT" > "$T/status.txt" || fail "status during a run"
grep -q "apps:" "$T/status.txt" || fail "status printed no counts"
kill -9 $RUN
wait $RUN 2>/dev/null || true
FIRST=$(wc -l < "$T/run1.jsonl")
echo "killed the run after $FIRST apps"

# 2. The same command again: resumes.
"$PIAUDIT" batch run "$T/in" -o "$OUT" --jobs 2 --gate "$SRC/docs/examples/store_gate.yaml" \
  > "$T/run2.jsonl" 2> "$T/run2.err" || fail "resumed run: $(cat "$T/run2.err")"
"$PIAUDIT" batch export -o "$OUT" --format jsonl > "$T/export.jsonl"
"$PIAUDIT" batch export -o "$OUT" --format csv > "$T/export.csv"

python3 - "$T" "$OUT" <<'PY'
import csv, hashlib, json, os, sys
t, out = sys.argv[1], sys.argv[2]
def fail(msg):
    print("FAIL:", msg); sys.exit(1)
rows = [json.loads(l) for l in open(os.path.join(t, "export.jsonl"))]
run1 = [json.loads(l) for l in open(os.path.join(t, "run1.jsonl"))]
run2 = [json.loads(l) for l in open(os.path.join(t, "run2.jsonl"))]
# Every APK given is one job, by content.
shas = {}
for root, _, files in os.walk(os.path.join(t, "in")):
    for f in files:
        if f.lower().endswith(".apk"):
            p = os.path.join(root, f)
            shas.setdefault(hashlib.sha256(open(p, "rb").read()).hexdigest(), []).append(p)
if sorted(r["sha256"] for r in rows) != sorted(shas):
    fail(f"jobs {len(rows)} != distinct APKs {len(shas)}")
if not any(len(p) == 3 for p in shas.values()):
    fail("fixture: the sample should be there under three names")
by_sha = {r["sha256"]: r for r in rows}
bad = {"truncated.apk", "not_a_zip.apk"}
for sha, paths in shas.items():
    r = by_sha[sha]
    names = {os.path.basename(p) for p in paths}
    rdir = os.path.join(out, "reports", sha)
    if names & bad:
        if r["status"] != "failed" or not r["error"].startswith("exit 3:"):
            fail(f"{names}: expected failed with exit 3, got {r['status']} {r['error']!r}")
        continue
    if "CertChain.apk" in names or "Invalid.apk" in names:
        if r["status"] not in ("done", "failed") or (r["status"] == "failed" and not r["error"]):
            fail(f"{names}: no outcome")
        continue
    if r["status"] != "done":
        fail(f"{names}: {r['status']} {r['error']}")
    for f in ("report.json", "evidence.json", "disclose.json"):
        if not os.path.isfile(os.path.join(rdir, f)):
            fail(f"{names}: no {f}")
    if r["gate"] not in ("pass", "review", "block") or sum(r["verdicts"].values()) != 31:
        fail(f"{names}: gate {r['gate']!r}, verdicts {r['verdicts']}")
    if r["package"] != json.load(open(os.path.join(rdir, "report.json")))["app"]["package"]:
        fail(f"{names}: package differs from the report")
# The sample breaks IM-3.1 on purpose: the example gate blocks it, with the reason.
sample = by_sha[hashlib.sha256(open(os.path.join(t, "in/good/sample.apk"), "rb").read()).hexdigest()]
if sample["gate"] != "block" or not any("IM-3.1" in x for x in sample["gate_reasons"]):
    fail(f"sample gate {sample['gate']} {sample['gate_reasons']}")
# Resume: what the first run finished was not scanned again; nothing was scanned more than twice
# (once before the kill, once after).
again = {r["sha256"] for r in run1} & {r["sha256"] for r in run2}
if again:
    fail(f"scanned again after resume: {again}")
if any(r["attempts"] > 2 for r in rows):
    fail("an app was claimed more than twice")
if len(run1) + len(run2) < len(rows):
    fail("progress lines missing")
for line in run2:
    for k in ("sha256", "status", "done", "total", "scan_ms", "verdicts", "gate", "error"):
        if k not in line:
            fail(f"progress line without {k}: {line}")
# CSV: the same rows, the documented header.
c = list(csv.DictReader(open(os.path.join(t, "export.csv"))))
if len(c) != len(rows) or list(c[0])[:5] != ["package", "version", "sha256", "path", "status"]:
    fail("csv export")
# Nothing outside OUT: the report folders are named by hash only.
for d in os.listdir(os.path.join(out, "reports")):
    if d not in shas:
        fail(f"unexpected report folder {d!r}")
print(f"ok: {len(rows)} jobs, {sum(r['status'] == 'done' for r in rows)} done, "
      f"{sum(r['status'] == 'failed' for r in rows)} failed")
PY
[ ! -e "$T/PWNED" ] && [ ! -e "$SRC/PWNED" ] || fail "an APK name was run as a command"
grep -q '"schema": "piaudit.batch-summary/1"' "$OUT/summary.json" || fail "no summary"

# 3. Rejudge from the stored evidence (no APK read): counts stay, every done app judged.
mkdir "$T/moved" && mv "$T/in" "$T/moved/"
"$PIAUDIT" batch rejudge -o "$OUT" --gate "$SRC/docs/examples/store_gate.yaml" 2> "$T/rejudge.err" \
  || fail "rejudge: $(cat "$T/rejudge.err")"
grep -q "apps judged again, 0 failed" "$T/rejudge.err" || fail "rejudge: $(cat "$T/rejudge.err")"
"$PIAUDIT" batch export -o "$OUT" > "$T/export2.jsonl"
cmp -s "$T/export.jsonl" "$T/export2.jsonl" || fail "rejudge with the same knowledge base changed the results"
mv "$T/moved/in" "$T/in"

# 3b. The hash cache of a resumed run: an APK replaced in place (an update under the same name)
# is a new job; the others are not.
[ "$(wc -l < "$OUT/file_hashes.jsonl")" -ge 20 ] || fail "no hash cache"
python3 - "$T/in/good/variant_5.apk" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "a") as z:
    z.writestr("assets/update.txt", "version 2\n")
PY
"$PIAUDIT" batch run "$T/in" -o "$OUT" > "$T/run3.jsonl" 2> "$T/run3.err" || fail "third run"
grep -q "APKs given, 1 new jobs" "$T/run3.err" || fail "update in place: $(cat "$T/run3.err")"
[ "$(lines "$T/run3.jsonl")" = 1 ] || fail "the third run scanned $(lines "$T/run3.jsonl") apps"

# 3b. `batch work --db URL` alone (the issue's contract): a submitted app is scanned and its
# reports land beside the SQLite store, in the OUT that made it.
cp "$T/in/good/variant_0.apk" "$T/late.apk"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "a").writestr("assets/late.txt", "late\n")' \
  "$T/late.apk"
"$PIAUDIT" batch submit "$T/late.apk" --db "sqlite:$OUT/piaudit.db" 2> "$T/submit.err" \
  || fail "submit: $(cat "$T/submit.err")"
"$PIAUDIT" batch work --db "sqlite:$OUT/piaudit.db" > "$T/work.jsonl" 2> "$T/work.err" \
  || fail "work without -o: $(cat "$T/work.err")"
late_sha=$(sha256sum "$T/late.apk" | cut -d' ' -f1)
[ -f "$OUT/reports/$late_sha/report.json" ] || fail "work without -o wrote no report for $late_sha"

# 4. Isolation: an address-space limit too small for a scan, and a hang (a stopped scan process).
# The scan is forked from the worker's loaded scanner, whose heap may already hold what a small
# app needs: the app carries a 160 MB asset, so mapping it alone passes a 100 MB limit.
python3 - "$T/in/good/variant_0.apk" "$T/big.apk" <<'PY2'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as src, zipfile.ZipFile(sys.argv[2], "w") as dst:
    for info in src.infolist():
        dst.writestr(info, src.read(info.filename))
    dst.writestr("assets/big.bin", bytes(160 << 20))
PY2
"$PIAUDIT" batch run "$T/big.apk" -o "$T/oom" --memory-mb 100 > "$T/oom.jsonl" 2>&1 \
  || fail "the run must go on after a bomb"
grep -q '"status":"failed"' "$T/oom.jsonl" || fail "memory limit not recorded: $(cat "$T/oom.jsonl")"
# Where the allocation fails varies (the loader, a thread's TLS, std::bad_alloc): any reason will do.
grep -q '"error":"[^"]' "$T/oom.jsonl" || fail "no reason: $(cat "$T/oom.jsonl")"
# The first app claimed is the 160 MB one: hashing it keeps its scan alive long enough to be seen
# and stopped (a forked scan of the small sample can end within the 20 ms this loop polls at).
"$PIAUDIT" batch run "$T/big.apk" "$T/in/good/variant_2.apk" -o "$T/hang" --timeout 3 \
  > "$T/hang.jsonl" 2>&1 &
RUN=$!
CHILD=
i=0
while :; do
  i=$((i + 1)); [ $i -lt 300 ] || fail "no scan process seen"
  # The scan is a child of the worker's fork server, itself a child of the run.
  CHILD=$(for p in $(pgrep -P $RUN); do pgrep -P "$p"; done | head -1 || true)
  # A scan that ends between being seen and being stopped (a loaded machine's timing): stop the
  # next one; either way one app hangs and the other is scanned.
  [ -n "$CHILD" ] && kill -STOP "$CHILD" 2>/dev/null && break
  sleep 0.02
done
wait $RUN || fail "the run must go on after a hang"
grep -q 'wall deadline 8 s passed' "$T/hang.jsonl" || fail "hang not recorded: $(cat "$T/hang.jsonl")"
[ "$(grep -c '"status":"done"' "$T/hang.jsonl")" = 1 ] || fail "the other app was not scanned"
# 5. On a terminal: the progress line instead of JSON lines.
python3 - "$PIAUDIT" "$T/in/good/variant_3.apk" "$T/tty" <<'PY' || fail "terminal progress"
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "batch", "run", sys.argv[2], "-o", sys.argv[3]])
out = b""
while True:
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    out += data
os.waitpid(pid, 0)
text = out.decode("utf-8", "replace")
if not ("1/1 done, 0 failed" in text and "apps/min" in text and "ETA" in text):
    sys.exit(f"no progress line: {text!r}")
if '"sha256"' in text:
    sys.exit(f"JSON lines on a terminal: {text!r}")
PY
echo "PASS"
