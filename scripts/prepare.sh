# Sourced by start.sh and test.sh: installs what is missing, starts the local
# infrastructure and exports its connection settings (.local/env).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
bash scripts/ensure-deps.sh
bash infra/local/up.sh
set -a
# shellcheck disable=SC1091
. .local/env
set +a
