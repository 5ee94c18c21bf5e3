#!/usr/bin/env bash
# The one test command (`npm test`): installs what is missing, starts the local
# infrastructure, type-checks, lints, runs every jest project against the real
# services, and ends with a single "N passed, N failed, N skipped" line.
set -euo pipefail
# shellcheck source=scripts/prepare.sh
. "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
export NX_DAEMON=false NX_NO_CLOUD=true

echo "== typecheck"
npx tsc -p tsconfig.json --noEmit
echo "== lint"
npx eslint --max-warnings 0 .
npx prettier --check . >/dev/null || { npx prettier --check . ; exit 1; }

echo "== tests"
mkdir -p .local
results=.local/jest-results.json
status=0
npx jest --ci --json --outputFile="$results" "$@" || status=$?
node -e '
  const r = require(process.argv[1]);
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' "$ROOT/$results" || true
exit "$status"
