#!/usr/bin/env bash
# Whole-command cost of SDK code fingerprints (docs/analysis.md "Code fingerprints"): times
#   piaudit code APK                    with the bundled knowledge base (data/fingerprints/ loaded)
#   piaudit code APK --kb NOFP          the same knowledge base without data/fingerprints/
# alternately on the same inputs in one run, and prints medians and the ratio with/without. Inputs:
# every corpus APK piaudit reads, and a large APK assembled at run time from every corpus dex file
# repeated COPIES times (default 8, about a million methods: the repeated classes are shadowed for
# the analysis but each copy is fingerprinted, so this is the worst case). Goal (issue #17): the
# ratio stays <= 1.20. Usage: bench/fingerprint_cost.sh [BUILD_DIR] [RUNS] [COPIES]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
runs=${2:-5}
copies=${3:-8}
bin=$build/tools/piaudit/piaudit
corpus=${PIAUDIT_CORPUS:-../shared/corpus}/apks
[ -x "$bin" ] || { echo "no $bin: build first" >&2; exit 2; }
[ -d "$corpus" ] || { echo "corpus not found at $corpus: nothing to measure" >&2; exit 0; }
[ -d data/fingerprints ] || { echo "no data/fingerprints: nothing to compare" >&2; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r data "$work/nofp"
rm -rf "$work/nofp/fingerprints"

# --- the large APK ---
mkdir -p "$work/big" "$work/x"
n=0
for c in $(seq "$copies"); do
  for apk in "$corpus"/*.apk; do
    rm -rf "$work/x"/*
    unzip -qq -o "$apk" 'classes*.dex' -d "$work/x" 2>/dev/null || continue
    for dex in $(ls "$work/x"/classes*.dex 2>/dev/null | sort -V); do
      n=$((n + 1))
      if [ $n -eq 1 ]; then name=classes.dex; else name=classes$n.dex; fi
      mv "$dex" "$work/big/$name"
    done
  done
done
unzip -qq -o "$corpus/instapaper.apk" AndroidManifest.xml resources.arsc -d "$work/big" 2>/dev/null || true
big=$work/big.apk
(cd "$work/big" && zip -qq -X "$big" AndroidManifest.xml resources.arsc $(ls classes*.dex | sort -V))
methods=$("$bin" code --no-calls --format json "$big" 2>/dev/null |
  python3 -c 'import json,sys; print(sum(d.get("methods",0) for d in json.load(sys.stdin)["dex_files"]))')
echo "assembled $(basename "$big"): $n dex files, $methods methods"

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
secs() {
  local s e
  s=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  e=$(date +%s.%N)
  echo "$e - $s" | bc -l
}
printf '%-28s %10s %10s %8s\n' apk with_s without_s ratio
for apk in "$corpus"/*.apk "$big"; do
  "$bin" code --no-calls "$apk" >/dev/null 2>&1 || continue
  : >"$work/with"
  : >"$work/without"
  for r in $(seq "$runs"); do
    secs "$bin" code "$apk" >>"$work/with"
    secs "$bin" code --kb "$work/nofp" "$apk" >>"$work/without"
  done
  w=$(median <"$work/with")
  o=$(median <"$work/without")
  printf '%-28s %10.3f %10.3f %8.3f\n' "$(basename "$apk")" "$w" "$o" "$(echo "$w / $o" | bc -l)"
done
