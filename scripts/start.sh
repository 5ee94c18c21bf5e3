#!/usr/bin/env bash
# The one start command (`npm start`): installs what is missing, starts the local
# infrastructure and every service, and prints the gateway URL and the bootstrap
# platform-admin credential.
set -euo pipefail
# shellcheck source=scripts/prepare.sh
. "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
bash infra/local/services.sh start
# shellcheck disable=SC1091
. .local/secrets.env
echo
echo "Gateway:      http://127.0.0.1:${CAAS_GATEWAY_PORT:-8080}/v1   (OpenAPI UI: /docs)"
echo "Platform admin (bootstrap): ${BOOTSTRAP_ADMIN_EMAIL} / ${BOOTSTRAP_ADMIN_PASSWORD}"
if [[ -n "${EVENTSTORE_CONNECTION_STRING:-}" ]]; then
  echo "Event store:  EventStoreDB at ${EVENTSTORE_CONNECTION_STRING}"
else
  echo "Event store:  PostgreSQL at ${DATABASE_URL} (set EVENTSTORE_CONNECTION_STRING for EventStoreDB)"
fi
echo "Logs: .local/logs/   Stop: npm run infra:down"
