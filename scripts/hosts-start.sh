#!/usr/bin/env bash
# Starts the multi-host lab (see hosts-common.sh): the namespaces, the bridge
# and veths, three private dockerds (one per host netns), the probe and
# registry images in each engine, and a swarm (h1 manager; h2, h3 workers
# unless CT_HOSTS_MANAGERS=3).
# Usage: scripts/hosts-start.sh          (root)
#   CT_HOSTS_DIR=/path    base dir (default /tmp/container-topology-hosts)
#   CT_HOSTS_TIMEOUT=180  seconds for the whole start (each wait gets what is left)
#   CT_HOSTS_MANAGERS=1   1: h1 manages, h2 and h3 are workers; 3: all managers
#   CT_HOSTS_NS_PREFIX=ct- prefix of the netns names (ct-lab, ct-h1, ...)
# Idempotent: what is up is left alone, what is missing or down is (re)made,
# so after scripts/hosts-stop-engine.sh N this restarts host N's dockerd, which
# rejoins the swarm from its own state. Concurrent runs are serialised by flock.
# stdout: one line of JSON (also written to $CT_HOSTS_DIR/hosts.json), then the
# base dir as the last line. Everything else goes to stderr. A failure names
# the step that failed and what to do.
set -Eeuo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=hosts-common.sh
. "$here/hosts-common.sh"
PATH="$PATH:/usr/sbin:/sbin"
timeout_s="${CT_HOSTS_TIMEOUT:-180}"
managers="${CT_HOSTS_MANAGERS:-1}"
t0=$SECONDS
deadline=$((SECONDS + timeout_s))

step="preflight"
hint=""
say() { echo "hosts-start: $*" >&2; }
fail() {
  say "FAILED at step '$step': $*"
  [ -z "$hint" ] || say "what to do: $hint"
  exit 1
}
on_err() {
  local rc=$? cmd="$1"
  say "FAILED at step '$step' (command exited $rc: $cmd)"
  [ "$rc" != 124 ] || say "that command timed out: the whole start has CT_HOSTS_TIMEOUT=${timeout_s}s"
  [ -z "$hint" ] || say "what to do: $hint"
  exit "$rc"
}
trap 'on_err "$BASH_COMMAND"' ERR
left() { local l=$((deadline - SECONDS)); [ "$l" -gt 0 ] || l=1; echo "$l"; }
# host N's log tail, for failures
logtail() { tail -n "${2:-30}" "$(ct_hosts_hdir "$1")/dockerd.log" 2>/dev/null | sed "s/^/  h$1| /" >&2 || true; }

[ "$(id -u)" = 0 ] || { hint="run as root"; fail "not root"; }
case "$managers" in 1|3) ;; *) hint="set CT_HOSTS_MANAGERS to 1 or 3"; fail "CT_HOSTS_MANAGERS=$managers";; esac
for tool in ip docker dockerd iptables unshare setsid flock jq timeout; do
  command -v "$tool" >/dev/null 2>&1 || { hint="run scripts/engine-install.sh (docker.io, iproute2, iptables, jq)"; fail "$tool not found"; }
done

mkdir -p "$CT_HOSTS_DIR"
exec 9>"$CT_HOSTS_DIR/lock"
step="lock"
hint="another hosts-start/hosts-stop holds $CT_HOSTS_DIR/lock; wait for it or raise CT_HOSTS_TIMEOUT"
timeout "$(left)" flock 9 || fail "could not take $CT_HOSTS_DIR/lock within ${timeout_s}s"

# ---------------------------------------------------------------- network
step="network"
hint="the kernel needs netns, veth and bridge support; run scripts/hosts-stop.sh and retry; see 'ip netns list'"
ns_add() { ct_hosts_ns_exists "$1" || ip netns add "$1"; }
ns_add "$CT_HOSTS_LAB_NS"
ip -n "$CT_HOSTS_LAB_NS" link set lo up
ip -n "$CT_HOSTS_LAB_NS" link show "$CT_HOSTS_LAB_BRIDGE" >/dev/null 2>&1 ||
  ip -n "$CT_HOSTS_LAB_NS" link add "$CT_HOSTS_LAB_BRIDGE" type bridge
