#!/usr/bin/env bash
# Tears the multi-host lab of scripts/hosts-start.sh down: leaves the swarm
# (workers first), stops the three dockerds (SIGTERM, then SIGKILL after
# CT_HOSTS_STOP_TIMEOUT, default 30 s), kills what is left of each host
# (containerd, shims, docker-proxy, container processes: by netns, cgroup
# parent and state dir), removes the cgroups, the namespaces (with them the
# veths and the bridge) and $CT_HOSTS_DIR.
# Usage: scripts/hosts-stop.sh   Safe to run twice, after a half-started lab
# and with a host already stopped (scripts/hosts-stop-engine.sh). Exits 0 when
# everything is gone, 1 (saying what is left) otherwise.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=hosts-common.sh
. "$here/hosts-common.sh"
PATH="$PATH:/usr/sbin:/sbin"
stop_timeout="${CT_HOSTS_STOP_TIMEOUT:-30}"
say() { echo "hosts-stop: $*" >&2; }
t0=$SECONDS

[ "$(id -u)" = 0 ] || { say "must run as root"; exit 1; }
case "$CT_HOSTS_DIR" in
  ""|/|/tmp|/tmp/|/root|/home|/var|/usr) say "refusing CT_HOSTS_DIR='$CT_HOSTS_DIR'"; exit 1 ;;
esac
if [ -d "$CT_HOSTS_DIR" ]; then
  exec 9>"$CT_HOSTS_DIR/lock"
  timeout "$((stop_timeout * 3))" flock 9 || say "could not take $CT_HOSTS_DIR/lock; going on without it"
fi

# 1. kill every container (a teardown need not wait for stop timeouts: a
# process that ignores SIGTERM, like busybox httpd as PID 1, costs 10 s each),
# then leave the swarm, workers first (a best effort: the state is wiped below)
for n in $(seq 1 "$CT_HOSTS_N"); do
  if ct_hosts_answers "$n"; then
    ids="$(timeout 10 docker -H "$(ct_hosts_dhost "$n")" ps -q 2>/dev/null || true)"
    if [ -n "$ids" ]; then
      say "h$n: docker kill $(echo "$ids" | wc -l) container(s)"
      # shellcheck disable=SC2086
      timeout 20 docker -H "$(ct_hosts_dhost "$n")" kill $ids >/dev/null 2>&1 || say "h$n: docker kill failed (ignored)"
    fi
  fi
done
for n in $(seq "$CT_HOSTS_N" -1 1); do
  if ct_hosts_answers "$n" &&
    [ "$(ct_hosts_docker "$n" info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null)" != inactive ]; then
    say "h$n: docker swarm leave --force"
    timeout 15 docker -H "$(ct_hosts_dhost "$n")" swarm leave --force >/dev/null 2>&1 ||
      say "h$n: swarm leave failed or timed out (ignored)"
  fi
done

# 2. stop the dockerds, all at once (each stops its own containers)
declare -A pids=()
for n in $(seq 1 "$CT_HOSTS_N"); do
  pid="$(ct_hosts_pid "$n")"
  [ -n "$pid" ] || continue
  say "h$n: stopping dockerd (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  pids[$n]=$pid
done
deadline=$((SECONDS + stop_timeout))
for n in "${!pids[@]}"; do
  while ct_alive "${pids[$n]}"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      say "h$n: dockerd still alive after ${stop_timeout}s, SIGKILL"
      kill -KILL "${pids[$n]}" 2>/dev/null || true
      break
    fi
    sleep 0.3
  done
done

# 3. whatever of each host is still alive
ours() { # pid -> true if it is one of the lab's processes found by state dir
  case "$(cat "/proc/$1/comm" 2>/dev/null)" in
    dockerd|containerd|containerd-shim*|docker-proxy|runc|docker-init) return 0 ;;
  esac
  return 1
}
leftovers() {
  local n="$1" p
  {
    ct_hosts_all_pids "$n"
    for p in $(pgrep -f -- "$(ct_hosts_hdir "$n")/" 2>/dev/null); do ours "$p" && echo "$p"; done
  } | sort -un | grep -vx "$$" || true
}
for sig in TERM KILL; do
  any=0
  for n in $(seq 1 "$CT_HOSTS_N"); do
    l="$(leftovers "$n")"
    [ -n "$l" ] || continue
    any=1
    say "h$n: SIG$sig to what is left: $(echo "$l" | tr '\n' ' ')"
    # shellcheck disable=SC2086
    kill -"$sig" $l 2>/dev/null || true
  done
  [ "$any" = 1 ] || break
  for _ in $(seq 1 20); do
    still=0
    for n in $(seq 1 "$CT_HOSTS_N"); do [ -z "$(leftovers "$n")" ] || still=1; done
    [ "$still" = 1 ] || break
    sleep 0.25
  done
done
for n in $(seq 1 "$CT_HOSTS_N"); do ct_hosts_rm_cgroups "$n"; done

# 4. namespaces: deleting ct-lab removes the bridge and the veths' lab ends,
# which removes their peers in the host namespaces
for ns in "$(ct_hosts_ns 1)" "$(ct_hosts_ns 2)" "$(ct_hosts_ns 3)" "$CT_HOSTS_LAB_NS"; do
  if ct_hosts_ns_exists "$ns"; then
    say "ip netns del $ns"
    ip netns del "$ns" || say "ip netns del $ns failed"
  fi
done

# 5. state: mounts under it first (there should be none in this mount ns:
# each dockerd mounted in its own), then our entries only
if [ -d "$CT_HOSTS_DIR" ]; then
  awk -v d="$CT_HOSTS_DIR/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r |
    while read -r mp; do say "umount $mp"; umount -l "$mp" || true; done
  for n in $(seq 1 "$CT_HOSTS_N"); do rm -rf "$(ct_hosts_hdir "$n")"; done
  rm -f "$CT_HOSTS_STATE" "$CT_HOSTS_STATE.tmp" "$CT_HOSTS_DIR/lock"
  rmdir "$CT_HOSTS_DIR" 2>/dev/null || say "left $CT_HOSTS_DIR (it holds files that are not the lab's)"
fi

# 6. check
left=""
for n in $(seq 1 "$CT_HOSTS_N"); do
  l="$(leftovers "$n")"
  [ -z "$l" ] || left+=" h$n processes: $(echo "$l" | tr '\n' ' ')"
done
for ns in "$(ct_hosts_ns 1)" "$(ct_hosts_ns 2)" "$(ct_hosts_ns 3)" "$CT_HOSTS_LAB_NS"; do
  ! ct_hosts_ns_exists "$ns" || left+=" netns $ns"
done
if [ -n "$left" ]; then
  say "FAILED: still there:$left (kill them by pid, 'ip netns del NAME', then run this again)"
  exit 1
fi
say "stopped, nothing left ($((SECONDS - t0))s)"
