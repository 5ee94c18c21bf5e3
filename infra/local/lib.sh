#!/usr/bin/env bash
# Shared helpers for the local infrastructure scripts (infra/local/*.sh).
# Source it; it does not do anything on its own.
#
#   CAAS_REPO_ROOT   absolute path of the repository root (derived from this file's location)
#   CAAS_LOCAL_DIR   <repo>/.local, git-ignored state (data dirs, logs, env file)

set -euo pipefail

if [[ -n "${_CAAS_LOCAL_LIB_SOURCED:-}" ]]; then
  return 0
fi
_CAAS_LOCAL_LIB_SOURCED=1

CAAS_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
CAAS_LOCAL_DIR="$CAAS_REPO_ROOT/.local"
export CAAS_REPO_ROOT CAAS_LOCAL_DIR

# --- logging -----------------------------------------------------------------
# info: the one line per component that a successful run prints (stdout).
# warn/die: diagnostics (stderr).
_caas_tag() { printf '%s' "${CAAS_LOG_TAG:-$(basename "$0" .sh)}"; }
info() { printf '%s: %s\n' "$(_caas_tag)" "$*"; }
warn() { printf '%s: warning: %s\n' "$(_caas_tag)" "$*" >&2; }
die() {
  printf '%s: error: %s\n' "$(_caas_tag)" "$*" >&2
  exit 1
}

# ensure_local_dir: create <repo>/.local and make it traversable (not listable)
# by other users, so service users such as `postgres` can reach their subdirs.
ensure_local_dir() {
  mkdir -p "$CAAS_LOCAL_DIR"
  chmod a+x "$CAAS_LOCAL_DIR"
}

# require_traversable USER DIR: fail with a clear message unless USER can
# traverse every directory from / down to DIR (inclusive).
require_traversable() {
  local user="$1" target="$2" path="" part
  local -a parts
  IFS='/' read -r -a parts <<<"${target#/}"
  if ! run_as "$user" test -x /; then
    die "user '$user' cannot traverse '/'"
  fi
  for part in "${parts[@]}"; do
    [[ -z "$part" ]] && continue
    path="$path/$part"
    if ! run_as "$user" test -x "$path"; then
      die "user '$user' cannot traverse '$path' (mode $(stat -c '%A %U:%G' "$path" 2>/dev/null || echo '?')); it needs to reach '$target'. Make it traversable (e.g. 'chmod o+x $path') or put the repository somewhere else."
    fi
  done
}

# run_as USER CMD...: run a command as USER from a neutral cwd (USER may not be
# able to read the caller's cwd, e.g. /root). Root uses runuser; if we already
# are USER the command runs directly.
run_as() {
  local user="$1"
  shift
  if [[ "$(id -un)" == "$user" ]]; then
    (cd / && "$@")
  elif [[ "$EUID" -eq 0 ]]; then
    (cd / && runuser -u "$user" -- "$@")
  else
    die "need to run '$1' as user '$user': run this script as root (or as '$user')"
  fi
}

# apt_install PKG...: install Debian packages non-interactively. Runs
# `apt-get update` only when the plain install fails (stale/missing lists), and
# then retries once. Output goes to a log file and is shown only on failure.
apt_install() {
  [[ "$EUID" -eq 0 ]] || die "installing '$*' needs root (apt-get); run as root or install it yourself"
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install '$*' yourself"
  ensure_local_dir
  local logf="$CAAS_LOCAL_DIR/apt-install.log"
  local -a apt=(env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Use-Pty=0
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  if "${apt[@]}" install "$@" </dev/null >"$logf" 2>&1; then
    return 0
  fi
  warn "apt-get install $* failed; running apt-get update and retrying (log: $logf)"
  if ! "${apt[@]}" update </dev/null >>"$logf" 2>&1 ||
    ! "${apt[@]}" install "$@" </dev/null >>"$logf" 2>&1; then
    tail -n 20 "$logf" >&2 || true
    die "could not install '$*' with apt-get (full log: $logf)"
  fi
}

# with_lock NAME CMD...: serialise CMD across concurrent invocations (e.g. two
# test runs calling up.sh at once). The lock is held on fd 9: long-lived
# daemons started by CMD must be started with `9>&-` so they don't inherit it.
with_lock() {
  local name="$1"
  shift
  ensure_local_dir
  local lockf="$CAAS_LOCAL_DIR/.$name.lock"
  (
    exec 9>"$lockf"
    if ! flock -w 120 9; then
      die "timed out waiting for lock $lockf"
    fi
    "$@"
  )
}

# --- processes ---------------------------------------------------------------

# true while PID exists and is not a zombie (PID 1 in a container may not reap)
alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ "${stat%% *}" != Z ]]
}

# close_inherited_fds: in a subshell about to exec a long-lived server, close every
# descriptor above 2 (with_lock's fd 9, a caller's pipe), which would otherwise stay
# open for as long as the server runs.
close_inherited_fds() {
  local fd
  for fd in /proc/"$BASHPID"/fd/*; do
    fd="${fd##*/}"
    if [[ "$fd" =~ ^[0-9]+$ ]] && ((fd > 2)); then
      eval "exec $fd>&-" 2>/dev/null || true
    fi
  done
}
