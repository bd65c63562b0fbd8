# Helpers shared by scripts/pulumi-install.sh and scripts/kube-install.sh (sourced, not run).
# The caller defines say MESSAGE, die MESSAGE and $times_log before sourcing this file.

# hash of a wrapper dir: every file's relative path and content
wrapper_hash() {
  (cd "$1" && find . -type f ! -name '*~' ! -name '.*.swp' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) \
    | sha256sum | cut -c1-12
}

# timed PIECE STEP CMD...: runs CMD, logs its wall time and load, dies naming the step if it fails
timed() {
  local piece=$1 step=$2; shift 2
  local t=$SECONDS rc=0
  say "$piece: $step ..."
  "$@" >&2 || rc=$?
  local dt=$((SECONDS - t))
  local load; load="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
  printf '%s\t%s\t%s\t%ss\trc=%s\tload=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$piece" "$step" "$dt" "$rc" "$load" >>"$times_log"
  [ "$rc" -eq 0 ] || die "step '$piece: $step' exited $rc after ${dt}s"
  say "$piece: $step done in ${dt}s (load $load)"
}

# gomod_version FILE MODULE: the version MODULE is required at in go.mod FILE
gomod_version() {
  awk -v m="$2" '$1 == m && $2 ~ /^v/ { print $2; exit } $1 == "require" && $2 == m { print $3; exit }' "$1"
}
