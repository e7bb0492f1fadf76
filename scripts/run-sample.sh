#!/usr/bin/env bash
# Runs the main job on the sample app that the build made from samples/sample_app.
set -euo pipefail
cd "$(dirname "$0")/.."
sample=build/samples/sample_app/sample.apk
echo "== piaudit info $sample"
build/tools/piaudit/piaudit info "$sample"
