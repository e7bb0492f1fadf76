#!/bin/sh
# Issue 16: the batch queue carries each app's privacy policy to its scan, on SQLite or PostgreSQL.
#   - the store is first made with the schema of the versions before policies (no policy_path
#     column) and one queued job in it: it must still open, gain the column, and scan that job;
#   - in/app.apk with in/app.policy.txt beside it, and the same APK bytes under another name with no
#     policy (from a list file): two jobs (the key is APK + policy), both done;
#   - the job with the policy: its evidence and report have the given policy analysed (source
#     given_file, the phone number it declares); the one without: no policy at all (the APK here
#     bundles none).
# Usage: batch_policy_test.sh PIAUDIT SAMPLE_APK SOURCE_DIR sqlite|postgres
set -eu
PIAUDIT=$1 SAMPLE=$2 SRC=$3 MODE=$4
fail() { echo "FAIL: $*" >&2; exit 1; }
if [ "$MODE" = postgres ] && [ -z "${PIAUDIT_TEST_PG_URL:-}" ]; then
  exec sh "$SRC/tests/support/with_pg_cluster.sh" sh "$0" "$@"
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/in" "$T/other" "$T/out"

# The sample without its bundled policy (so "no policy" means none), and a variant for the old job.
python3 - "$SAMPLE" "$T" <<'PY'
import sys, zipfile
sample, t = sys.argv[1], sys.argv[2]
def write(out, extra=None):
    with zipfile.ZipFile(sample) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if "privacy" not in info.filename:
                dst.writestr(info, src.read(info.filename))
        if extra:
            dst.writestr("assets/old.txt", extra)
write(f"{t}/in/app.apk")
write(f"{t}/other/app_copy.apk")
write(f"{t}/old.apk", "old job\n")
PY
cat > "$T/in/app.policy.txt" <<'TXT'
隐私政策
我们会收集您的手机号码，用于账号注册和登录。
您可以通过设置页面注销账号，我们将在15个工作日内处理。
TXT
printf '%s\n' "$T/other/app_copy.apk" > "$T/list.txt"
OLD_SHA=$(sha256sum "$T/old.apk" | cut -d' ' -f1)

# A store as the versions before policies made it, with one queued job.
OLD_SCHEMA="CREATE TABLE jobs (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, path TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued', attempts INTEGER NOT NULL DEFAULT 0,
  permanent BOOLEAN NOT NULL DEFAULT false, lease_owner TEXT NOT NULL DEFAULT '',
  lease_expires_at %s, submitted_at %s, finished_at %s,
  error TEXT NOT NULL DEFAULT '', package TEXT NOT NULL DEFAULT '', version TEXT NOT NULL DEFAULT '',
  verdicts TEXT NOT NULL DEFAULT '', gate TEXT NOT NULL DEFAULT '', gate_reasons TEXT NOT NULL DEFAULT '',
  scan_ms REAL NOT NULL DEFAULT 0, evidence TEXT NOT NULL DEFAULT '');
INSERT INTO jobs(sha256, path) VALUES('$OLD_SHA', '$T/old.apk');"
if [ "$MODE" = postgres ]; then
  DB=$PIAUDIT_TEST_PG_URL
  # shellcheck disable=SC2059
  printf "$OLD_SCHEMA" "TIMESTAMPTZ NOT NULL DEFAULT 'epoch'" "TIMESTAMPTZ NOT NULL DEFAULT now()" \
    "TIMESTAMPTZ" | sed 's/id INTEGER PRIMARY KEY/id BIGSERIAL PRIMARY KEY/' |
    psql -q -v ON_ERROR_STOP=1 "$DB" > "$T/psql.log" 2>&1 || fail "old schema: $(cat "$T/psql.log")"
else
  DB="sqlite:$T/out/piaudit.db"
  # shellcheck disable=SC2059
  printf "$OLD_SCHEMA" "INTEGER NOT NULL DEFAULT 0" "INTEGER NOT NULL DEFAULT 0" \
    "INTEGER NOT NULL DEFAULT 0" > "$T/old.sql"
  python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(open(sys.argv[2]).read()); c.commit()" \
    "$T/out/piaudit.db" "$T/old.sql" || fail "old schema"
fi

"$PIAUDIT" batch submit "$T/in" --list "$T/list.txt" --db "$DB" 2> "$T/submit.err" ||
  fail "submit on an old store: $(cat "$T/submit.err")"
grep -q "2 APKs given, 2 new jobs" "$T/submit.err" || fail "submit: $(cat "$T/submit.err")"
"$PIAUDIT" batch work --db "$DB" -o "$T/out" > "$T/work.jsonl" 2> "$T/work.err" ||
  fail "work: $(cat "$T/work.err")"
"$PIAUDIT" batch export --db "$DB" > "$T/export.jsonl" || fail "export"

python3 - "$T" "$OLD_SHA" <<'PY'
import json, os, sys
t, old_sha = sys.argv[1], sys.argv[2]
def fail(msg):
    print("FAIL:", msg); sys.exit(1)
rows = [json.loads(l) for l in open(os.path.join(t, "export.jsonl"))]
if len(rows) != 3:
    fail(f"{len(rows)} jobs, expected 3: {rows}")
for r in rows:
    if r["status"] != "done":
        fail(f"job {r['sha256']} {r['status']}: {r['error']}")
by_policy = {r["policy_path"]: r for r in rows if r["sha256"] != old_sha}
old = [r for r in rows if r["sha256"] == old_sha]
if len(old) != 1 or old[0]["policy_path"] != "":
    fail(f"the job of the old store: {old}")
policy_file = os.path.join(t, "in", "app.policy.txt")
if set(by_policy) != {policy_file, ""}:
    fail(f"policy paths {sorted(by_policy)}")
with_p, without = by_policy[policy_file], by_policy[""]
if not with_p["sha256"].startswith(without["sha256"] + "."):
    fail(f"keys: {with_p['sha256']} is not {without['sha256']}.POLICY")
def load(row, name):
    return json.load(open(os.path.join(t, "out", "reports", row["sha256"], name)))
ev = load(with_p, "evidence.json")["evidence"]["policy"]
if ev["source"] != "given_file" or not ev["analysed"]:
    fail(f"with policy: evidence policy {ev['source']} analysed={ev['analysed']}")
if "phone_number" not in [d["type_id"] for d in ev["data_types"]]:
    fail(f"with policy: no phone_number among {ev['data_types']}")
rep = load(with_p, "report.json")["policy"]
if rep["source"] != "given_file" or rep["file"] != policy_file or not rep["analysed"]:
    fail(f"with policy: report policy {rep}")
for row in (without, old[0]):
    ev = load(row, "evidence.json")["evidence"]["policy"]
    if ev["source"] != "none" or ev["analysed"] or ev["data_types"]:
        fail(f"without policy: evidence policy {ev['source']} analysed={ev['analysed']}")
    if load(row, "report.json")["policy"]["analysed"]:
        fail("without policy: the report has a policy")
print("ok: 3 jobs; the policy reached its scan, the others have none")
PY
