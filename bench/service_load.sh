#!/usr/bin/env bash
# Issue 16's load benchmark: 50 people browsing reports while workers scan, on loopback only,
# bounded in time, with nothing left running afterwards. Builds nothing; needs python3 (stdlib).
#   1. a throwaway SQLite database and data directory; accounts made with `piaudit user add`
#      (an admin who uploads, inspectors, a store operator, a developer);
#   2. `piaudit serve --listen 127.0.0.1:0` (the port it prints);
#   3. uploads through the API: the sample app and the corpus APKs (half of them for store shop-a
#      and developer load-dev, so the tenants see a part); a first worker scans them to the end
#      (the reports people will read);
#   4. more uploads (copies of the same apps with one extra asset: new jobs), and WORKERS
#      `piaudit batch work --follow` scanning them while USERS simulated people log in and browse
#      for SECONDS (bench/service_browse.py browse): dashboard, apps, app page, scan page,
#      report.html, report JSON;
#   5. prints requests/s, p50/p95/p99 per page kind and the errors (the run fails on any).
# Server and workers are killed by a trap on every exit.
# Usage: bench/service_load.sh [BUILD_DIR] [USERS] [SECONDS] [WORKERS]
#   COPIES=N (environment, default 8): copies of each app queued for the measured phase, enough to
#   keep the workers scanning through it; SERVICE_LOAD_JSON=FILE keeps the figures as JSON;
#   SERVE_ARGS="--threads 32" (environment) is added to `piaudit serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
users=${2:-50}
seconds=${3:-30}
workers=${4:-1}
bin=$(realpath "$build/tools/piaudit/piaudit")
sample=$build/samples/sample_app/sample.apk
corpus=${PIAUDIT_CORPUS:-../shared/corpus}/apks
[ -x "$bin" ] || { echo "no $bin: build first" >&2; exit 2; }
[ -f "$sample" ] || { echo "no $sample: build the sample_apk target first" >&2; exit 2; }
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
db="sqlite:$tmp/svc.db"
client=bench/service_browse.py
password="load test password"

# 1. accounts
add_user() { printf '%s\n' "$password" | "$bin" user add --db "$db" "$@" >/dev/null; }
add_user --name load-admin --role admin
accounts=()
for i in 0 1 2 3 4 5 6 7; do
  add_user --name "load-inspector-$i" --role inspector
  accounts+=(--account "load-inspector-$i:$password")
done
add_user --name load-store --role store --store shop-a
add_user --name load-dev --role developer
accounts+=(--account "load-store:$password" --account "load-dev:$password")

# 2. the server, on a free loopback port
# shellcheck disable=SC2086
"$bin" serve --db "$db" --data "$tmp/data" --listen 127.0.0.1:0 ${SERVE_ARGS:-} > "$tmp/serve.log" 2>&1 &
pids+=($!)
url=""
for _ in $(seq 100); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$tmp/serve.log" | head -1 || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "the server did not start: $(cat "$tmp/serve.log")" >&2; exit 1; }

# 3. the first uploads, scanned before the measure
mkdir -p "$tmp/apps" "$tmp/more"
python3 - "$sample" "$corpus" "$tmp" "${COPIES:-8}" <<'PY'
import os, shutil, sys, zipfile
sample, corpus, t, copies = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
apps = [sample] + sorted(os.path.join(corpus, n) for n in (os.listdir(corpus) if os.path.isdir(corpus) else [])
                         if n.endswith(".apk"))
for k, src in enumerate(apps):
    try:
        with zipfile.ZipFile(src) as z:
            entries = [(i, z.read(i.filename)) for i in z.infolist()]
    except Exception:
        continue  # not a zip python can rewrite (the corpus has a broken one on purpose)
    shutil.copy(src, os.path.join(t, "apps", f"{k:02}.apk"))
    # The same app with one extra asset: new jobs for the workers of the measured phase.
    for c in range(copies):
        with zipfile.ZipFile(os.path.join(t, "more", f"{k:02}_{c}.apk"), "w",
                             zipfile.ZIP_DEFLATED) as dst:
            for info, data in entries:
                dst.writestr(info, data)
            dst.writestr("assets/load_copy.txt", f"copy {c}\n")
PY
set -- "$tmp"/apps/*.apk
half=$(( ($# + 1) / 2 ))
python3 "$client" upload "$url" load-admin "$password" "${@:1:$half}" > /dev/null
python3 "$client" upload "$url" load-admin "$password" --store shop-a --developer load-dev \
  "${@:$((half + 1))}" > /dev/null
echo "service_load: $# apps uploaded to $url; scanning them first (not measured)"
"$bin" batch work --db "$db" -o "$tmp/out" > "$tmp/work0.jsonl" 2> "$tmp/work0.err"
python3 "$client" wait "$url" load-admin "$password" --seconds 60

# 4. more uploads, workers scanning them while people browse
set -- "$tmp"/more/*.apk
half=$(( ($# + 1) / 2 ))
python3 "$client" upload "$url" load-admin "$password" "${@:1:$half}" > /dev/null
python3 "$client" upload "$url" load-admin "$password" --store shop-a --developer load-dev \
  "${@:$((half + 1))}" > /dev/null
# The workers start when the browsing window opens (after the logins), so they scan during it.
for i in $(seq "$workers"); do
  (
    while [ ! -e "$tmp/window" ]; do sleep 0.05; done
    exec "$bin" batch work --db "$db" -o "$tmp/out" --follow > "$tmp/work$i.jsonl" 2> "$tmp/work$i.err"
  ) &
  pids+=($!)
done
echo "service_load: $users users browsing for $seconds s while $workers worker(s) scan $# more apps"
rc=0
python3 "$client" browse "$url" "${accounts[@]}" --users "$users" --seconds "$seconds" \
  --json "$tmp/figures.json" --window-file "$tmp/window" || rc=$?
[ -n "${SERVICE_LOAD_JSON:-}" ] && cp "$tmp/figures.json" "$SERVICE_LOAD_JSON"
exit $rc