ip -n "$CT_HOSTS_LAB_NS" addr replace "$CT_HOSTS_LAB_ADDR/24" dev "$CT_HOSTS_LAB_BRIDGE"
ip -n "$CT_HOSTS_LAB_NS" link set "$CT_HOSTS_LAB_BRIDGE" up
for n in $(seq 1 "$CT_HOSTS_N"); do
  ns="$(ct_hosts_ns "$n")"
  ns_add "$ns"
  ip -n "$ns" link set lo up
  if ! ip -n "$ns" link show eth0 >/dev/null 2>&1; then
    ip -n "$CT_HOSTS_LAB_NS" link del "vh$n" >/dev/null 2>&1 || true
    # made inside ct-lab with its peer moved straight into the host netns:
    # neither end ever exists in the root netns
    ip -n "$CT_HOSTS_LAB_NS" link add "vh$n" type veth peer name eth0 netns "$ns"
  fi
  ip -n "$CT_HOSTS_LAB_NS" link set "vh$n" master "$CT_HOSTS_LAB_BRIDGE" up
  ip -n "$ns" addr replace "$(ct_hosts_addr "$n")/24" dev eth0
  ip -n "$ns" link set eth0 up
  # no default route: 10.77.0.0/24 is all a host reaches, so a pull or an
  # external DNS query fails at once ("network is unreachable") instead of
  # timing out in ct-lab
done

# ---------------------------------------------------------------- dockerds
step="dockerd"
hint="dockerd not found: run scripts/engine-install.sh"
# the cgroup mounts under /sys/fs/cgroup, replayed inside `ip netns exec`
# (which mounts a fresh sysfs for the netns and so loses them); without them
# runc cannot create containers
cgroup_mounts="$(awk '$2 ~ "^/sys/fs/cgroup" {print $1, $2, $3, $4}' /proc/self/mounts)"
[ -n "$cgroup_mounts" ] || { hint="mount the cgroup filesystems on /sys/fs/cgroup"; fail "no cgroup mounts under /sys/fs/cgroup"; }
# runs as `sh -c` inside the host's netns, mount ns and UTS ns, then execs dockerd
# shellcheck disable=SC2016
launcher='
set -e
echo "$1" >/proc/sys/kernel/hostname
shift
printf "%s\n" "$CT_CGROUP_MOUNTS" | while read -r dev mp fstype opts; do
  mkdir -p "$mp" 2>/dev/null || true
  mount -t "$fstype" -o "$opts" "$dev" "$mp"
done
exec dockerd "$@"'

started=()
declare -A launched=()
for n in $(seq 1 "$CT_HOSTS_N"); do
  hdir="$(ct_hosts_hdir "$n")"
  mkdir -p "$hdir"
  pid="$(ct_hosts_pid "$n")"
  if [ -n "$pid" ]; then
    say "h$n: dockerd running (pid $pid)"
    continue
  fi
  # a daemon.json of our own, so a system /etc/docker/daemon.json is never read
  [ -s "$hdir/daemon.json" ] || echo '{}' >"$hdir/daemon.json"
  rm -f "$hdir/dockerd.pid"
  # a containerd pidfile naming a dead or zombie process (a host killed by
  # hosts-stop-engine.sh --crash whose processes are not reaped yet) would make
  # dockerd wait for that containerd ("containerd is still running") and fail
  # after 15 s with "timeout waiting for containerd to start"
  cpidfile="$hdir/exec/containerd/containerd.pid"
  if [ -s "$cpidfile" ]; then
    cpid="$(tr -dc '0-9' <"$cpidfile")"
    if [ -z "$cpid" ] || ! ct_alive "$cpid"; then rm -f "$cpidfile"; fi
  fi
  args=(
    --config-file "$hdir/daemon.json"
    --data-root "$hdir/data"
    --exec-root "$hdir/exec"
    --pidfile "$hdir/dockerd.pid"
    -H "$(ct_hosts_dhost "$n")"
    --containerd-namespace "container-topology-h$n"
    --containerd-plugins-namespace "container-topology-h$n-plugins"
    --cgroup-parent "$(ct_hosts_cgroup_parent "$n")"
    --bip "$(ct_hosts_bip "$n")"
    --swarm-default-advertise-addr "$(ct_hosts_addr "$n")"
  )
  echo "=== $(date -Is) hosts-start: ip netns exec $(ct_hosts_ns "$n") dockerd ${args[*]}" >>"$hdir/dockerd.log"
  # detached (own session, no stdin, lock fd closed); `ip netns exec` gives a
  # mount ns of its own (slave of the root one), `unshare --uts` the hostname
  # (no job control here, so setsid does not fork and every step execs: $! is dockerd)
  CT_CGROUP_MOUNTS="$cgroup_mounts" setsid ip netns exec "$(ct_hosts_ns "$n")" \
    unshare --uts -- sh -c "$launcher" sh "ct-h$n" "${args[@]}" \
    </dev/null >>"$hdir/dockerd.log" 2>&1 9>&- &
  launched[$n]=$!
  started+=("h$n")
  say "h$n: started dockerd in netns $(ct_hosts_ns "$n"), log $hdir/dockerd.log"
