#!/usr/bin/env bash
# Throughput of `piaudit batch run` against single `piaudit scan` processes on the same apps, in
# the same run (issue 15). The corpus is repeated COPIES times (each copy gets one extra asset, so
# each is a different APK: a different job), then timed:
#   singles   one `piaudit scan APK -o DIR --format json,evidence` process per app, one after another
#   jobs 1    `piaudit batch run DIR -o OUT --jobs 1` (SQLite store, one child per app, forked from
#             the worker's loaded scanner; the scan gets all cores)
#   jobs 2    the same with --jobs 2 (one thread per scan on two cores)
# and prints apps/hour, CPU seconds (user + system, children included: steadier than wall time on
# a busy machine) and the ratios: batch overhead (jobs 1 / singles - 1; goal < 5%) and the
# speed-up of two jobs (goal >= 1.8 on two free cores). Printed figures, not a timed test.
# Usage: bench/batch_throughput.sh [BUILD_DIR] [COPIES]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
copies=${2:-15}
bin=$(realpath "$build/tools/piaudit/piaudit")
corpus=${PIAUDIT_CORPUS:-../shared/corpus}/apks
[ -x "$bin" ] || { echo "no $bin: build first" >&2; exit 2; }
[ -d "$corpus" ] || { echo "corpus not found at $corpus: nothing to measure" >&2; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$corpus" "$tmp/apps" "$copies" <<'PY'
import os, sys, zipfile
corpus, out, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(out)
for name in sorted(os.listdir(corpus)):
    if not name.endswith(".apk"):
        continue
    src = os.path.join(corpus, name)
    try:
        z = zipfile.ZipFile(src)
        infos = [(i, z.read(i.filename)) for i in z.infolist()]
    except Exception:
        continue  # not a zip python can rewrite: left out of the measure
    for k in range(copies):
        with zipfile.ZipFile(os.path.join(out, f"{k:03}_{name}"), "w") as dst:
            for info, data in infos:
                dst.writestr(info, data)
            dst.writestr("assets/bench_copy.txt", str(k))
PY
n=$(ls "$tmp/apps" | wc -l)
now() { date +%s.%N; }
# CPU seconds (user + system) of a command and its children, from /usr/bin/time.
cpu_of() { awk '{print $1 + $2}' "$1"; }

cat > "$tmp/singles.sh" <<EOF
for apk in "$tmp"/apps/*.apk; do
  "$bin" scan "\$apk" -o "$tmp/single" --format json,evidence --fail-on never >/dev/null 2>&1 || true
done
EOF
s=$(now)
/usr/bin/time -f "%U %S" -o "$tmp/singles.cpu" sh "$tmp/singles.sh"
singles=$(echo "$(now) - $s" | bc -l)

s=$(now)
/usr/bin/time -f "%U %S" -o "$tmp/j1.cpu" "$bin" batch run "$tmp/apps" -o "$tmp/j1" --jobs 1 \
  >/dev/null 2>&1
jobs1=$(echo "$(now) - $s" | bc -l)

s=$(now)
/usr/bin/time -f "%U %S" -o "$tmp/j2.cpu" "$bin" batch run "$tmp/apps" -o "$tmp/j2" --jobs 2 \
  >/dev/null 2>&1
jobs2=$(echo "$(now) - $s" | bc -l)

# The same two runs with one thread per scan: how the batch itself scales with its jobs, apart
# from the scan's own threads (with one job the scan gets every core: jobs 1 above is faster).
s=$(now)
/usr/bin/time -f "%U %S" -o "$tmp/t1.cpu" "$bin" batch run "$tmp/apps" -o "$tmp/t1" --jobs 1 \
  --scan-threads 1 >/dev/null 2>&1
one1=$(echo "$(now) - $s" | bc -l)
s=$(now)
/usr/bin/time -f "%U %S" -o "$tmp/t2.cpu" "$bin" batch run "$tmp/apps" -o "$tmp/t2" --jobs 2 \
  --scan-threads 1 >/dev/null 2>&1
one2=$(echo "$(now) - $s" | bc -l)

done1=$("$bin" batch status -o "$tmp/j1" | head -1)
printf 'apps: %d (%s copies of the corpus), %d cores\n' "$n" "$copies" "$(nproc)"
printf 'batch jobs 1: %s\n' "$done1"
printf '%-10s %9s %10s %12s\n' run seconds apps/hour cpu-seconds
for r in singles:$singles jobs1:$jobs1 jobs2:$jobs2 jobs1-t1:$one1 jobs2-t1:$one2; do
  name=${r%%:*}
  case $name in singles) f=singles;; jobs1) f=j1;; jobs2) f=j2;; jobs1-t1) f=t1;; jobs2-t1) f=t2;; esac
  printf '%-10s %9.1f %10.0f %12.1f\n' "$name" "${r#*:}" "$(echo "$n * 3600 / ${r#*:}" | bc -l)" \
    "$(cpu_of "$tmp/$f.cpu")"
done
printf 'batch overhead (jobs 1 / singles - 1): %+.1f%%  (goal < 5%%)\n' \
  "$(echo "($jobs1 / $singles - 1) * 100" | bc -l)"
printf 'two jobs speed-up (jobs 1 / jobs 2):   %.2fx   (goal >= 1.8x on two free cores)\n' \
  "$(echo "$jobs1 / $jobs2" | bc -l)"
printf 'same, one thread per scan (t1 / t2):   %.2fx   (the batch'"'"'s own scaling)\n' \
  "$(echo "$one1 / $one2" | bc -l)"
