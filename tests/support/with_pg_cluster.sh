#!/bin/sh
# Runs a command with a throwaway PostgreSQL cluster: Debian's initdb and pg_ctl (as the postgres
# user when run as root), listening only on a Unix socket in a temporary directory, one database
# `piaudit`; the command sees its URL in PIAUDIT_TEST_PG_URL. The cluster is stopped and removed
# when the command ends, whatever its exit.
# Usage: with_pg_cluster.sh COMMAND [ARG...]
set -eu
fail() { echo "with_pg_cluster: $*" >&2; exit 1; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] ||
  fail "PostgreSQL server not installed (scripts/install-deps.sh installs postgresql)"
T=$(mktemp -d)
chmod 755 "$T"
SOCK=$T/sock
mkdir -p "$SOCK" "$T/data"
as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}
if [ "$(id -u)" = 0 ]; then chown postgres "$SOCK" "$T/data"; fi
cleanup() {
  as_pg "'$PGBIN/pg_ctl' -D '$T/data' -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$T"
}
trap cleanup EXIT INT TERM
as_pg "'$PGBIN/initdb' -D '$T/data' -A trust -U postgres" > "$T/initdb.log" 2>&1 ||
  fail "initdb: $(tail -5 "$T/initdb.log")"
as_pg "'$PGBIN/pg_ctl' -D '$T/data' -l '$T/data/server.log' -w -o \"-k $SOCK -c listen_addresses=''\" start" \
  > /dev/null || fail "pg_ctl start: $(tail -5 "$T/data/server.log")"
as_pg "'$PGBIN/createdb' -h '$SOCK' -U postgres piaudit" || fail "createdb"
PIAUDIT_TEST_PG_URL="postgresql:///piaudit?host=$SOCK&user=postgres"
export PIAUDIT_TEST_PG_URL
"$@"
