#!/bin/sh
# The oversight process in a real browser (oversight_e2e.mjs): complaint, case, rectification
# order before a holiday, overdue, public notice, removal, a renamed package with the same
# certificate refused inside the 40-working-day bar, relisting after it. The later builds of the
# sample are made here from its sources (make_variants.sh), signed with the sample's key.
# Usage: oversight_e2e.sh PIAUDIT SAMPLE_SRC_DIR SAMPLE_BUILD_DIR SCREENSHOT_DIR
set -eu
PIAUDIT=$1 SRC=$2 BUILT=$3 SHOTS=$4
HERE=$(cd "$(dirname "$0")" && pwd)
NAME=oversight_e2e
[ -f "$BUILT/sample.apk" ] || { echo "oversight_e2e: $BUILT/sample.apk missing (built by the build)"; exit 1; }
. "$HERE/service_env.sh"
bash "$HERE/make_variants.sh" "$SRC" "$BUILT" "$T/variants" > "$T/variants.log" 2>&1 ||
  { cat "$T/variants.log"; exit 1; }
add_user inspector1 inspector 'e2e inspector pw'
add_user dev1 developer 'e2e developer pw'
add_user store1 store 'e2e store pw' s1
rm -rf "$SHOTS"
if ! node "$HERE/oversight_e2e.mjs" "$URL" "$BUILT/sample.apk" "$T/variants/rectified.apk" \
    "$T/variants/renamed.apk" "$SHOTS"; then
  show_logs
  exit 1
fi
