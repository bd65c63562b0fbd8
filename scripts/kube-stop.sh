#!/usr/bin/env bash
# Stops the control plane scripts/kube-start.sh started in RUN_DIR, by the pid files in RUN_DIR:
# first kwok, kube-controller-manager and kube-scheduler, then kube-apiserver, then etcd, each
# waited for (SIGTERM, then SIGKILL after CT_KUBE_STOP_TIMEOUT s, default 15). Safe when nothing runs.
# Also stops a process of these binaries whose command line names RUN_DIR but whose pid file is gone.
#
# Usage: bash scripts/kube-stop.sh [RUN_DIR]   (default ${CT_KUBE_DIR:-/tmp/container-topology-kube})
# RUN_DIR itself is kept (pki/ and logs/ stay; the next start wipes etcd-data/).
set -euo pipefail

run="${1:-${CT_KUBE_DIR:-/tmp/container-topology-kube}}"
TIMEOUT="${CT_KUBE_STOP_TIMEOUT:-15}"
COMPONENTS="kwok kube-controller-manager kube-scheduler kube-apiserver etcd"

T0=$SECONDS
say() { echo "kube-stop: [$((SECONDS - T0))s] $*" >&2; }
die() { echo "kube-stop: FAILED: $*" >&2; exit 1; }

if [ ! -d "$run" ]; then
  say "$run does not exist; nothing to stop"
  exit 0
fi
run="$(cd "$run" && pwd)"

# kube-start.sh holds the lock while it calls this script
if [ "${_CT_KUBE_LOCK_HELD:-}" != "$run" ]; then
  command -v flock >/dev/null 2>&1 || die "step 'find flock': flock (util-linux) not found"
  exec 9>"$run/.lock"
  if ! flock -n 9; then
    say "another kube-start.sh/kube-stop.sh is working on $run; waiting for it"
    flock 9
  fi
fi

# ours PID: PID runs (not a zombie) and its command line names a path under $run
ours() {
  local state
  [ -r "/proc/$1/stat" ] || return 1
  state="$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)"
  [ -n "$state" ] && [ "$state" != Z ] || return 1
  tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" | grep -qF -- "$run/" || return 1
}

# name_of PID: the component PID runs, from its executable's base name
name_of() { basename "$(tr '\0' '\n' 2>/dev/null <"/proc/$1/cmdline" | head -n 1)" 2>/dev/null || true; }

declare -A names=()
pids=()
for c in $COMPONENTS; do
  pid="$(cat "$run/$c.pid" 2>/dev/null || true)"
  if [ -n "$pid" ] && ours "$pid"; then pids+=("$pid"); names[$pid]=$c; fi
done
# processes of our binaries that name $run but lost their pid file
for f in $(grep -lsF -- "$run/" /proc/[0-9]*/cmdline 2>/dev/null || true); do
  pid="${f#/proc/}"; pid="${pid%/cmdline}"
  [ -z "${names[$pid]:-}" ] || continue
  n="$(name_of "$pid")"
  case " $COMPONENTS " in *" $n "*) ;; *) continue ;; esac
  if ours "$pid"; then pids+=("$pid"); names[$pid]="$n (no pid file)"; fi
done

# tier NAME: 0 the API clients, 1 kube-apiserver, 2 etcd. Each tier is stopped and waited for before
# the next: a kube-apiserver whose etcd is gone hangs in its graceful shutdown.
tier() {
  case "$1" in
    etcd*) echo 2 ;;
    kube-apiserver*) echo 1 ;;
    *) echo 0 ;;
  esac
}

# stop_tier T: SIGTERM the processes of tier T, wait for them; SIGKILL after $TIMEOUT s
stop_tier() {
  local t0=$SECONDS pid group=() left still
  for pid in "${pids[@]}"; do [ "$(tier "${names[$pid]}")" = "$1" ] && group+=("$pid"); done
  [ "${#group[@]}" -gt 0 ] || return 0
  for pid in "${group[@]}"; do
    say "stopping ${names[$pid]} (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
  done
  while :; do
    left=()
    for pid in "${group[@]}"; do ours "$pid" && left+=("$pid"); done
    [ "${#left[@]}" -gt 0 ] || return 0
    if [ $((SECONDS - t0)) -ge "$TIMEOUT" ]; then
      for pid in "${left[@]}"; do
        say "${names[$pid]} (pid $pid) still runs after ${TIMEOUT}s; SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
      done
      sleep 1
      still=()
      for pid in "${left[@]}"; do ours "$pid" && still+=("$pid"); done
      [ "${#still[@]}" -eq 0 ] || die "step 'wait for exit': pids ${still[*]} survive SIGKILL"
      return 0
    fi
    sleep 0.1
  done
}

if [ "${#pids[@]}" -eq 0 ]; then
  say "nothing runs for $run"
else
  for t in 0 1 2; do stop_tier "$t"; done
  # they have exited; give init up to 5 s to reap them, so that ps/pgrep no longer list them
  for ((i = 0; i < 50; i++)); do
    gone=1
    for pid in "${pids[@]}"; do [ ! -e "/proc/$pid" ] || { gone=0; break; }; done
    [ "$gone" = 0 ] || break
    sleep 0.1
  done
  say "stopped ${#pids[@]} process(es) for $run"
fi
for c in $COMPONENTS; do rm -f "$run/$c.pid"; done
rm -f "$run/settings"
