#!/usr/bin/env bash
# The README's first command: install dependencies, build in Release, and run the main job on the
# bundled sample app (built from source by the build itself).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# The browser test's driver (tests/e2e): playwright-core from the lock file, no browser download
# (the test drives Debian's /usr/bin/chromium).
(cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund)
scripts/build.sh
scripts/run-sample.sh
