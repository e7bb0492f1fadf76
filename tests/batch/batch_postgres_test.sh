#!/bin/sh
# Issue 15: many workers on one PostgreSQL queue. Starts a throwaway cluster (Debian's initdb and
# pg_ctl; as the postgres user when run as root) listening only on a Unix socket in a temporary
# directory, and stops it on exit. Then:
#   - submitting the same APKs twice (and one under two names) makes one job each;
#   - two worker processes drain the queue; one is killed with SIGKILL while it scans; its job
#     goes back to the queue when its lease expires and the other worker does it;
#   - no job is scanned twice except that one (attempts), every job is done with its report.
# Usage: batch_postgres_test.sh PIAUDIT SAMPLE_APK SOURCE_DIR
set -eu
PIAUDIT=$1 SAMPLE=$2 SRC=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
# Lines written so far (0 before a background command has opened its output).
lines() { if [ -f "$1" ]; then wc -l < "$1"; else echo 0; fi; }
# The cluster: tests/support/with_pg_cluster.sh starts it, runs this script again inside, and stops
# it whatever the exit.
if [ -z "${PIAUDIT_TEST_PG_URL:-}" ]; then
  exec sh "$SRC/tests/support/with_pg_cluster.sh" sh "$0" "$@"
fi
DB=$PIAUDIT_TEST_PG_URL
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

python3 "$SRC/tests/batch/make_fixtures.py" "$SAMPLE" "$T/in" --variants 10
"$PIAUDIT" batch submit "$T/in" --db "$DB" 2> "$T/submit1.err" || fail "submit: $(cat "$T/submit1.err")"
grep -q "12 APKs given, 11 new jobs" "$T/submit1.err" || fail "submit: $(cat "$T/submit1.err")"
"$PIAUDIT" batch submit "$T/in" --db "$DB" 2> "$T/submit2.err"
grep -q "0 new jobs" "$T/submit2.err" || fail "second submit made jobs: $(cat "$T/submit2.err")"

# Two workers, as two machines would run them (own output directories); a 4 s lease.
"$PIAUDIT" batch work --db "$DB" -o "$T/outA" --lease 4 > "$T/a.jsonl" 2> "$T/a.err" &
A=$!
"$PIAUDIT" batch work --db "$DB" -o "$T/outB" --lease 4 > "$T/b.jsonl" 2> "$T/b.err" &
B=$!
# Kill A after it finished one job, while it holds the next (its owner is HOST:PID:0 in `status`).
i=0
while [ "$(lines "$T/a.jsonl")" -lt 1 ]; do
  i=$((i + 1)); [ $i -lt 500 ] || fail "worker A finished no job"; sleep 0.02
done
# Freeze A first, then look: a worker seen running a job and killed a moment later may have
# finished it in between (a forked scan of the sample takes milliseconds). A stopped worker
# cannot record its result, so the job it holds stays running until it dies.
i=0
while :; do
  kill -STOP $A
  "$PIAUDIT" batch status --db "$DB" | grep -q "^running .*:$A:0)" && break
  kill -CONT $A
  i=$((i + 1)); [ $i -lt 500 ] || fail "worker A never held a job"; sleep 0.02
done
kill -9 $A
wait $A 2>/dev/null || true
"$PIAUDIT" batch status --db "$DB" > "$T/after_kill.txt"
grep "^running .*:$A:0)" "$T/after_kill.txt" > "$T/orphan.txt" || fail "killed between jobs; rerun"
ORPHAN=$(awk '{print $2}' "$T/orphan.txt")
wait $B || fail "worker B: $(cat "$T/b.err")"
"$PIAUDIT" batch export --db "$DB" > "$T/export.jsonl"
python3 - "$T" "$ORPHAN" <<'PY'
import json, os, sys
t, orphan = sys.argv[1], sys.argv[2]
def fail(msg):
    print("FAIL:", msg); sys.exit(1)
rows = [json.loads(l) for l in open(os.path.join(t, "export.jsonl"))]
if len(rows) != 11:
    fail(f"{len(rows)} jobs, expected 11")
for r in rows:
    if r["status"] != "done":
        fail(f"{r['path']}: {r['status']} {r['error']}")
twice = [r for r in rows if r["attempts"] != 1]
if len(twice) != 1 or not twice[0]["sha256"].startswith(orphan) or twice[0]["attempts"] != 2:
    fail(f"expected only the killed worker's job ({orphan}) scanned twice: "
         f"{[(r['sha256'][:12], r['attempts']) for r in twice]}")
b = {json.loads(l)["sha256"] for l in open(os.path.join(t, "b.jsonl"))}
a = {json.loads(l)["sha256"] for l in open(os.path.join(t, "a.jsonl"))}
if a & b:
    fail(f"both workers finished {a & b}")
if twice[0]["sha256"] not in b:
    fail("the orphaned job was not done by worker B")
for r in rows:
    d = os.path.join(t, "outB" if r["sha256"] in b else "outA", "reports", r["sha256"])
    if not os.path.isfile(os.path.join(d, "report.json")):
        fail(f"no report for {r['sha256']}")
print(f"ok: 11 jobs done; A finished {len(a)}, B {len(b)} including A's orphaned job {orphan}")
PY
echo PASS
