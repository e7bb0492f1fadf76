#!/usr/bin/env bash
# Whole-command comparison: `piaudit code --format json` vs androguard's AnalyzeAPK (Debian's
# androguard 3.4, which parses the APK and dex files and builds the cross-reference analysis) on
# the same APKs, in one run, on the same machine.
#
# Usage: bench/code_vs_androguard.sh [BUILD_DIR]
#   BUILD_DIR   build tree holding tools/piaudit/piaudit (default: build)
# Environment:
#   REPEAT=3            runs per tool and APK; medians are reported
#   CORPUS=/work/shared/corpus/apks
#   SKIP_CORPUS=1       only the assembled large APK
#   KB=DIR              knowledge base passed as --kb (default: piaudit's own default)
#
# Besides the corpus, the script assembles the largest APK it can from the corpus at run time (in a
# temp dir, nothing is written to the repo): every classes*.dex of every corpus APK becomes
# classes.dex, classes2.dex, ... of one APK, with the manifest and resources.arsc of the largest
# corpus APK. Per APK it prints, for each tool, the median wall time, CPU time (user + sys) and peak
# RSS (/usr/bin/time -f "%e %U %S %M"), their ratios, and piaudit's instruction count, so CPU time
# per instruction shows whether growth is linear. On a shared, loaded machine wall time includes
# waiting for a core; the CPU-time ratio is the stable one.
set -euo pipefail

BUILD_DIR=${1:-build}
PIAUDIT="$BUILD_DIR/tools/piaudit/piaudit"
REPEAT=${REPEAT:-3}
CORPUS=${CORPUS:-/work/shared/corpus/apks}
PY=/usr/bin/python3
KB_ARGS=()
[[ -n "${KB:-}" ]] && KB_ARGS=(--kb "$KB")

[[ -x "$PIAUDIT" ]] || { echo "no piaudit binary at $PIAUDIT (build target piaudit)" >&2; exit 2; }
$PY -c "import androguard.misc" 2>/dev/null || { echo "androguard not importable by $PY" >&2; exit 2; }
command -v zip >/dev/null || { echo "zip not installed" >&2; exit 2; }

WORK=$(mktemp -d /tmp/code_vs_androguard.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# A broken knowledge base makes every piaudit run exit 4; say so once instead of timing failures.
probe=$(ls "$CORPUS"/*.apk | head -1)
set +e
"$PIAUDIT" code --no-calls "${KB_ARGS[@]}" "$probe" >/dev/null 2>"$WORK/probe"
rc=$?
set -e
if [[ $rc -eq 4 ]]; then
  echo "piaudit cannot run: $(cat "$WORK/probe")" >&2
  exit 2
fi


# --- assemble the large APK ---
mkdir -p "$WORK/big" "$WORK/x"
n=0
largest=""
largest_size=0
for apk in "$CORPUS"/*.apk; do
  rm -rf "$WORK/x"/*
  unzip -qq -o "$apk" 'classes*.dex' -d "$WORK/x" 2>/dev/null || continue
  for dex in $(ls "$WORK/x"/classes*.dex 2>/dev/null | sort -V); do
    n=$((n + 1))
    if [[ $n -eq 1 ]]; then name=classes.dex; else name=classes$n.dex; fi
    mv "$dex" "$WORK/big/$name"
  done
  size=$(stat -c %s "$apk")
  if unzip -l "$apk" AndroidManifest.xml >/dev/null 2>&1 && [[ $size -gt $largest_size ]]; then
    largest=$apk
    largest_size=$size
  fi
done
if [[ -n "$largest" ]]; then
  unzip -qq -o "$largest" AndroidManifest.xml resources.arsc -d "$WORK/big" 2>/dev/null || true
fi
BIG="$WORK/all-corpus-dex.apk"
(cd "$WORK/big" && zip -qq -X "$BIG" AndroidManifest.xml $(ls resources.arsc 2>/dev/null) \
  $(ls classes*.dex | sort -V))
echo "assembled $BIG: $n dex files, manifest from $(basename "$largest"), $(stat -c %s "$BIG") bytes"

APKS=()
if [[ "${SKIP_CORPUS:-0}" != 1 ]]; then
  for apk in "$CORPUS"/*.apk; do
    # Only APKs piaudit accepts (the others have no manifest; androguard fails on them too).
    if "$PIAUDIT" code --no-calls --format json "${KB_ARGS[@]}" "$apk" >/dev/null 2>&1; then APKS+=("$apk"); fi
  done
fi
APKS+=("$BIG")

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# run_timed OUT_PREFIX CMD...: appends "wall user sys kilobytes" to OUT_PREFIX.times
run_timed() {
  local out=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/t" "$@" >/dev/null 2>"$WORK/err" || {
    echo "FAILED: $* ($(tail -1 "$WORK/err"))" >&2
    echo "nan nan nan nan" >>"$out.times"
    return 0
  }
  tail -1 "$WORK/t" >>"$out.times"
}

printf "%-26s %9s %10s %8s %8s %7s %8s %8s %7s %7s %7s %6s %8s\n" apk bytes instructions \
  p_wall a_wall wall_x p_cpu a_cpu cpu_x p_MB a_MB mem_x ns/insn
for apk in "${APKS[@]}"; do
  base=$(basename "$apk")
  rm -f "$WORK/p.times" "$WORK/a.times"
  for ((i = 0; i < REPEAT; i++)); do
    run_timed "$WORK/p" "$PIAUDIT" code --format json "${KB_ARGS[@]}" "$apk"
    run_timed "$WORK/a" $PY -c "import sys
from androguard.misc import AnalyzeAPK
a, d, dx = AnalyzeAPK(sys.argv[1])" "$apk"
  done
  insns=$("$PIAUDIT" code --no-calls --format json "${KB_ARGS[@]}" "$apk" 2>/dev/null |
    $PY -c "import json,sys; print(sum(d.get('instructions',0) for d in json.load(sys.stdin)['dex_files']))")
  col() { awk -v c="$2" '{ if (c == "cpu") print $2 + $3; else print $c }' "$1" | median; }
  pw=$(col "$WORK/p.times" 1)
  pc=$(col "$WORK/p.times" cpu)
  pm=$(col "$WORK/p.times" 4)
  aw=$(col "$WORK/a.times" 1)
  ac=$(col "$WORK/a.times" cpu)
  am=$(col "$WORK/a.times" 4)
  awk -v b="$base" -v s="$(stat -c %s "$apk")" -v n="$insns" -v pw="$pw" -v pc="$pc" \
    -v pm="$pm" -v aw="$aw" -v ac="$ac" -v am="$am" 'BEGIN {
      pws = (pw > 0 ? pw : 0.005); pcs = (pc > 0 ? pc : 0.005)
      printf "%-26s %9d %10d %8.2f %8.2f %6.1fx %8.2f %8.2f %6.1fx %7.1f %7.1f %5.1fx %8.0f\n",
             b, s, n, pw, aw, aw / pws, pc, ac, ac / pcs, pm / 1024, am / 1024, am / pm,
             (n > 0 ? pc * 1e9 / n : 0)
    }'
done
echo "medians of $REPEAT runs (p = piaudit, a = androguard); wall_x / cpu_x = androguard time /" \
  "piaudit time (wall clock / user+sys CPU); mem_x = androguard peak RSS / piaudit peak RSS;" \
  "ns/insn = piaudit CPU ns per dex instruction (flat = linear growth)"
