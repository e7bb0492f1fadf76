#!/bin/sh
# Starts `piaudit serve` on a free loopback port with a throwaway SQLite database, a user, and a
# `piaudit batch work --follow` worker, then runs the browser test (service_e2e.mjs). Skips (77)
# without Chromium or without tests/e2e/node_modules (scripts/setup.sh runs `npm ci` there).
# Usage: service_e2e.sh PIAUDIT SAMPLE_APK SCREENSHOT_DIR
set -eu
PIAUDIT=$1 APK=$2 SHOTS=$3
HERE=$(cd "$(dirname "$0")" && pwd)
[ -x /usr/bin/chromium ] || { echo "service_e2e: /usr/bin/chromium missing: skipped"; exit 77; }
[ -d "$HERE/node_modules/playwright-core" ] ||
  { echo "service_e2e: run 'npm ci' in tests/e2e (scripts/setup.sh does): skipped"; exit 77; }
[ -f "$APK" ] || { echo "service_e2e: $APK missing (built by the build)"; exit 1; }
T=$(mktemp -d)
SERVER=""
WORKER=""
cleanup() {
  [ -n "$WORKER" ] && kill "$WORKER" 2>/dev/null || true
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$T"
}
trap cleanup EXIT INT TERM
DB="sqlite:$T/service.db"
printf '%s\n' 'e2e password 1' | "$PIAUDIT" user add --db "$DB" --name inspector1 --role inspector
"$PIAUDIT" serve --db "$DB" --listen 127.0.0.1:0 --data "$T/data" > "$T/serve.log" 2>&1 &
SERVER=$!
"$PIAUDIT" batch work --db "$DB" -o "$T/out" --follow > "$T/worker.log" 2>&1 &
WORKER=$!
URL=""
for i in $(seq 1 300); do
  URL=$(sed -n 's/^piaudit serve: listening on \(http:[^ ]*\)$/\1/p' "$T/serve.log")
  [ -n "$URL" ] && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$T/serve.log"; exit 1; }
  sleep 0.1
done
[ -n "$URL" ] || { echo "service_e2e: no listening line"; cat "$T/serve.log"; exit 1; }
rm -rf "$SHOTS"
if ! node "$HERE/service_e2e.mjs" "$URL" "$APK" "$SHOTS" inspector1 'e2e password 1'; then
  echo "--- serve.log"; tail -20 "$T/serve.log"; echo "--- worker.log"; tail -20 "$T/worker.log"
  exit 1
fi
