#!/usr/bin/env bash
# Local PostgreSQL for development and tests.
#
#   infra/local/postgres.sh start    install (apt) if missing, initdb once, start, create role/dbs
#   infra/local/postgres.sh stop     fast shutdown if running
#   infra/local/postgres.sh status   print whether it runs (exit 0 running, 3 not running)
#
# Data:    <repo>/.local/postgres/data      (cluster, owned by the `postgres` OS user)
# Socket:  <repo>/.local/postgres/run       (unix socket dir; superuser access via `trust`)
# Log:     <repo>/.local/postgres/log/postgresql.log
# Network: 127.0.0.1:${CAAS_PG_PORT:-55432} only, scram-sha-256.
# App:     role caas/caas (LOGIN CREATEDB), databases caas and caas_test owned by it.
#
# Must run as root (the server itself runs as `postgres` via runuser).

set -euo pipefail

# shellcheck source=infra/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CAAS_LOG_TAG=postgres

PG_USER=postgres
PG_PORT="${CAAS_PG_PORT:-55432}"
PG_BASE="$CAAS_LOCAL_DIR/postgres"
PG_DATA="$PG_BASE/data"
PG_SOCK_DIR="$PG_BASE/run"
PG_LOG_DIR="$PG_BASE/log"
PG_LOG="$PG_LOG_DIR/postgresql.log"
PG_START_TIMEOUT=30

APP_ROLE=caas
APP_PASSWORD=caas
APP_DATABASES=(caas caas_test)

CONF_BEGIN='# >>> caas local settings (managed by infra/local/postgres.sh; rewritten on start) >>>'
CONF_END='# <<< caas local settings <<<'

