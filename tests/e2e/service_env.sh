# Sourced by the browser tests: checks the browser is there, then starts `piaudit serve` on a free
# loopback port with a throwaway SQLite database and a `piaudit batch work --follow` worker, both
# stopped (and the directory removed) when the test exits. Skips (77) without Chromium or without
# tests/e2e/node_modules (scripts/setup.sh runs `npm ci` there).
# In: PIAUDIT, HERE, NAME. Out: T (temp dir), DB, URL; add_user NAME ROLE PASSWORD [STORE].
[ -x /usr/bin/chromium ] || { echo "$NAME: /usr/bin/chromium missing: skipped"; exit 77; }
[ -d "$HERE/node_modules/playwright-core" ] ||
  { echo "$NAME: run 'npm ci' in tests/e2e (scripts/setup.sh does): skipped"; exit 77; }
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
add_user() {
  if [ -n "${4:-}" ]; then
    printf '%s\n' "$3" | "$PIAUDIT" user add --db "$DB" --name "$1" --role "$2" --store "$4"
  else
    printf '%s\n' "$3" | "$PIAUDIT" user add --db "$DB" --name "$1" --role "$2"
  fi
}
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
[ -n "$URL" ] || { echo "$NAME: no listening line"; cat "$T/serve.log"; exit 1; }
show_logs() {
  echo "--- serve.log"; tail -20 "$T/serve.log"; echo "--- worker.log"; tail -20 "$T/worker.log"
}
