#!/usr/bin/env bash
# Whole-command throughput of `piaudit policy FILE --format json` (issue #19: >= 20 MB/s of policy
# text per core, memory bounded on a 50 MiB policy). The input is assembled at run time from the
# CA4P-483 training texts (../shared/corpus/policies/ca4p483-train/texts), concatenated until it
# reaches SIZE_MB (default 32); every run writes the JSON to /dev/null. Prints each run, the median
# MB/s (MB = 10^6 bytes of input) and each run's peak resident memory (/usr/bin/time).
# Usage: bench/policy_throughput.sh [BUILD_DIR] [RUNS] [SIZE_MB]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
runs=${2:-5}
size_mb=${3:-32}
bin=$build/tools/piaudit/piaudit
texts=${PIAUDIT_CORPUS:-../shared/corpus}/policies/ca4p483-train/texts
[ -x "$bin" ] || { echo "no $bin: build first" >&2; exit 2; }
[ -d "$texts" ] || { echo "corpus not found at $texts: nothing to measure" >&2; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
big=$work/big.txt
: >"$big"
while [ "$(stat -c %s "$big")" -lt $((size_mb * 1000000)) ]; do
  for f in "$texts"/*.txt; do
    cat "$f" >>"$big"
    echo >>"$big"
    [ "$(stat -c %s "$big")" -ge $((size_mb * 1000000)) ] && break
  done
done
bytes=$(stat -c %s "$big")
echo "input: $bytes bytes"
# Wall-clock MB/s, and MB/s of CPU time (user + system): on a shared machine the wall clock also
# counts the time other processes hold the core, the CPU time is what the command costs per core.
wall=() cpu=()
for r in $(seq "$runs"); do
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$bin" policy "$big" --format json >/dev/null
  read -r e u s m <"$work/time"
  w=$(echo "$bytes / $e / 1000000" | bc -l)
  c=$(echo "$bytes / ($u + $s) / 1000000" | bc -l)
  printf 'run %d: %.2f s wall (%.1f MB/s), %.2f s CPU (%.1f MB/s), peak RSS %d KB\n' "$r" "$e" "$w" \
    "$(echo "$u + $s" | bc -l)" "$c" "$m"
  wall+=("$w")
  cpu+=("$c")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
printf 'median over %d runs: %.1f MB/s wall, %.1f MB/s CPU\n' "$runs" "$(median "${wall[@]}")" \
  "$(median "${cpu[@]}")"
