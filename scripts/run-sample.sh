#!/usr/bin/env bash
# The main job on the sample app the build made from samples/sample_app: a full `piaudit scan`
# (the sample breaks several items on purpose, so --fail-on never keeps set-up green).
set -euo pipefail
cd "$(dirname "$0")/.."
sample=build/samples/sample_app/sample.apk
build/tools/piaudit/piaudit scan "$sample" -o build/sample-report --fail-on never
