# shellcheck shell=bash disable=SC2034
# Sourced by the hosts-*.sh scripts; not executable on its own.
#
# The multi-host lab: three Docker hosts on this machine, each a network
# namespace with its own dockerd, joined by a Linux bridge that lives in a
# fourth namespace. Nothing lives in the root network namespace except the
# `ip netns` handles (/run/netns/*): no link, route, address or iptables rule.
#
#   netns ct-lab   bridge ctlab0 10.77.0.1/24 (no forwarding, no other link: a dead end)
#   netns ct-h1    eth0 10.77.0.11/24 (veth, peer vh1 on ctlab0; no default route),
#                  dockerd, swarm manager
#   netns ct-h2    eth0 10.77.0.12/24 (peer vh2), dockerd, swarm worker
#   netns ct-h3    eth0 10.77.0.13/24 (peer vh3), dockerd, swarm worker
#
# Each host's state lives under $CT_HOSTS_DIR/hN:
#   data/  exec/  dockerd.pid  docker.sock  dockerd.log  daemon.json
# Each dockerd runs in its own mount namespace (that of `ip netns exec`, where
# /sys shows the host's links; the cgroup mounts are put back there), its own
# UTS namespace (hostname ct-hN, which is the swarm node's hostname), its own
# containerd namespace and cgroup parent (/container-topology-hN), and its own
# docker0 (172.17.N.1/24) with its own iptables, all inside the host's netns.
CT_HOSTS_DIR="${CT_HOSTS_DIR:-/tmp/container-topology-hosts}"
CT_HOSTS_NS_PREFIX="${CT_HOSTS_NS_PREFIX:-ct-}"
CT_HOSTS_LAB_NS="${CT_HOSTS_NS_PREFIX}lab"
CT_HOSTS_LAB_BRIDGE=ctlab0
CT_HOSTS_LAB_NET=10.77.0
CT_HOSTS_LAB_ADDR="$CT_HOSTS_LAB_NET.1"
CT_HOSTS_LAB_SUBNET="$CT_HOSTS_LAB_NET.0/24"
CT_HOSTS_N=3
CT_HOSTS_STATE="$CT_HOSTS_DIR/hosts.json"

ct_hosts_ns() { echo "${CT_HOSTS_NS_PREFIX}h$1"; }
ct_hosts_addr() { echo "$CT_HOSTS_LAB_NET.1$1"; }
ct_hosts_hdir() { echo "$CT_HOSTS_DIR/h$1"; }
ct_hosts_sock() { echo "$CT_HOSTS_DIR/h$1/docker.sock"; }
ct_hosts_dhost() { echo "unix://$CT_HOSTS_DIR/h$1/docker.sock"; }
ct_hosts_bip() { echo "172.17.$1.1/24"; }
ct_hosts_cgroup_parent() { echo "/container-topology-h$1"; }

# docker CLI against host N (the CLI runs in the root netns: a unix socket is a
# file, not bound to a network namespace)
ct_hosts_docker() {
  local n="$1"
  shift
  docker -H "$(ct_hosts_dhost "$n")" "$@"
}

ct_hosts_ns_exists() { [ -e "/run/netns/$1" ]; }

# true when pid is alive and not a zombie (a SIGKILLed dockerd whose new parent
# has not reaped it yet still answers kill -0 and keeps its comm)
ct_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# pid of host N's dockerd if its pidfile names a live dockerd process, else empty
ct_hosts_pid() {
  local pidfile pid
  pidfile="$(ct_hosts_hdir "$1")/dockerd.pid"
  [ -s "$pidfile" ] || return 0
  pid="$(tr -dc '0-9' <"$pidfile")"
  [ -n "$pid" ] || return 0
  if ct_alive "$pid" && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "dockerd" ]; then
    echo "$pid"
  fi
}

# true when host N's socket answers a version request
ct_hosts_answers() {
  [ -S "$(ct_hosts_sock "$1")" ] &&
    timeout 10 docker -H "$(ct_hosts_dhost "$1")" version --format '{{.Server.Version}}' >/dev/null 2>&1
}

# pids of every process of host N that is still alive: its dockerd, the
# processes in its netns (containerd, shims, docker-proxy, host-network
# containers) and every container process (by the cgroup parent, which also
# catches containers in their own netns whose shim is gone)
ct_hosts_all_pids() {
  local n="$1" ns cg f
  ns="$(ct_hosts_ns "$n")"
  {
    ct_hosts_pid "$n"
    if ct_hosts_ns_exists "$ns"; then ip netns pids "$ns" 2>/dev/null || true; fi
    cg="$(ct_hosts_cgroup_parent "$n")"
    for f in /sys/fs/cgroup/pids"$cg" /sys/fs/cgroup/unified"$cg" /sys/fs/cgroup"$cg"; do
      [ -d "$f" ] && find "$f" -name cgroup.procs -exec cat {} + 2>/dev/null
    done
    true
  } | sort -un
}

# removes host N's cgroup directories (empty once its processes are gone)
ct_hosts_rm_cgroups() {
  local cg d
  cg="$(ct_hosts_cgroup_parent "$1")"
  for d in /sys/fs/cgroup/*"$cg" /sys/fs/cgroup"$cg"; do
    [ -d "$d" ] || continue
    find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
}
