#!/usr/bin/env bash
# The readers against real components: traffic carrying device identifiers goes from curl through a
# real mitmdump proxy (HAR) and, separately, straight to a local server while tcpdump records the
# loopback interface (pcap). trace_capture_check then reads each file the way piaudit does and
# checks that every SDK host and every identifier/encoding sent is found.
#
# Everything stays on 127.0.0.0/8: SDK host names are mapped to 127.0.0.1 (curl --resolve; the
# proxy's upstream connections are redirected by capture_addon.py), and every process started here
# is stopped on exit. Exit 77 (skipped) when mitmdump, tcpdump or curl is missing, or capturing on
# loopback is not permitted. tcpdump records lo (Ethernet headers) and "any" (Linux cooked v2) at once.
#
# Usage: capture_test.sh TRACE_CAPTURE_CHECK_BINARY
set -u
CHECK=$1
HERE=$(cd "$(dirname "$0")" && pwd)
# Debian ships mitmproxy 8's HAR exporter as an example; capture_addon.py writes HAR when it is absent.
HAR_DUMP=${PIAUDIT_HAR_DUMP:-/usr/share/doc/mitmproxy/examples/contrib/har_dump.py}

skip() { echo "SKIP: $*"; exit 77; }
for tool in mitmdump tcpdump curl python3; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (apt-get install mitmproxy tcpdump curl)"
done

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  [ -n "${KEEP_WORK:-}" ] && echo "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

# Stops one process started here and waits for it (its exit hooks write the files).
stop() {
  kill -TERM "$1" 2>/dev/null
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null
}

wait_for_port() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# --- the identifiers of a made-up device, and the encodings SDKs send them in ---
IMEI=861234567890123
ANDROID_ID=a1b2c3d4e5f60718
MAC=3C:5A:B4:12:34:56
OAID=f1e2d3c4-b5a6-4789-9abc-def012345678
IMSI=460001234567890
ICCID=89860012345678901234
SERIAL=R58M12ABCDE
PHONE=13812345678
LAT=39.904211
LON=116.407395
# One interpreter start for all of them (and a free port for the proxy): each start costs ~1 s
# on a loaded machine.
eval "$(python3 - "$MAC" "$IMEI" "$ANDROID_ID" "{\"iccid\":\"$ICCID\",\"sn\":\"$SERIAL\"}" <<'PY'
import base64, hashlib, socket, sys, urllib.parse
mac, imei, android_id, blob = sys.argv[1:]
s = socket.socket()
s.bind(("127.0.0.1", 0))
print("PROXY_PORT=%d" % s.getsockname()[1])
print("MAC_URL=" + urllib.parse.quote(mac, safe=""))
print("MAC_SHA1=" + hashlib.sha1(mac.replace(":", "").encode()).hexdigest().upper())
print("IMEI_MD5=" + hashlib.md5(imei.encode()).hexdigest())
print("IMEI_HEX=" + imei.encode().hex())
print("AID_SHA256=" + hashlib.sha256(android_id.encode()).hexdigest())
print("BLOB=" + base64.b64encode(blob.encode()).decode())
PY
)"

BUGLY=android.bugly.qq.com      # data/sdks/analytics.yaml (bugly)
MISTAT=data.mistat.xiaomi.com   # data/sdks (xiaomi ads / mistat)
UMENG=alog.umeng.com            # data/sdks (umeng)

python3 "$HERE/capture_server.py" "$WORK/server_port" &
PIDS+=($!)
for _ in $(seq 50); do [ -s "$WORK/server_port" ] && break; sleep 0.1; done
PORT=$(cat "$WORK/server_port" 2>/dev/null) || { echo "FAIL: the local server did not start"; exit 1; }

# Sends the same five requests; "$@" says how curl reaches the server (proxy or --resolve).
send_requests() {
  local c=(curl -sS --max-time 5 -o /dev/null "$@")
  "${c[@]}" -H "X-Device-Id: $IMEI_MD5" -H "Cookie: d=$IMEI_HEX" \
    "http://$BUGLY:$PORT/rqd/async?imei=$IMEI&aid=$AID_SHA256" || return 1
  "${c[@]}" --data "mac=$MAC_URL&lat=$LAT&lng=$LON&aid=$ANDROID_ID" \
    "http://$MISTAT:$PORT/mistats/v3" || return 1
  "${c[@]}" -H "Content-Type: application/json" -H "X-Mac: $MAC_SHA1" \
    --data "{\"oaid\":\"$OAID\",\"imsi\":\"$IMSI\",\"tel\":\"+86$PHONE\"}" \
    "http://$UMENG:$PORT/app_logs" || return 1
  "${c[@]}" -H "Content-Type: application/octet-stream" --data-binary "$BLOB" \
    "http://$UMENG:$PORT/b64" || return 1
}