done

step="dockerd-ready"
for n in $(seq 1 "$CT_HOSTS_N"); do
  hint="see $(ct_hosts_hdir "$n")/dockerd.log; then scripts/hosts-stop.sh and retry (or raise CT_HOSTS_TIMEOUT)"
  pid="${launched[$n]:-$(ct_hosts_pid "$n")}"
  until ct_hosts_answers "$n"; do
    if [ -z "$pid" ] || ! ct_alive "$pid"; then
      logtail "$n"; fail "h$n: dockerd exited (or its launcher failed: see the log tail above)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      logtail "$n"; fail "h$n: dockerd did not answer on $(ct_hosts_sock "$n") within ${timeout_s}s"
    fi
    sleep 0.3
  done
done
say "engines ready after $((SECONDS - t0))s"

# ---------------------------------------------------------------- images
step="images"
hint="see the messages above; scripts/build-images.sh must work against $(ct_hosts_dhost 1) (busybox-static, docker-registry: scripts/engine-install.sh)"
images=(container-topology/probe:local container-topology/registry:local registry:2)
img_id() { ct_hosts_docker "$1" image inspect -f '{{.Id}}' "$2" 2>/dev/null || true; }
# the main private engine's images, when it runs and has them: saved, never changed
main_sock="${CT_ENGINE_DIR:-/tmp/container-topology-engine}/docker.sock"
if [ -z "$(img_id 1 "${images[0]}")" ] && [ -S "$main_sock" ] &&
  timeout 10 docker -H "unix://$main_sock" image inspect "${images[@]}" >/dev/null 2>&1; then
  say "h1: loading ${images[*]} from the main engine ($main_sock)"
  timeout "$(left)" docker -H "unix://$main_sock" save "${images[@]}" |
    timeout "$(left)" docker -H "$(ct_hosts_dhost 1)" load -q >&2
fi
# builds what is missing or outdated, exactly as for the main engine
DOCKER_HOST="$(ct_hosts_dhost 1)" timeout "$(left)" bash "$here/build-images.sh" >&2
for n in $(seq 2 "$CT_HOSTS_N"); do
  need=()
  for img in "${images[@]}"; do
    [ "$(img_id "$n" "$img")" = "$(img_id 1 "$img")" ] || need+=("$img")
  done
  if [ "${#need[@]}" -gt 0 ]; then
    say "h$n: loading ${need[*]} from h1"
    timeout "$(left)" docker -H "$(ct_hosts_dhost 1)" save "${need[@]}" |
      timeout "$(left)" docker -H "$(ct_hosts_dhost "$n")" load -q >&2
  fi
done

# ---------------------------------------------------------------- swarm
step="swarm-init"
hint="see $(ct_hosts_hdir 1)/dockerd.log; scripts/hosts-stop.sh wipes the lab, then retry"
swarm_state() { ct_hosts_docker "$1" info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null || echo unknown; }
st="$(swarm_state 1)"
case "$st" in
  active) [ "$(ct_hosts_docker 1 info --format '{{.Swarm.ControlAvailable}}')" = true ] ||
      fail "h1 is in a swarm but not a manager" ;;
  inactive)
    say "h1: docker swarm init --advertise-addr $(ct_hosts_addr 1)"
    timeout "$(left)" docker -H "$(ct_hosts_dhost 1)" swarm init --advertise-addr "$(ct_hosts_addr 1)" >&2 ;;
  *) fail "h1: swarm state '$st'" ;;
esac
cluster_id="$(ct_hosts_docker 1 info --format '{{.Swarm.Cluster.ID}}')"

