#!/usr/bin/env bash
# Rebuilds data/fingerprints/*.fp (the SDK reference code fingerprints, docs/knowledge.md#fingerprints)
# from APKs that ship SDKs under their real package names: by default every APK of the shared
# corpus. Usage: scripts/knowledge/build_fingerprints.sh [BUILD_DIR] [APK...]
# Afterwards bump data/kb.yaml's version and run `piaudit kb check`.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
shift || true
bin=$build/tools/piaudit/piaudit
[ -x "$bin" ] || { echo "no $bin: build first" >&2; exit 2; }
if [ $# -eq 0 ]; then
  corpus=${PIAUDIT_CORPUS:-../shared/corpus}/apks
  [ -d "$corpus" ] || { echo "corpus not found at $corpus and no APKs given" >&2; exit 2; }
  set -- "$corpus"/*.apk
fi
out=data/fingerprints
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Libraries SDKs are known to copy into their own packages: their code is nobody's fingerprint.
"$bin" kb fingerprint "$@" -o "$tmp" --min-classes 3 \
  --shaded okhttp3 --shaded okio --shaded gson --shaded protobuf --shaded retrofit2 \
  --shaded glide --shaded zxing --shaded kotlin --shaded kotlinx --shaded jackson \
  --shaded reactivex --shaded apache --shaded volley --shaded fastjson
rm -f "$out"/*.fp
mkdir -p "$out"
cp "$tmp"/*.fp "$out"/
ls -l "$out"
