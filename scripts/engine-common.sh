# Sourced by the engine-*.sh scripts; not executable on its own.
# The engine's whole state lives under one directory:
#   $CT_ENGINE_DIR/data        dockerd --data-root (images, volumes, containerd root)
#   $CT_ENGINE_DIR/exec        dockerd --exec-root (supervised containerd, netns)
#   $CT_ENGINE_DIR/dockerd.pid dockerd --pidfile
#   $CT_ENGINE_DIR/docker.sock the daemon's API socket
#   $CT_ENGINE_DIR/dockerd.log the daemon's log
CT_ENGINE_DIR="${CT_ENGINE_DIR:-/tmp/container-topology-engine}"
CT_ENGINE_SOCK="$CT_ENGINE_DIR/docker.sock"
CT_ENGINE_PIDFILE="$CT_ENGINE_DIR/dockerd.pid"
CT_ENGINE_LOG="$CT_ENGINE_DIR/dockerd.log"
CT_ENGINE_HOST="unix://$CT_ENGINE_SOCK"

# pid of our dockerd if the pidfile names a live dockerd process, else empty
ct_engine_pid() {
  local pid
  [ -s "$CT_ENGINE_PIDFILE" ] || return 0
  pid="$(tr -dc '0-9' <"$CT_ENGINE_PIDFILE")"
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "dockerd" ]; then
    echo "$pid"
  fi
}

# true when the socket answers a version request
ct_engine_answers() {
  [ -S "$CT_ENGINE_SOCK" ] && docker -H "$CT_ENGINE_HOST" version --format '{{.Server.Version}}' >/dev/null 2>&1
}
