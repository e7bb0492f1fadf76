#!/usr/bin/env bash
# Builds, from the sample app's sources, the two later builds the oversight walk needs, signed
# with the sample's own key (same certificate, as a real developer's next builds would be):
#   rectified.apk  same package, versionCode 4, a policy that now says how to withdraw consent,
#                  delete personal information and cancel the account (IM-3.8, IM-6.1 fixed)
#   renamed.apk    the unchanged app under a new package name (com.piaudit.sample.torch.lite)
# Usage: make_variants.sh SAMPLE_SRC_DIR SAMPLE_BUILD_DIR OUT_DIR
set -euo pipefail
src=$1 built=$2 out=$3
mkdir -p "$out"
variant() {  # NAME SED_ON_MANIFEST POLICY_ADDITION
  local name=$1 sed_expr=$2 addition=$3 dir="$out/$1-src" work="$out/$1-work"
  rm -rf "$dir" "$work"
  cp -r "$src" "$dir"
  mkdir -p "$work"
  cp "$built/work/key.pk8" "$built/work/key.pem" "$built/work/cert.pem" "$work/"
  sed -i "$sed_expr" "$dir/AndroidManifest.xml"
  if [ -n "$addition" ]; then
    python3 - "$dir/assets/privacy_policy.html" "$addition" <<'PY'
import sys
path, addition = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
marker = "<p>如您对本政策"
if marker not in text:
    sys.exit(f"make_variants: {path} lacks the paragraph the addition goes before")
open(path, "w", encoding="utf-8").write(text.replace(marker, addition + marker, 1))
PY
  fi
  bash "$src/build_sample.sh" "$dir" "$built/classes.dex" "$out/$name.apk" "$work"
}
variant rectified 's/android:versionCode="3"/android:versionCode="4"/' \
  '<p>您可以在“设置-隐私-撤回同意”中撤回您对本政策的同意，撤回后我们将停止收集您的个人信息。</p>
<p>您可以在“设置-账号-删除个人信息”中申请删除您的个人信息，也可以在“设置-账号-注销账号”中申请注销账号，我们将在15个工作日内完成处理。</p>
'
variant renamed 's/package="com.piaudit.sample.torch"/package="com.piaudit.sample.torch.lite"/' ''
grep -q 'versionCode="4"' "$out/rectified-src/AndroidManifest.xml" ||
  { echo "make_variants: the sample's versionCode is no longer 3" >&2; exit 1; }
grep -q 'torch.lite' "$out/renamed-src/AndroidManifest.xml" ||
  { echo "make_variants: the sample's package is no longer com.piaudit.sample.torch" >&2; exit 1; }
