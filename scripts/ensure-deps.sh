#!/usr/bin/env bash
# Install npm dependencies only when needed: runs `npm ci` in the repo root when
# node_modules is missing or package-lock.json changed since the last install
# (its sha256 is kept in node_modules/.caas-deps-stamp). Otherwise silent.
#
# One narrow fallback: npm (npm/cli#9846) writes lockfiles without entries for
# optional platform packages that the registry does not serve (e.g. an
# @swc/core-darwin-* build missing at that version) and then `npm ci` rejects
# its own lockfile ("Missing: <name>@ from lock file", no version). Only in
# that case we run `npm install` instead, and fail if that would change the
# lockfile. Any real drift between package.json and the lockfile still fails.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
LOCK="$ROOT/package-lock.json"
STAMP="$ROOT/node_modules/.caas-deps-stamp"
NPM_FLAGS=(--no-audit --no-fund)

die() {
  echo "ensure-deps: error: $*" >&2
  exit 1
}

[[ -f "$LOCK" ]] || die "$LOCK not found"
command -v npm >/dev/null 2>&1 || die "npm not found on PATH (Node.js >= 20 is required)"

want="$(sha256sum "$LOCK" | cut -d' ' -f1)"
have=""
if [[ -d "$ROOT/node_modules" && -f "$STAMP" ]]; then
  have="$(<"$STAMP")"
fi
[[ "$have" == "$want" ]] && exit 0

echo "ensure-deps: package-lock.json changed or node_modules missing; running npm ci" >&2
cd "$ROOT"
out="$(mktemp)"
trap 'rm -f "$out" "$out.lock"' EXIT

if npm ci "${NPM_FLAGS[@]}" </dev/null >"$out" 2>&1; then
  grep -v '^npm warn' "$out" | tail -n 3 >&2 || true
else
  # Only the "unavailable optional package" signature is handled; anything
  # else (network, real lockfile drift, ...) fails like npm ci did.
  if ! grep -q 'can only install packages when your package.json and package-lock.json' "$out" ||
    ! grep -q '^npm error Missing: ' "$out" ||
    grep -E '^npm error Missing: ' "$out" | grep -qvE '^npm error Missing: (@[^@/ ]+/)?[^@/ ]+@ from lock file$'; then
    cat "$out" >&2
    die "npm ci failed"
  fi
  echo "ensure-deps: npm ci rejected the lockfile only for optional packages the registry does not serve (npm/cli#9846); falling back to npm install" >&2
  cp -p "$LOCK" "$out.lock"
  npm install "${NPM_FLAGS[@]}" </dev/null >&2 || die "npm install failed"
  if ! cmp -s "$LOCK" "$out.lock"; then
    cp -p "$out.lock" "$LOCK"
    die "package-lock.json is out of sync with package.json (npm install wanted to change it; restored). Run 'npm install' and commit the lockfile."
  fi
fi
printf '%s\n' "$want" >"$STAMP"
