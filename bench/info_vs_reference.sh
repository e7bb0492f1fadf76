#!/usr/bin/env bash
# Compares `piaudit info` with the reference tools on the same corpus APKs, in one run:
#   - aapt dump badging            (C++, what Android's build tools print)
#   - androguard APK(path)         (Python, Debian's androguard 3.x: androguard.core.bytecodes.apk)
# For each tool: the median over REPEATS runs of the time to process every APK (one process per
# APK, as a user would run it), plus androguard's in-process APK() time (python start-up and
# imports excluded, the fairest view of its parser), and the peak RSS over all APKs
# (/usr/bin/time -f %M). Prints per-tool medians and the ratios the project targets:
#   piaudit >= 20x faster than androguard, never slower than aapt, peak memory <= 1/5 androguard.
#
# usage: bench/info_vs_reference.sh [BUILD_DIR] [CORPUS_APK_DIR] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-./build}
corpus=${2:-../shared/corpus/apks}
repeats=${3:-5}
piaudit=$build/tools/piaudit/piaudit
py=/usr/bin/python3
[ -x "$piaudit" ] || { echo "no piaudit binary at $piaudit" >&2; exit 2; }
command -v aapt >/dev/null || { echo "aapt not installed" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time not installed" >&2; exit 2; }

# APKs every tool can read (aapt refuses APKs without a manifest; those are error-path tests).
apks=()
for f in "$corpus"/*.apk; do
  aapt dump badging "$f" >/dev/null 2>&1 && apks+=("$f")
done
[ ${#apks[@]} -gt 0 ] || { echo "no readable APKs in $corpus" >&2; exit 2; }
echo "corpus: ${#apks[@]} APKs from $corpus, $repeats repeats"

now_ns() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# run_tool NAME CMD... : CMD gets the APK path appended; prints median ms for the whole corpus.
run_tool() {
  local name=$1; shift
  local samples=()
  for ((r = 0; r < repeats; r++)); do
    local t0; t0=$(now_ns)
    for f in "${apks[@]}"; do "$@" "$f" >/dev/null 2>&1 || true; done
    local t1; t1=$(now_ns)
    samples+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${samples[@]}" | median
}
peak_kb() {
  local max=0
  for f in "${apks[@]}"; do
    local out; out=$(mktemp)
    /usr/bin/time -o "$out" -f '%M' "$@" "$f" >/dev/null 2>&1 || true
    local kb; kb=$(tail -1 "$out"); rm -f "$out"
    [[ "$kb" =~ ^[0-9]+$ ]] && [ "$kb" -gt "$max" ] && max=$kb
  done
  echo "$max"
}

ag_script='import sys
from androguard.core.bytecodes.apk import APK
a = APK(sys.argv[1])
a.get_package(); a.get_app_name(); a.get_permissions(); a.get_activities()'
ag_inproc='import sys, time, logging
logging.disable(logging.CRITICAL)
from androguard.core.bytecodes.apk import APK
ts = []
for _ in range(int(sys.argv[1])):
    t0 = time.perf_counter()
    for p in sys.argv[2:]:
        a = APK(p); a.get_package(); a.get_app_name(); a.get_permissions(); a.get_activities()
    ts.append(time.perf_counter() - t0)
ts.sort()
print(int(ts[len(ts) // 2] * 1e6))'

piaudit_info() { "$piaudit" info --format json "$1"; }
aapt_badging() { aapt dump badging "$1"; }
androguard_apk() { "$py" -c "$ag_script" "$1"; }

p_us=$(run_tool piaudit piaudit_info)
a_us=$(run_tool aapt aapt_badging)
g_us=$(run_tool androguard androguard_apk)
g_in_us=$("$py" -c "$ag_inproc" "$repeats" "${apks[@]}" 2>/dev/null)

p_kb=$(peak_kb "$piaudit" info --format json)
a_kb=$(peak_kb aapt dump badging)
g_kb=$(peak_kb "$py" -c "$ag_script")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }
echo
printf '%-34s %12s %14s\n' tool "median ms" "peak RSS KiB"
printf '%-34s %12.1f %14d\n' "piaudit info --format json" "$(ratio "$p_us" 1000)" "$p_kb"
printf '%-34s %12.1f %14d\n' "aapt dump badging" "$(ratio "$a_us" 1000)" "$a_kb"
printf '%-34s %12.1f %14d\n' "androguard APK() (process)" "$(ratio "$g_us" 1000)" "$g_kb"
printf '%-34s %12.1f %14s\n' "androguard APK() (in-process)" "$(ratio "$g_in_us" 1000)" "-"
echo
echo "speed-up vs androguard (process):    $(ratio "$g_us" "$p_us")x   (goal >= 20)"
echo "speed-up vs androguard (in-process): $(ratio "$g_in_us" "$p_us")x"
echo "time vs aapt dump badging:           $(ratio "$p_us" "$a_us")x   (goal <= 1)"
echo "peak memory vs androguard:           $(ratio "$p_kb" "$g_kb")x   (goal <= 0.20)"
echo "peak memory vs aapt:                 $(ratio "$p_kb" "$a_kb")x"

# Per APK, the two tools alternating (so both see the same machine state): median of 4*REPEATS
# runs each. "Never slower than aapt" is a claim about every APK, not only the total.
echo
printf '%-34s %10s %10s %8s\n' "per APK" "piaudit ms" "aapt ms" ratio
slower=0
# alternate ROUNDS APK FN...: runs each FN on APK in turn, ROUNDS times, so every FN sees the same
# machine state; prints the median microseconds of each FN, in order.
alternate() {
  local rounds=$1 apk=$2 r i fn t0 t1
  shift 2
  local -a samples=() medians=()
  for ((r = 0; r < rounds; r++)); do
    i=0
    for fn in "$@"; do
      t0=$(now_ns); "$fn" "$apk" >/dev/null 2>&1 || true; t1=$(now_ns)
      samples[i]+="$(( (t1 - t0) / 1000 )) "; i=$((i + 1))
    done
  done
  for ((i = 0; i < $#; i++)); do medians+=("$(printf '%s\n' ${samples[i]} | median)"); done
  echo "${medians[@]}"
}

for f in "${apks[@]}"; do
  read -r pm am < <(alternate $((4 * repeats)) "$f" piaudit_info aapt_badging)
  r=$(ratio "$pm" "$am")
  awk -v r="$r" 'BEGIN { exit !(r > 1) }' && slower=$((slower + 1))
  printf '%-34s %10.2f %10.2f %7sx\n' "$(basename "$f")" "$(ratio "$pm" 1000)" "$(ratio "$am" 1000)" "$r"
done
echo "APKs where piaudit info is slower than aapt: $slower of ${#apks[@]}"

# A large APK (the corpus has none above 3 MB; store apps are often 30-150 MB): the corpus's
# hello-world plus a 40 MB incompressible asset, re-signed (v1+v2+v3) with a throw-away key. Here
# `info` is bounded by the v2/v3 content digest, SHA-256 over the whole file, which aapt does not
# compute; `--no-signatures` shows the rest.
big_mb=${PIAUDIT_BENCH_BIG_MB:-40}
if [ "$big_mb" -gt 0 ] && command -v apksigner >/dev/null && command -v zipalign >/dev/null &&
   [ -f "$corpus/hello-world.apk" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/assets"
  head -c $((big_mb * 1000000)) /dev/urandom >"$work/assets/blob.bin"
  cp "$corpus/hello-world.apk" "$work/unsigned.apk"
  (cd "$work" && zip -q -d unsigned.apk 'META-INF/*' && zip -q -0 unsigned.apk assets/blob.bin &&
    zipalign -f 4 unsigned.apk aligned.apk &&
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=bench -keyout k.pem -out c.pem 2>/dev/null &&
    openssl pkcs8 -topk8 -nocrypt -outform DER -in k.pem -out k.pk8 &&
    apksigner sign --key k.pk8 --cert c.pem --out big.apk aligned.apk)
  big=$work/big.apk
  piaudit_nosig() { "$piaudit" info --no-signatures --format json "$1"; }
  read -r pm nm am < <(alternate $((2 * repeats)) "$big" piaudit_info piaudit_nosig aapt_badging)
  echo
  echo "large APK ($(( $(stat -c %s "$big") / 1000000 )) MB, v1+v2+v3):"
  printf '  %-32s %10.2f ms  %7sx aapt\n' "piaudit info" "$(ratio "$pm" 1000)" "$(ratio "$pm" "$am")"
  printf '  %-32s %10.2f ms  %7sx aapt\n' "piaudit info --no-signatures" "$(ratio "$nm" 1000)" "$(ratio "$nm" "$am")"
  printf '  %-32s %10.2f ms\n' "aapt dump badging" "$(ratio "$am" 1000)"
fi
