#!/usr/bin/env bash
# Whole-command speed and memory of reading and judging recordings (issue #18): piaudit scan of the
# sample app with a 100,000-event and a 1,000,000-event piaudit.trace/1 recording, against Python's
# json module reading the same lines (a reference parser) and `wc -l` (reading the bytes), in one
# run. Prints medians of 3 runs, MB/s and ratios, and the peak memory of both scans: memory must not
# grow with the recording (goal: >= 100 MB/s of JSONL per core, 1M events in a few seconds).
# Usage: bench/trace/trace_scale.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
piaudit=$build/tools/piaudit/piaudit
apk=$build/samples/sample_app/sample.apk
[ -x "$piaudit" ] && [ -f "$apk" ] || { echo "build piaudit and the sample first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

make_trace() {  # events out
  /usr/bin/python3 - "$1" "$2" <<'PY'
import sys, datetime
n, out = int(sys.argv[1]), sys.argv[2]
t0 = datetime.datetime(2026, 12, 6, 8, tzinfo=datetime.timezone.utc)
with open(out, "w") as f:
    f.write('{"type":"session","schema":"piaudit.trace/1","package":"com.piaudit.sample.torch",'
            '"identifiers":{"imei":["861234567890123"]}}\n')
    for i in range(n):
        t = (t0 + datetime.timedelta(milliseconds=37 * i)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        if i == n // 2:
            f.write('{"t":"%s","type":"consent","action":"accepted"}\n' % t)
        elif i % 50 == 7:
            f.write('{"t":"%s","type":"network","method":"POST","url":"https://ulogs.umeng.com/u?x=%d",'
                    '"headers":{"User-Agent":"okhttp/4.9"},"body_b64":"eyJhIjoxfQ=="}\n' % (t, i))
        else:
            f.write('{"t":"%s","type":"api","api":"android.telephony.TelephonyManager.getDeviceId",'
                    '"args":[],"result":"861234567890123","stack":["android.telephony.TelephonyManager'
                    '.getDeviceId(TelephonyManager.java:1)","com.umeng.commonsdk.statistics.common.'
                    'DeviceConfig.getImei(Unknown Source)","com.piaudit.sample.torch.App.onCreate('
                    'App.java:20)"],"thread":"main","app_state":"foreground"}\n' % t)
PY
}

median() { sort -n | sed -n 2p; }
seconds() {  # command... -> wall seconds
  local s e
  s=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; e=$(date +%s.%N)
  echo "$e - $s" | bc -l
}
peak_kb() { { /usr/bin/time -f %M "$@" 2>&1 > /dev/null || true; } | tail -1; }

for n in 100000 1000000; do
  trace=$work/trace_$n.jsonl
  make_trace "$n" "$trace"
  mb=$(echo "$(stat -c %s "$trace") / 1000000" | bc -l)
  scan_bare=$(for _ in 1 2 3; do seconds "$piaudit" scan "$apk" --format json -o "$work/o0"; done | median)
  scan_trace=$(for _ in 1 2 3; do seconds "$piaudit" scan "$apk" --trace "$trace" --format json -o "$work/o1"; done | median)
  check=$(for _ in 1 2 3; do seconds "$piaudit" trace check "$trace"; done | median)
  py=$(for _ in 1 2 3; do seconds /usr/bin/python3 -c 'import json,sys
for line in open(sys.argv[1]): json.loads(line)' "$trace"; done | median)
  wc=$(for _ in 1 2 3; do seconds wc -l "$trace"; done | median)
  rss_bare=$(peak_kb "$piaudit" scan "$apk" --format json -o "$work/o2")
  rss_trace=$(peak_kb "$piaudit" scan "$apk" --trace "$trace" --format json -o "$work/o3")
  judged=$(echo "$scan_trace - $scan_bare" | bc -l)
  printf '%8d events %7.1f MB: trace check (one pass) %.2f s = %.0f MB/s; judged in scan (two passes) +%.2f s = %.0f MB/s; python json %.2f s (piaudit check %.1fx faster); wc -l %.2f s\n' \
    "$n" "$mb" "$check" "$(echo "$mb / $check" | bc -l)" \
    "$judged" "$(echo "$mb / $judged" | bc -l)" "$py" "$(echo "$py / $check" | bc -l)" "$wc"
  printf '         peak memory: scan alone %d KB, scan with the recording %d KB (+%d KB)\n' \
    "$rss_bare" "$rss_trace" "$((rss_trace - rss_bare))"
done
