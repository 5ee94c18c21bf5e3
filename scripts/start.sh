#!/usr/bin/env bash
# The one start command (`npm start`): installs what is missing and starts the
# platform locally. Today the platform is its event store and infrastructure; the
# services join here as they are built.
set -euo pipefail
# shellcheck source=scripts/prepare.sh
. "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
node -r @swc-node/register scripts/migrate.ts
if [[ -n "${EVENTSTORE_CONNECTION_STRING:-}" ]]; then
  echo "Event store: EventStoreDB at ${EVENTSTORE_CONNECTION_STRING}"
else
  echo "Event store: PostgreSQL at ${DATABASE_URL} (set EVENTSTORE_CONNECTION_STRING for EventStoreDB)"
fi
echo "Stop with: npm run infra:down"
