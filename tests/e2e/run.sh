#!/usr/bin/env bash
# Runs the browser tests against VNTRACE_BIN. Without Chromium it skips with exit code 77 (and
# says so), except in CI (CI=true), where a missing Chromium fails.
set -euo pipefail
cd "$(dirname "$0")"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "e2e: FAIL: Chromium not found at $CHROMIUM (scripts/install-deps.sh installs it)" >&2
    exit 1
  fi
  echo "e2e: SKIPPED: Chromium not found at $CHROMIUM; install it (scripts/install-deps.sh) to run the browser tests" >&2
  exit 77
fi
if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund
fi
exec node --test --test-concurrency=1 producer_app.test.mjs inspect_app.test.mjs authority_app.test.mjs scan_page.test.mjs
