#!/usr/bin/env bash
# Builds every libFuzzer target with clang + ASan + UBSan into ./build-fuzz and runs each briefly.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${PIAUDIT_FUZZ_SECONDS:-30}
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ "${launcher[@]}" \
  -DPIAUDIT_BUILD_TESTS=OFF -DPIAUDIT_BUILD_BENCHMARKS=OFF -DPIAUDIT_BUILD_FUZZERS=ON \
  -DPIAUDIT_SANITIZE=ON -DPIAUDIT_FUZZ_SECONDS="$seconds" >/dev/null
cmake --build build-fuzz --target fuzzers -j"$(nproc)"
ctest --test-dir build-fuzz -L fuzz --output-on-failure -j"$(nproc)"
