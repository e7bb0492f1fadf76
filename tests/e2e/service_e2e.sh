#!/bin/sh
# The upload-to-report walk in a real browser (service_e2e.mjs) against a server and worker
# started by service_env.sh.
# Usage: service_e2e.sh PIAUDIT SAMPLE_APK SCREENSHOT_DIR
set -eu
PIAUDIT=$1 APK=$2 SHOTS=$3
HERE=$(cd "$(dirname "$0")" && pwd)
NAME=service_e2e
[ -f "$APK" ] || { echo "service_e2e: $APK missing (built by the build)"; exit 1; }
. "$HERE/service_env.sh"
add_user inspector1 inspector 'e2e password 1'
rm -rf "$SHOTS"
if ! node "$HERE/service_e2e.mjs" "$URL" "$APK" "$SHOTS" inspector1 'e2e password 1'; then
  show_logs
  exit 1
fi
