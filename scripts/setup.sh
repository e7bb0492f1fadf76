#!/usr/bin/env bash
# The README's first command: install dependencies, build in Release, and run the main job on the
# bundled sample app (built from source by the build itself).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
scripts/run-sample.sh
