#!/usr/bin/env bash
# Installs every build, test and benchmark dependency of piaudit from Debian 12's packages.
# Idempotent: when everything is present it does nothing but check.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config ccache clang libclang-rt-14-dev clang-format
  # libraries
  zlib1g-dev libdeflate-dev libssl-dev libelf-dev libcli11-dev nlohmann-json3-dev libfmt-dev
  libyaml-dev libicu-dev libre2-dev libgumbo-dev libpoppler-cpp-dev libcurl4-openssl-dev
  libopencc-dev libsqlite3-dev libsimdjson-dev libpcap-dev libexpat1-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # reference tools the tests compare against, and fixture builders
  aapt apksigner zipalign dexdump android-framework-res androguard openssl unzip zip
  python3 python3-jsonschema python3-yaml python3-sklearn hyperfine time bc chromium
  # report.pdf: Chromium prints the HTML report; CJK glyphs; pdftotext/pdftoppm check it
  fonts-noto-cjk poppler-utils
  # runtime evidence tests: a real proxy (HAR) and a real capture (pcap) on loopback
  mitmproxy tcpdump curl
  # store-scale batch (issue 15): the shared job store's client library, and the server the
  # tests start a throwaway cluster of (initdb, pg_ctl)
  libpq-dev postgresql
  # the oversight service (issue 16): the HTTP server library (Debian builds it as a shared
  # library with its TLS/zlib/brotli support: the pkg-config flags must be used as they are),
  # and Argon2id password hashing
  libcpp-httplib-dev libsodium-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm for the browser test's playwright-core (tests/e2e): Debian's nodejs has no npm, but a
# nodejs that bundles npm conflicts with Debian's npm package, so ask for it only without one.
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
