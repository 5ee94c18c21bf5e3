#!/usr/bin/env bash
# Runs the platform's services locally as background processes, one per service,
# with the settings in .local/env and .local/secrets.env.
#
#   services.sh start|stop|status
#
#   CAAS_GATEWAY_PORT   the gateway's HTTP port on 127.0.0.1 (default 8080)
#   SCHEDULING_BOOTSTRAP_HOSTS  engines scheduling registers at start (default: DOCKER_HOSTS
#                       of .local/env, i.e. the local engines when up.sh started them)
#
# Logs go to .local/logs/<service>.log, pids to .local/run/<service>.pid. Services
# start in the order of SERVICES (the gateway last, once what it calls is up).

set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# shellcheck source=infra/local/lib.sh
source "$HERE/lib.sh"
CAAS_LOG_TAG=services

SERVICES=(tenancy scheduling images billing monitoring gateway)
RUN_DIR="$CAAS_LOCAL_DIR/run"
LOG_DIR="$CAAS_LOCAL_DIR/logs"
SECRETS="$CAAS_LOCAL_DIR/secrets.env"
export CAAS_GATEWAY_PORT="${CAAS_GATEWAY_PORT:-8080}"

# Secrets are generated once per checkout and kept, so tokens and the bootstrap
# credential survive restarts.
ensure_secrets() {
  [[ -f "$SECRETS" ]] && return 0
  umask 077
  cat >"$SECRETS" <<SECRETS_EOF
JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')
BOOTSTRAP_ADMIN_EMAIL=admin@caas.local
BOOTSTRAP_ADMIN_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -d '\n/+=')
SECRETS_EOF
}

pid_of() {
  local pidf="$RUN_DIR/$1.pid" pid
  [[ -f "$pidf" ]] || return 1
  pid="$(<"$pidf")"
  # The pid must still be this service's node process, not a recycled pid.
  [[ -n "$pid" ]] && grep -qa "services/$1/src/main.ts" "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

start_one() {
  local service="$1" pid
  if pid="$(pid_of "$service")"; then
    info "$service: already running (pid $pid)"
    return 0
  fi
  (
    cd "$CAAS_REPO_ROOT"
    set -a
    # shellcheck disable=SC1091
    . "$CAAS_LOCAL_DIR/env"
    # shellcheck disable=SC1090
    . "$SECRETS"
    set +a
    export PORT="$CAAS_GATEWAY_PORT" HOST=127.0.0.1
    # The local engines (DOCKER_HOSTS, from up.sh) become the scheduler's shared pool at
    # its start, so a fresh platform can run containers without an admin registering hosts.
    export SCHEDULING_BOOTSTRAP_HOSTS="${SCHEDULING_BOOTSTRAP_HOSTS:-${DOCKER_HOSTS:-}}"
    setsid nohup node -r @swc-node/register "services/$service/src/main.ts" \
      </dev/null >>"$LOG_DIR/$service.log" 2>&1 &
    echo $! >"$RUN_DIR/$service.pid"
  )
  info "$service: started (pid $(<"$RUN_DIR/$service.pid"), log .local/logs/$service.log)"
}

wait_for_gateway() {
  local url="http://127.0.0.1:$CAAS_GATEWAY_PORT/v1/health"
  for _ in $(seq 1 120); do
    if curl -fsS "$url" >/dev/null 2>&1; then return 0; fi
    pid_of gateway >/dev/null || die "gateway exited; see .local/logs/gateway.log:
$(tail -n 20 "$LOG_DIR/gateway.log" 2>/dev/null)"
    sleep 0.5
  done
  die "gateway did not answer $url within 60 s; see .local/logs/gateway.log"
}

stop_one() {
  local service="$1" pid
  if ! pid="$(pid_of "$service")"; then
    rm -f "$RUN_DIR/$service.pid"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$RUN_DIR/$service.pid"
  info "$service: stopped"
}

case "${1:-}" in
  start)
    ensure_local_dir
    mkdir -p "$RUN_DIR" "$LOG_DIR"
    ensure_secrets
    for service in "${SERVICES[@]}"; do start_one "$service"; done
    wait_for_gateway
    ;;
  stop)
    for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do stop_one "${SERVICES[i]}"; done
    ;;
  status)
    for service in "${SERVICES[@]}"; do
      if pid="$(pid_of "$service")"; then info "$service: running (pid $pid)"; else info "$service: stopped"; fi
    done
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
