#!/usr/bin/env bash
# Starts a private dockerd whose state, socket and log live under one directory.
# Usage: scripts/engine-start.sh          (root)
#   CT_ENGINE_DIR=/path  state dir (default /tmp/container-topology-engine)
#   CT_ENGINE_TIMEOUT=60 seconds to wait for the socket to answer
#   CT_ENGINE_BRIDGE=br  pass --bridge=br instead of the default docker0
#                        (needed only when another dockerd already owns docker0)
# Prints the socket path (unix://...) on stdout as its last line; everything
# else goes to stderr. Idempotent: if the daemon of this state dir is running
# and answers, does nothing. Concurrent runs are serialised with flock.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=engine-common.sh
. "$here/engine-common.sh"
timeout="${CT_ENGINE_TIMEOUT:-60}"

mkdir -p "$CT_ENGINE_DIR"
exec 9>"$CT_ENGINE_DIR/lock"
flock 9

pid="$(ct_engine_pid)"
if [ -n "$pid" ] && ct_engine_answers; then
  echo "engine-start: already running (pid $pid)" >&2
  echo "$CT_ENGINE_HOST"
  exit 0
fi

if [ -z "$pid" ]; then
  command -v dockerd >/dev/null 2>&1 || [ -x /usr/sbin/dockerd ] || {
    echo "engine-start: dockerd not found; run scripts/engine-install.sh" >&2; exit 1; }
  PATH="$PATH:/usr/sbin:/sbin"
  rm -f "$CT_ENGINE_PIDFILE"
  args=(
    --data-root "$CT_ENGINE_DIR/data"
    --exec-root "$CT_ENGINE_DIR/exec"
    --pidfile "$CT_ENGINE_PIDFILE"
    -H "$CT_ENGINE_HOST"
    # never share another daemon's containerd namespace, even through a system containerd
    --containerd-namespace container-topology
    --containerd-plugins-namespace container-topology-plugins
  )
  if [ -n "${CT_ENGINE_BRIDGE:-}" ]; then args+=(--bridge "$CT_ENGINE_BRIDGE"); fi
  echo "=== $(date -Is) engine-start: dockerd ${args[*]}" >>"$CT_ENGINE_LOG"
  # detached: its own session, no stdin, lock fd closed so it is not inherited
  setsid dockerd "${args[@]}" </dev/null >>"$CT_ENGINE_LOG" 2>&1 9>&- &
  pid=$!
  echo "engine-start: started dockerd (pid $pid), log $CT_ENGINE_LOG" >&2
else
  echo "engine-start: dockerd pid $pid exists but does not answer yet; waiting" >&2
fi

deadline=$((SECONDS + timeout))
until ct_engine_answers; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "engine-start: dockerd exited; log tail:" >&2
    tail -n 40 "$CT_ENGINE_LOG" >&2
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "engine-start: dockerd did not answer on $CT_ENGINE_SOCK within ${timeout}s; log tail:" >&2
    tail -n 40 "$CT_ENGINE_LOG" >&2
    echo "engine-start: stopping the unresponsive dockerd (pid $pid)" >&2
    kill -TERM "$pid" 2>/dev/null || true
    exit 1
  fi
  sleep 0.5
done
echo "engine-start: ready ($(docker -H "$CT_ENGINE_HOST" version --format 'server {{.Server.Version}}'))" >&2
echo "$CT_ENGINE_HOST"