if ! [[ "$PG_PORT" =~ ^[0-9]{1,5}$ ]] || ((10#$PG_PORT < 1 || 10#$PG_PORT > 65535)); then
  die "CAAS_PG_PORT must be a TCP port number (1-65535), got '$PG_PORT'"
fi

# --- binaries ----------------------------------------------------------------

# Highest installed major version, or empty.
pg_latest_bindir() {
  local f
  local -a found=()
  for f in /usr/lib/postgresql/*/bin/postgres; do
    [[ -x "$f" ]] && found+=("$(dirname "$f")")
  done
  ((${#found[@]})) || return 0
  printf '%s\n' "${found[@]}" | sort -V | tail -n 1
}

# Sets PG_BIN. Prefers the major version the existing cluster was created
# with; otherwise the highest installed one. Installs via apt if none is,
# unless called as `resolve_pg_bin noinstall` (then returns 1).
resolve_pg_bin() {
  local want="" mode="${1:-install}"
  [[ -f "$PG_DATA/PG_VERSION" ]] && want="$(<"$PG_DATA/PG_VERSION")"
  if [[ -n "$want" && -x "/usr/lib/postgresql/$want/bin/postgres" ]]; then
    PG_BIN="/usr/lib/postgresql/$want/bin"
    return 0
  fi
  PG_BIN="$(pg_latest_bindir)"
  if [[ -z "$PG_BIN" ]]; then
    [[ "$mode" == noinstall ]] && return 1
    apt_install postgresql
    PG_BIN="$(pg_latest_bindir)"
    [[ -n "$PG_BIN" ]] || die "apt installed 'postgresql' but no /usr/lib/postgresql/*/bin/postgres was found"
  fi
  if [[ -n "$want" && "$PG_BIN" != "/usr/lib/postgresql/$want/bin" ]]; then
    die "cluster in $PG_DATA was created by PostgreSQL $want, but only $(basename "$(dirname "$PG_BIN")") is installed. Install postgresql-$want, or remove $PG_BASE to start over (this deletes the local data)."
  fi
}

pg() { run_as "$PG_USER" "$PG_BIN/$1" "${@:2}"; }

# --- state -------------------------------------------------------------------

# true when a postmaster is running for our data dir
pg_running() {
  [[ -f "$PG_DATA/PG_VERSION" ]] || return 1
  pg pg_ctl -D "$PG_DATA" status >/dev/null 2>&1
}

# port of the running postmaster (line 4 of postmaster.pid)
pg_running_port() { sed -n 4p "$PG_DATA/postmaster.pid" 2>/dev/null || true; }
pg_running_pid() { sed -n 1p "$PG_DATA/postmaster.pid" 2>/dev/null || true; }

pg_ready() { pg pg_isready -q -h "$PG_SOCK_DIR" -p "$1" -d postgres >/dev/null 2>&1; }

# --- setup -------------------------------------------------------------------

prepare_dirs() {
  id "$PG_USER" >/dev/null 2>&1 || die "OS user '$PG_USER' does not exist (it comes with the postgresql package)"
  ensure_local_dir
  local d
  for d in "$PG_BASE" "$PG_SOCK_DIR" "$PG_LOG_DIR"; do
    if [[ ! -d "$d" ]]; then
      mkdir -p "$d"
    fi
    chown "$PG_USER:$PG_USER" "$d"
    chmod 0755 "$d"
  done
  if [[ -d "$PG_DATA" ]]; then
    chown "$PG_USER:$PG_USER" "$PG_DATA"
    chmod 0700 "$PG_DATA"
  fi
  require_traversable "$PG_USER" "$PG_BASE"
  run_as "$PG_USER" test -w "$PG_BASE" || die "user '$PG_USER' cannot write to $PG_BASE"

  # unix socket paths are limited to 107 bytes
  local sock="$PG_SOCK_DIR/.s.PGSQL.$PG_PORT"
  ((${#sock} <= 107)) || die "unix socket path '$sock' is longer than 107 bytes; move the repository to a shorter path"
}

init_cluster() {
  [[ -f "$PG_DATA/PG_VERSION" ]] && return 0
  if [[ -e "$PG_DATA" ]] && [[ -n "$(ls -A "$PG_DATA" 2>/dev/null)" ]]; then
    die "$PG_DATA exists but is not a PostgreSQL cluster (no PG_VERSION); remove it to re-initialise"
  fi
  local locale=C
  if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
    locale=C.UTF-8
  fi
  local out
  if ! out="$(pg initdb -D "$PG_DATA" --encoding=UTF8 --locale="$locale" \
    --auth-local=trust --auth-host=scram-sha-256 --username="$PG_USER" 2>&1)"; then
    printf '%s\n' "$out" >&2
    die "initdb failed for $PG_DATA"
  fi
}

# (Re)write our block at the end of postgresql.conf; later settings win, so it
# overrides initdb's defaults. Only touches the file when the block changes.
write_config() {
  local conf="$PG_DATA/postgresql.conf" block tmp
  block="$(
    cat <<EOF
$CONF_BEGIN
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCK_DIR'
unix_socket_permissions = 0777

# 2 cores / 24 GiB dev box; event store with many concurrent connections
max_connections = 300
superuser_reserved_connections = 3
shared_buffers = 512MB
effective_cache_size = 4GB
work_mem = 8MB
maintenance_work_mem = 256MB
max_worker_processes = 4
max_parallel_workers = 2
max_parallel_workers_per_gather = 1
random_page_cost = 1.1
effective_io_concurrency = 100

# WAL / durability: fsync and synchronous_commit stay ON
wal_level = replica
fsync = on
synchronous_commit = on
full_page_writes = on
wal_buffers = 16MB
max_wal_size = 2GB
min_wal_size = 256MB
checkpoint_timeout = 15min
checkpoint_completion_target = 0.9

# logging: stderr, captured by pg_ctl -l into $PG_LOG
logging_collector = off
log_destination = 'stderr'
log_line_prefix = '%m [%p] %q%u@%d '
log_min_duration_statement = 1000
log_checkpoints = on
log_lock_waits = on
log_timezone = 'UTC'
timezone = 'UTC'
$CONF_END
EOF
  )"
  # split the file into "everything but our block" and "our block"
  local current
  current="$(awk -v b="$CONF_BEGIN" -v e="$CONF_END" '$0 == b { on = 1 } on { print } $0 == e { on = 0 }' "$conf")"
  [[ "$current" == "$block" ]] && return 0
  tmp="$(mktemp "$PG_DATA/postgresql.conf.XXXXXX")"
  awk -v b="$CONF_BEGIN" -v e="$CONF_END" '$0 == b { on = 1 } !on { print } $0 == e { on = 0 }' "$conf" >"$tmp"
  printf '%s\n' "$block" >>"$tmp"
  chown "$PG_USER:$PG_USER" "$tmp"
  chmod 0600 "$tmp"
  mv -f "$tmp" "$conf"
}

wait_ready() {
  local port="$1" deadline=$((SECONDS + PG_START_TIMEOUT))
  until pg_ready "$port"; do
    if ((SECONDS >= deadline)); then
      echo "---- last lines of $PG_LOG ----" >&2
      tail -n 30 "$PG_LOG" >&2 2>/dev/null || true
      die "PostgreSQL did not accept connections on port $port within ${PG_START_TIMEOUT}s (log: $PG_LOG)"
    fi
    if ! pg_running; then
      # postmaster exited (bad config, port taken, ...): no point in waiting
      echo "---- last lines of $PG_LOG ----" >&2
      tail -n 30 "$PG_LOG" >&2 2>/dev/null || true
      die "PostgreSQL failed to start (log: $PG_LOG)"
    fi
    sleep 0.25
  done
}

psql_super() {
  pg psql -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCK_DIR" -p "$1" -U "$PG_USER" -d postgres "${@:2}"
}

ensure_role_and_dbs() {
  local port="$1" out sql db
  sql="$(
    cat <<EOF
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$APP_ROLE') THEN
    CREATE ROLE $APP_ROLE LOGIN CREATEDB PASSWORD '$APP_PASSWORD';
  ELSIF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$APP_ROLE' AND rolcanlogin AND rolcreatedb) THEN
    ALTER ROLE $APP_ROLE LOGIN CREATEDB;
  END IF;
END
\$\$;
EOF
  )"
  for db in "${APP_DATABASES[@]}"; do
    sql+=$'\n'"SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L', '$db', '$APP_ROLE', 'UTF8') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$db') \\gexec"
    sql+=$'\n'"SELECT format('ALTER DATABASE %I OWNER TO %I', d.datname, '$APP_ROLE') FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba WHERE d.datname = '$db' AND r.rolname <> '$APP_ROLE' \\gexec"
  done
  if ! out="$(printf '%s\n' "$sql" | psql_super "$port" -f - 2>&1)"; then
    printf '%s\n' "$out" >&2
    die "could not create role '$APP_ROLE' / databases ${APP_DATABASES[*]}"
  fi
}

# --- commands ----------------------------------------------------------------

do_start() {
  resolve_pg_bin # first: installing postgresql also creates the postgres OS user
  prepare_dirs
  init_cluster

  if pg_running; then
    local port
    port="$(pg_running_port)"
    if [[ -n "$port" && "$port" != "$PG_PORT" ]]; then
      die "already running on port $port, but CAAS_PG_PORT is $PG_PORT; run 'infra/local/postgres.sh stop' first to switch ports"
    fi
    wait_ready "$PG_PORT"
    ensure_role_and_dbs "$PG_PORT"
    info "already running on 127.0.0.1:$PG_PORT"
    return 0
  fi

  # Someone else (another cluster, another checkout) listening on our port?
  if pg_isready_tcp "$PG_PORT"; then
    die "something already accepts connections on 127.0.0.1:$PG_PORT; set CAAS_PG_PORT to a free port"
  fi

  write_config
  touch "$PG_LOG"
  chown "$PG_USER:$PG_USER" "$PG_LOG"
  local out
  # 9>&-: the postmaster must not inherit the lock fd from with_lock, or it
  # would hold the lock for as long as it runs.
  if ! out="$(pg pg_ctl -D "$PG_DATA" -l "$PG_LOG" -W start 2>&1 9>&-)"; then
    printf '%s\n' "$out" >&2
    tail -n 30 "$PG_LOG" >&2 2>/dev/null || true
    die "pg_ctl start failed (log: $PG_LOG)"
  fi
  wait_ready "$PG_PORT"
  ensure_role_and_dbs "$PG_PORT"
  info "started on 127.0.0.1:$PG_PORT (data: $PG_DATA)"
}

pg_isready_tcp() { pg pg_isready -q -h 127.0.0.1 -p "$1" -t 2 >/dev/null 2>&1; }

do_stop() {
  if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
    info "not initialised, nothing to stop"
    return 0
  fi
  if ! resolve_pg_bin noinstall || ! pg_running; then
    info "not running"
    return 0
  fi
  local out
  if ! out="$(pg pg_ctl -D "$PG_DATA" -m fast -w -t 60 stop 2>&1)"; then
    printf '%s\n' "$out" >&2
    pg_running || { info "stopped"; return 0; }
    die "pg_ctl stop failed (log: $PG_LOG)"
  fi
  info "stopped"
}

do_status() {
  if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
    info "not running (not initialised: $PG_DATA)"
    return 3
  fi
  if resolve_pg_bin noinstall && pg_running; then
    local port ready=""
    port="$(pg_running_port)"
    pg_ready "$port" || ready=" (not accepting connections yet)"
    info "running (pid $(pg_running_pid)) on 127.0.0.1:$port$ready, data $PG_DATA"
    return 0
  fi
  info "not running (data $PG_DATA)"
  return 3
}

main() {
  case "${1:-}" in
  start) with_lock postgres do_start ;;
  stop) with_lock postgres do_stop ;;
  status) do_status ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
  esac
}

main "$@"