CHECK_ARGS=(--id "imei=$IMEI" --id "android_id=$ANDROID_ID" --id "mac=$MAC" --id "oaid=$OAID"
  --id "imsi=$IMSI" --id "iccid=$ICCID" --id "serial=$SERIAL" --id "phone_number=+86$PHONE"
  --lat "$LAT" --lon "$LON" --host "$BUGLY" --host "$MISTAT" --host "$UMENG"
  --expect imei/raw@query --expect android_id/sha256@query --expect imei/md5@header:x-device-id
  --expect imei/hex@header:cookie --expect mac/url@body --expect location/raw@body
  --expect android_id/raw@body --expect oaid/raw@body --expect imsi/raw@body
  --expect phone_number/raw@body --expect mac/sha1@header:x-mac --expect iccid/base64@body
  --expect serial/base64@body)

# --- HAR through mitmdump ---
if [ -f "$HAR_DUMP" ]; then
  EXPORT=(-s "$HAR_DUMP" --set "hardump=$WORK/capture.har")  # Debian's own exporter
  EXPORTER=har_dump.py
else
  EXPORT=(--set "piaudit_har=$WORK/capture.har")
  EXPORTER=capture_addon.py
fi
PIAUDIT_CAPTURE_UPSTREAM="127.0.0.1:$PORT" mitmdump --listen-host 127.0.0.1 \
  --listen-port "$PROXY_PORT" --set "confdir=$WORK/mitmproxy" --set termlog_verbosity=warn \
  -s "$HERE/capture_addon.py" "${EXPORT[@]}" >"$WORK/mitmdump.log" 2>&1 &
MITM=$!
PIDS+=($MITM)
wait_for_port "$PROXY_PORT" || { cat "$WORK/mitmdump.log"; echo "FAIL: mitmdump did not listen"; exit 1; }
send_requests --proxy "http://127.0.0.1:$PROXY_PORT" || { cat "$WORK/mitmdump.log"; echo "FAIL: curl through mitmdump"; exit 1; }
stop "$MITM"
[ -s "$WORK/capture.har" ] || { cat "$WORK/mitmdump.log"; echo "FAIL: mitmdump wrote no HAR"; exit 1; }
echo "== HAR from mitmdump $(mitmdump --version 2>/dev/null | head -1 | awk '{print $2}') ($EXPORTER)"
"$CHECK" "$WORK/capture.har" --format har "${CHECK_ARGS[@]}" || exit 1

# --- pcap from tcpdump: on lo (Ethernet headers) and on "any" (Linux cooked v2), at once ---
start_tcpdump() {  # $1 = interface, $2 = file name; sets DUMP_PID
  tcpdump -i "$1" --immediate-mode -U -s 0 -w "$WORK/$2" "tcp port $PORT" 2>"$WORK/$2.log" &
  DUMP_PID=$!
  PIDS+=($DUMP_PID)
  for _ in $(seq 50); do
    grep -q "listening on" "$WORK/$2.log" 2>/dev/null && return 0
    kill -0 "$DUMP_PID" 2>/dev/null || break
    sleep 0.1
  done
  skip "the HAR part passed; capturing on $1 is not permitted here ($(head -1 "$WORK/$2.log")): run as root or give tcpdump CAP_NET_RAW"
}
start_tcpdump lo lo.pcap
DUMP_LO=$DUMP_PID
start_tcpdump any any.pcap
DUMP_ANY=$DUMP_PID
RESOLVE=()
for host in "$BUGLY" "$MISTAT" "$UMENG"; do RESOLVE+=(--resolve "$host:$PORT:127.0.0.1"); done
send_requests "${RESOLVE[@]}" || { echo "FAIL: curl to the local server"; exit 1; }
# A TLS ClientHello to the plain server: its SNI is all the capture can show (curl then fails).
curl -sk --max-time 3 -o /dev/null "${RESOLVE[@]}" "https://$UMENG:$PORT/" 2>/dev/null
sleep 1  # the kernel hands packets over in blocks; let the last ones reach the files
stop "$DUMP_LO"
stop "$DUMP_ANY"
echo "== pcap from $(tcpdump --version 2>&1 | head -1), -i lo"
"$CHECK" "$WORK/lo.pcap" --format pcap --tls-host "$UMENG" "${CHECK_ARGS[@]}" || exit 1
echo "== pcap from tcpdump -i any (Linux cooked v2)"
"$CHECK" "$WORK/any.pcap" --format pcap --tls-host "$UMENG" "${CHECK_ARGS[@]}" || exit 1
echo "PASS"
