#!/usr/bin/env bash
# The README's second command: the whole test suite. Builds what changed, runs every GoogleTest
# suite through ctest, then builds the libFuzzer targets with clang under ASan+UBSan and runs each
# for PIAUDIT_FUZZ_SECONDS (default 30) from its seed corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh >/dev/null
scripts/build.sh >/dev/null
ctest --test-dir build --output-on-failure -j"$(nproc)"
scripts/fuzz.sh
