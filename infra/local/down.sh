#!/usr/bin/env bash
# Stop everything infra/local/up.sh started (reverse order). Idempotent; data
# under <repo>/.local is kept.

set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# shellcheck source=infra/local/lib.sh
source "$HERE/lib.sh"
CAAS_LOG_TAG=down

bash "$HERE/services.sh" stop
bash "$HERE/docker.sh" stop
bash "$HERE/registry.sh" stop
bash "$HERE/nats.sh" stop
bash "$HERE/postgres.sh" stop
