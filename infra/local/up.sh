#!/usr/bin/env bash
# Start everything the platform needs locally and write <repo>/.local/env.
# Idempotent: a second run changes nothing. Prints one line per component.
#
#   CAAS_PG_PORT          PostgreSQL port (default 55432)
#   CAAS_NATS_PORT        NATS client port (default 54222)
#   CAAS_NATS_HTTP_PORT   NATS HTTP monitoring port (default 58222)
#   CAAS_REGISTRY_PORT    the platform container registry's port (default 55000)
#   CAAS_REGISTRY2_PORT   the second container registry's port (default 55001)
#   CAAS_GATEWAY_PORT     the gateway's port (default 8080), which the platform registry
#                         sends clients to for tokens and posts its events to
#   CAAS_WITH_DOCKER      1: also start the local Docker engines (docker.sh) and put
#                         DOCKER_HOSTS in .local/env. Default 0, so test runs that do not
#                         need Docker stay fast; `npm start` (scripts/start.sh) sets 1.
#                         Engines that already run (started earlier) stay in DOCKER_HOSTS.
#   CAAS_DOCKER_HOSTS     number of Docker engines (default 3)
#
# To add a component: write infra/local/<name>.sh with
# start|stop|status, add a `start` call below, its variables to write_env, and
# a `stop` call to down.sh.

set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# shellcheck source=infra/local/lib.sh
source "$HERE/lib.sh"
CAAS_LOG_TAG=up

export CAAS_PG_PORT="${CAAS_PG_PORT:-55432}"
export CAAS_NATS_PORT="${CAAS_NATS_PORT:-54222}"
export CAAS_NATS_HTTP_PORT="${CAAS_NATS_HTTP_PORT:-58222}"
export CAAS_REGISTRY_PORT="${CAAS_REGISTRY_PORT:-55000}"
export CAAS_REGISTRY2_PORT="${CAAS_REGISTRY2_PORT:-55001}"
export CAAS_GATEWAY_PORT="${CAAS_GATEWAY_PORT:-8080}"
export CAAS_DOCKER_HOSTS="${CAAS_DOCKER_HOSTS:-3}"
CAAS_WITH_DOCKER="${CAAS_WITH_DOCKER:-0}"
[[ "$CAAS_WITH_DOCKER" == 0 || "$CAAS_WITH_DOCKER" == 1 ]] || die "CAAS_WITH_DOCKER must be 0 or 1, got '$CAAS_WITH_DOCKER'"

# --- components --------------------------------------------------------------
bash "$HERE/postgres.sh" start
bash "$HERE/nats.sh" start
bash "$HERE/registry.sh" start
# REGISTRY_* and SECOND_REGISTRY_* lines (URLs, token key paths, secrets)
REGISTRY_ENV="$(bash "$HERE/registry.sh" env)"

# DOCKER_HOSTS: comma-separated unix:// URLs of the engines, or empty
DOCKER_HOSTS=""
if [[ "$CAAS_WITH_DOCKER" == 1 ]]; then
  bash "$HERE/docker.sh" start
  DOCKER_HOSTS="$(bash "$HERE/docker.sh" hosts)"
elif bash "$HERE/docker.sh" status >/dev/null 2>&1; then
  DOCKER_HOSTS="$(bash "$HERE/docker.sh" hosts)"
fi

# --- env file ----------------------------------------------------------------
# KEY=value lines, no quotes, no export; rewritten only when it changes.
write_env() {
  local envf="$CAAS_LOCAL_DIR/env" content tmp
  content="DATABASE_URL=postgres://caas:caas@127.0.0.1:$CAAS_PG_PORT/caas
TEST_DATABASE_URL=postgres://caas:caas@127.0.0.1:$CAAS_PG_PORT/caas_test
NATS_URL=nats://127.0.0.1:$CAAS_NATS_PORT
$REGISTRY_ENV${DOCKER_HOSTS:+
DOCKER_HOSTS=$DOCKER_HOSTS}"
  if [[ -f "$envf" && "$(<"$envf")" == "$content" ]]; then
    return 0
  fi
  tmp="$(mktemp "$CAAS_LOCAL_DIR/.env.XXXXXX")"
  printf '%s\n' "$content" >"$tmp"
  chmod 0644 "$tmp"
  mv -f "$tmp" "$envf"
}

ensure_local_dir
write_env
