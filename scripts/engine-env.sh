#!/usr/bin/env bash
# Prints the environment for the engine of scripts/engine-start.sh.
# Usage: eval "$(scripts/engine-env.sh)"; docker ps
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=engine-common.sh
. "$here/engine-common.sh"
printf 'export DOCKER_HOST=%q\n' "$CT_ENGINE_HOST"
