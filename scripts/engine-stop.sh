#!/usr/bin/env bash
# Stops the dockerd started by scripts/engine-start.sh (same CT_ENGINE_DIR).
# Usage: scripts/engine-stop.sh   Idempotent: nothing running -> exit 0.
# Sends SIGTERM, waits up to CT_ENGINE_STOP_TIMEOUT (default 30) s, then SIGKILL.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=engine-common.sh
. "$here/engine-common.sh"
timeout="${CT_ENGINE_STOP_TIMEOUT:-30}"

[ -d "$CT_ENGINE_DIR" ] || { echo "engine-stop: not running (no $CT_ENGINE_DIR)" >&2; exit 0; }
exec 9>"$CT_ENGINE_DIR/lock"
flock 9

pid="$(ct_engine_pid)"
if [ -z "$pid" ]; then
  echo "engine-stop: not running" >&2
  rm -f "$CT_ENGINE_PIDFILE"
  exit 0
fi
echo "engine-stop: stopping dockerd (pid $pid)" >&2
kill -TERM "$pid" 2>/dev/null || true
deadline=$((SECONDS + timeout))
while kill -0 "$pid" 2>/dev/null; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "engine-stop: still alive after ${timeout}s, SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    # its supervised containerd would otherwise be orphaned
    cpid="$(cat "$CT_ENGINE_DIR/exec/containerd/containerd.pid" 2>/dev/null || true)"
    if [ -n "$cpid" ] && [ "$(cat "/proc/$cpid/comm" 2>/dev/null)" = "containerd" ]; then
      kill -KILL "$cpid" 2>/dev/null || true
    fi
    break
  fi
  sleep 0.3
done
rm -f "$CT_ENGINE_PIDFILE"
echo "engine-stop: stopped" >&2