step="swarm-join"
for n in $(seq 2 "$CT_HOSTS_N"); do
  hint="see $(ct_hosts_hdir "$n")/dockerd.log (h$n must reach $(ct_hosts_addr 1):2377/tcp, 7946/tcp+udp, 4789/udp); scripts/hosts-stop.sh, then retry"
  role=worker
  [ "$managers" = 3 ] && role=manager
  st="$(swarm_state "$n")"
  node_id="$(ct_hosts_docker "$n" info --format '{{.Swarm.NodeID}}' 2>/dev/null || true)"
  if [ "$st" != inactive ] && { [ -z "$node_id" ] ||
    ! ct_hosts_docker 1 node inspect "$node_id" >/dev/null 2>&1; }; then
    # state of another swarm (the manager's was wiped): start over
    say "h$n: swarm state '$st' of a swarm h1 does not know; leaving it"
    timeout "$(left)" docker -H "$(ct_hosts_dhost "$n")" swarm leave --force >&2 || true
    st=inactive
  fi
  if [ "$st" = active ]; then
    is="$(ct_hosts_docker "$n" info --format '{{if .Swarm.ControlAvailable}}manager{{else}}worker{{end}}')"
    [ "$is" = "$role" ] || {
      hint="CT_HOSTS_MANAGERS changed on a running lab: run scripts/hosts-stop.sh first"
      fail "h$n is a $is, CT_HOSTS_MANAGERS=$managers wants a $role"
    }
  fi
  if [ "$st" = inactive ]; then
    token="$(ct_hosts_docker 1 swarm join-token -q "$role")"
    say "h$n: docker swarm join --advertise-addr $(ct_hosts_addr "$n") ($role) $(ct_hosts_addr 1):2377"
    timeout "$(left)" docker -H "$(ct_hosts_dhost "$n")" swarm join --advertise-addr "$(ct_hosts_addr "$n")" \
      --token "$token" "$(ct_hosts_addr 1):2377" >&2
  fi
done

step="swarm-ready"
hint="see the hosts' dockerd.log; 'docker -H $(ct_hosts_dhost 1) node ls'"
swarm_ready() {
  local n
  [ "$(ct_hosts_docker 1 node ls --format '{{.Status}}' 2>/dev/null | grep -c '^Ready$')" -ge "$CT_HOSTS_N" ] || return 1
  for n in $(seq 2 "$CT_HOSTS_N"); do [ "$(swarm_state "$n")" = active ] || return 1; done
}
until swarm_ready; do
  [ "$SECONDS" -lt "$deadline" ] || { ct_hosts_docker 1 node ls >&2 || true; fail "not all $CT_HOSTS_N nodes Ready within ${timeout_s}s"; }
  sleep 0.5
done

# ---------------------------------------------------------------- summary
step="summary"
hint=""
hosts_json="[]"
for n in $(seq 1 "$CT_HOSTS_N"); do
  info="$(ct_hosts_docker "$n" info --format '{{json .Swarm}}')"
  hosts_json="$(jq -c \
    --arg name "h$n" --arg netns "$(ct_hosts_ns "$n")" --arg address "$(ct_hosts_addr "$n")" \
    --arg socket "$(ct_hosts_dhost "$n")" --arg dir "$(ct_hosts_hdir "$n")" \
    --arg pid "$(ct_hosts_pid "$n")" --arg bip "$(ct_hosts_bip "$n")" \
    --arg hostname "ct-h$n" --argjson swarm "$info" \
    '. + [{name: $name, netns: $netns, address: $address, socket: $socket, dir: $dir,
           pid: ($pid | tonumber), hostname: $hostname, docker0: $bip,
           log: ($dir + "/dockerd.log"),
           role: (if $swarm.ControlAvailable then "manager" else "worker" end),
           nodeId: $swarm.NodeID}]' <<<"$hosts_json")"
done
jq -cn --arg dir "$CT_HOSTS_DIR" --arg labns "$CT_HOSTS_LAB_NS" --arg bridge "$CT_HOSTS_LAB_BRIDGE" \
  --arg labaddr "$CT_HOSTS_LAB_ADDR" --arg subnet "$CT_HOSTS_LAB_SUBNET" --arg cluster "$cluster_id" \
  --arg manager "$(ct_hosts_addr 1):2377" --argjson hosts "$hosts_json" --argjson secs "$((SECONDS - t0))" \
  '{dir: $dir, lab: {netns: $labns, bridge: $bridge, address: $labaddr, subnet: $subnet},
    swarm: {clusterId: $cluster, manager: $manager}, hosts: $hosts, startSeconds: $secs}' >"$CT_HOSTS_STATE.tmp"
mv "$CT_HOSTS_STATE.tmp" "$CT_HOSTS_STATE"
say "ready in $((SECONDS - t0))s (dockerd started: ${started[*]:-none})"
cat "$CT_HOSTS_STATE"
echo "$CT_HOSTS_DIR"
