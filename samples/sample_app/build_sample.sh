#!/usr/bin/env bash
# Packs the sample app: aapt (manifest + resources against the framework), the generated
# classes.dex and the bundled policy, zipalign, and apksigner (v1+v2+v3) with a key made here.
# usage: build_sample.sh SRC_DIR DEX OUT_APK WORK_DIR
set -euo pipefail
src=$1 dex=$2 out=$3 work=$4
mkdir -p "$work/extra/assets"
aapt package -f -M "$src/AndroidManifest.xml" -S "$src/res" \
  -I /usr/share/android-framework-res/framework-res.apk -F "$work/unsigned.apk" >/dev/null
cp "$dex" "$work/extra/classes.dex"
cp "$src/assets/privacy_policy.html" "$work/extra/assets/privacy_policy.html"
(cd "$work/extra" && zip -q -X "$work/unsigned.apk" classes.dex assets/privacy_policy.html)
zipalign -f 4 "$work/unsigned.apk" "$work/aligned.apk"
if [ ! -f "$work/key.pk8" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=piaudit sample/O=piaudit/C=CN" \
    -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
  openssl pkcs8 -topk8 -nocrypt -outform DER -in "$work/key.pem" -out "$work/key.pk8"
fi
apksigner sign --key "$work/key.pk8" --cert "$work/cert.pem" --v1-signing-enabled true \
  --v2-signing-enabled true --v3-signing-enabled true --min-sdk-version 21 --out "$out" \
  "$work/aligned.apk"
