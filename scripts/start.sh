#!/usr/bin/env bash
# The one start command (`npm start`): installs what is missing, starts the local
# infrastructure and every service, and prints the gateway URL and the bootstrap
# platform-admin credential.
set -euo pipefail
# The platform runs containers on the local Docker engines (infra/local/docker.sh):
# start them too, and services.sh hands them to scheduling as its bootstrap hosts.
export CAAS_WITH_DOCKER=1
# shellcheck source=scripts/prepare.sh
. "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
bash infra/local/services.sh start
# shellcheck disable=SC1091
. .local/secrets.env

# "N registered (N up)", asked of the API as the bootstrap admin. Scheduling registers its
# bootstrap hosts before it answers, so the first answer of GET /v1/hosts is the count.
docker_hosts_summary() {
  local api="http://127.0.0.1:${CAAS_GATEWAY_PORT:-8080}/v1" token hosts="" _
  token="$(curl -sf -X POST "$api/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$BOOTSTRAP_ADMIN_EMAIL\",\"password\":\"$BOOTSTRAP_ADMIN_PASSWORD\"}" |
    node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).token')" || { echo "unknown (admin login failed)"; return 0; }
  for _ in $(seq 1 60); do
    hosts="$(curl -sf "$api/hosts" -H "Authorization: Bearer $token")" && break
    sleep 0.5
  done
  [[ -n "$hosts" ]] || { echo "unknown (scheduling did not answer; see .local/logs/scheduling.log)"; return 0; }
  node -e '
    const hosts = JSON.parse(process.argv[1]).filter((host) => host.status !== "removed");
    console.log(`${hosts.length} registered (${hosts.filter((host) => host.status === "up").length} up)`);
  ' "$hosts"
}

echo
echo "Gateway:      http://127.0.0.1:${CAAS_GATEWAY_PORT:-8080}/v1   (OpenAPI UI: /docs)"
echo "Platform admin (bootstrap): ${BOOTSTRAP_ADMIN_EMAIL} / ${BOOTSTRAP_ADMIN_PASSWORD}"
if [[ -n "${EVENTSTORE_CONNECTION_STRING:-}" ]]; then
  echo "Event store:  EventStoreDB at ${EVENTSTORE_CONNECTION_STRING}"
else
  echo "Event store:  PostgreSQL at ${DATABASE_URL} (set EVENTSTORE_CONNECTION_STRING for EventStoreDB)"
fi
echo "Docker hosts: $(docker_hosts_summary)"
echo "Registry:     ${REGISTRY_URL#http://}   (docker login ${REGISTRY_URL#http://} with a platform e-mail and password, or an API key)"
echo "Logs: .local/logs/   Stop: npm run infra:down"
