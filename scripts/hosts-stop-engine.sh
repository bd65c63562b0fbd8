#!/usr/bin/env bash
# Stops one host of the lab of scripts/hosts-start.sh, for fault tests.
# Usage: scripts/hosts-stop-engine.sh N [--term|--kill|--crash]
#   --term   (default) SIGTERM to host N's dockerd, like `systemctl stop docker`:
#            dockerd stops its containers, leaves the gossip, then exits
#            (SIGKILL after CT_HOSTS_STOP_TIMEOUT, default 30 s)
#   --kill   SIGKILL to dockerd only, like a daemon crash: its containerd
#            dies with it, the shims and the containers keep running
#   --crash  like a host that loses power: SIGKILL to every process of host N
#            (dockerd, containerd, shims, containers) and its eth0 down, so
#            its address stops answering too
# scripts/hosts-start.sh brings the host back (link up, dockerd restarted; the
# node rejoins the swarm from its own state). Prints the stopped host's name
# (hN) as its last line. Idempotent: a host already down -> exit 0.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=hosts-common.sh
. "$here/hosts-common.sh"
PATH="$PATH:/usr/sbin:/sbin"
say() { echo "hosts-stop-engine: $*" >&2; }
stop_timeout="${CT_HOSTS_STOP_TIMEOUT:-30}"

n="${1:-}"
mode="${2:---term}"
case "$n" in 1|2|3) ;; *) say "usage: $0 N [--term|--kill|--crash] (N in 1..$CT_HOSTS_N)"; exit 2 ;; esac
case "$mode" in --term|--kill|--crash) ;; *) say "unknown mode '$mode' (--term, --kill or --crash)"; exit 2 ;; esac
[ -d "$(ct_hosts_hdir "$n")" ] || { say "no lab at $CT_HOSTS_DIR (run scripts/hosts-start.sh)"; exit 1; }
exec 9>"$CT_HOSTS_DIR/lock"
timeout "$((stop_timeout * 2))" flock 9 || { say "could not take $CT_HOSTS_DIR/lock"; exit 1; }

t0=$(date +%s.%N)
pid="$(ct_hosts_pid "$n")"
case "$mode" in
  --term)
    if [ -z "$pid" ]; then say "h$n: dockerd not running"; else
      say "h$n: SIGTERM dockerd (pid $pid)"
      kill -TERM "$pid"
      deadline=$((SECONDS + stop_timeout))
      while ct_alive "$pid"; do
        if [ "$SECONDS" -ge "$deadline" ]; then
          say "h$n: still alive after ${stop_timeout}s, SIGKILL"
          kill -KILL "$pid" 2>/dev/null || true
          break
        fi
        sleep 0.1
      done
    fi ;;
  --kill)
    if [ -z "$pid" ]; then say "h$n: dockerd not running"; else
      say "h$n: SIGKILL dockerd (pid $pid)"
      kill -KILL "$pid"
      while ct_alive "$pid"; do sleep 0.05; done
    fi ;;
  --crash)
    say "h$n: eth0 down in $(ct_hosts_ns "$n")"
    ip -n "$(ct_hosts_ns "$n")" link set eth0 down
    for _ in 1 2 3 4 5; do
      l="$(ct_hosts_all_pids "$n")"
      [ -n "$l" ] || break
      say "h$n: SIGKILL $(echo "$l" | tr '\n' ' ')"
      # shellcheck disable=SC2086
      kill -KILL $l 2>/dev/null || true
      sleep 0.2
    done ;;
esac
say "h$n: stopped ($mode) in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}')s"
echo "h$n"
