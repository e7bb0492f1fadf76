#!/usr/bin/env bash
# Whole-command benchmark of `piaudit scan`: on the same APKs in one run, times
#   piaudit scan APK -o TMP            (the whole audit: APK facts, code, policy, 31 rules, reports)
#   androguard AnalyzeAPK(APK)         (Debian's androguard: parse + cross-reference analysis only)
#   unzip -p APK > /dev/null           (inflating every entry once: the floor for any APK reader)
# and prints medians and ratios. Usage: bench/scan_vs_reference.sh [BUILD_DIR] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
runs=${2:-5}
bin=$build/tools/piaudit/piaudit
corpus=${PIAUDIT_CORPUS:-../shared/corpus}/apks
[ -x "$bin" ] || { echo "no $bin: build first" >&2; exit 2; }
[ -d "$corpus" ] || { echo "corpus not found at $corpus: nothing to measure" >&2; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
# Seconds of one command as a float: wall clock, or CPU (user + system) with TIMEIT=cpu. CPU time
# is the steadier figure on a loaded machine; both are printed.
timeit() {
  local s e out
  s=$(date +%s.%N)
  /usr/bin/time -o "$tmp/time" -f "%U %S" "$@" >/dev/null 2>&1 || true
  e=$(date +%s.%N)
  if [ "${TIMEIT:-wall}" = cpu ]; then
    # /usr/bin/time counts in 10 ms steps; at least one step keeps the ratios finite.
    tail -n 1 "$tmp/time" | awk '{t = $1 + $2; if (t < 0.01) t = 0.01; print t}'
  else
    echo "$e - $s" | bc -l
  fi
}

for mode in wall cpu; do
  export TIMEIT=$mode
  echo "== $mode time (median of $runs; androguard once)"
  printf '%-28s %10s %10s %10s %9s %9s\n' apk piaudit_s andro_s unzip_s andro/pi pi/unzip
  tp=0 ta=0 tu=0
  for apk in "$corpus"/*.apk; do
    name=$(basename "$apk")
    p=$(for i in $(seq "$runs"); do timeit "$bin" scan "$apk" -o "$tmp/out" --fail-on never; done | median)
    a=$(timeit /usr/bin/python3 -c "import sys
from androguard.misc import AnalyzeAPK
AnalyzeAPK(sys.argv[1])" "$apk")
    u=$(for i in $(seq "$runs"); do timeit sh -c "unzip -p '$apk' > /dev/null"; done | median)
    printf '%-28s %10.4f %10.4f %10.4f %9.1f %9.2f\n' "$name" "$p" "$a" "$u" \
      "$(echo "$a / $p" | bc -l)" "$(echo "$p / $u" | bc -l)"
    tp=$(echo "$tp + $p" | bc -l) ta=$(echo "$ta + $a" | bc -l) tu=$(echo "$tu + $u" | bc -l)
  done
  # The whole corpus as one batch: what an app store reviewing these apps would wait.
  printf '%-28s %10.4f %10.4f %10.4f %9.1f %9.2f\n' "corpus total" "$tp" "$ta" "$tu" \
    "$(echo "$ta / $tp" | bc -l)" "$(echo "$tp / $tu" | bc -l)"
done
