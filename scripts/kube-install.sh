#!/usr/bin/env bash
# Builds a Kubernetes control plane from the Go module proxy only (no image, no release download):
# kube-apiserver, kubectl, kube-scheduler, kube-controller-manager, etcd and kwok.
#
# Usage: bash scripts/kube-install.sh [kubernetes] [etcd] [kwok]   (default: all three)
#   PATH="$(bash scripts/kube-install.sh | tail -n 1):$PATH"
#
# Pieces (wrapper modules under tools/kube/, see tools/kube/README.md):
#   kubernetes  kube-apiserver kubectl kube-scheduler kube-controller-manager
#                                      k8s.io/kubernetes v1.37.2 (+ every staging module at v0.37.2)
#   etcd        etcd                   go.etcd.io/etcd/server/v3 v3.7.3
#   kwok        kwok + its stages      sigs.k8s.io/kwok v0.8.0 (cmd/kwok, kustomize/stage/)
#
# Environment:
#   CT_CACHE_DIR   cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/container-topology)
#
# Everything built lives in $CACHE/kube: <piece>-<version>-<hash of the wrapper files>/ holds a
# piece's build dir (src/) and result (bin/); a piece whose dir is complete is never rebuilt, and a
# change of one wrapper's files rebuilds only that piece. $CACHE/kube/bin holds all binaries;
# $CACHE/kube/kwok-stages holds kwok's Stage configs (copied from the kwok module);
# timings go to $CACHE/kube/build-times.log. A cold build takes ~20-35 min on 2 cores (kubernetes
# is most of it); a cached run takes about a second.
# Progress goes to stderr; the only line on stdout, printed last, is the absolute path of that bin dir.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$repo/tools/kube"
cache_root="${CT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/container-topology}"
mkdir -p "$cache_root"
cache_root="$(cd "$cache_root" && pwd)"
cache="$cache_root/kube"
bin="$cache/bin"
stages="$cache/kwok-stages"
times_log="$cache/build-times.log"

KUBERNETES_VERSION=1.37.2
ETCD_VERSION=3.7.3
KWOK_VERSION=0.8.0
# the Stage configs kwok runs with (kustomize/stage/fast of the kwok module: node-fast, node heartbeat
# with lease, pod-fast)
KWOK_STAGES="node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml
pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml"

T0=$SECONDS
say() { echo "kube-install: [$((SECONDS - T0))s] $*" >&2; }
die() { echo "kube-install: FAILED: $*" >&2; exit 1; }

# --- tools -------------------------------------------------------------------
if ! command -v go >/dev/null 2>&1; then
  [ -x /usr/local/go/bin/go ] || die "step 'find go': go is not on PATH and /usr/local/go/bin/go does not exist"
  PATH="/usr/local/go/bin:$PATH"
fi
command -v flock >/dev/null 2>&1 || die "step 'find flock': flock (util-linux) not found"
export GOFLAGS="-modcacherw -buildvcs=false"
export CGO_ENABLED=0

# --- targets -----------------------------------------------------------------
targets=()
if [ $# -gt 0 ]; then
  for t in "$@"; do
    case "$t" in
      kubernetes|etcd|kwok) targets+=("$t") ;;
      k8s) targets+=(kubernetes) ;;
      -h|--help) sed -n '2,23p' "${BASH_SOURCE[0]}" >&2; exit 0 ;;
      *) die "step 'arguments': unknown target '$t' (kubernetes etcd kwok)" ;;
    esac
  done
else
  targets=(etcd kwok kubernetes)
fi
# Build order: etcd, kwok, kubernetes (small first, so a broken setup fails early; one go build at a time).
ordered=()
for t in etcd kwok kubernetes; do
  for r in "${targets[@]}"; do [ "$r" = "$t" ] && { ordered+=("$t"); break; }; done
done

mkdir -p "$cache" "$bin"
exec 9>"$cache/.lock"
if ! flock -n 9; then
  say "another kube-install.sh is running on $cache; waiting for it"
  flock 9
fi

# --- helpers -----------------------------------------------------------------
# wrapper_hash, timed, gomod_version
# shellcheck source=go-build-common.sh
. "$(dirname "${BASH_SOURCE[0]}")/go-build-common.sh"

# check_pin PIECE MODULE VERSION: the wrapper's go.mod requires MODULE at VERSION
check_pin() {
  local v; v="$(gomod_version "$tools/$1/go.mod" "$2")"
  [ "$v" = "$3" ] || die "step '$1: check go.mod': tools/kube/$1/go.mod requires $2 at '$v', this script builds $3"
}

# fresh_src PIECE DIR: DIR/src := copy of tools/kube/PIECE
fresh_src() {
  rm -rf "${2:?}/src" "${2:?}/bin" "${2:?}/stages"
  mkdir -p "$2/bin"
  cp -R "$tools/$1" "$2/src"
  chmod -R u+w "$2/src"
}

# check_version PIECE BINARY EXPECTED ARGS...: BINARY ARGS... prints a line containing EXPECTED
check_version() {
  local piece=$1 b=$2 want=$3 out; shift 3
  out="$("$b" "$@" 2>&1 | head -n 3 || true)"
  case "$out" in
    *"$want"*) say "$piece: $(basename "$b") $* -> $(echo "$out" | head -n 1)" ;;
    *) die "step '$piece: check version': $(basename "$b") $* printed '$out', expected '$want'" ;;
  esac
}

# --- pieces ------------------------------------------------------------------
# Each build_X DIR builds into DIR/bin; the loop below decides DIR and whether it is already complete.

build_kubernetes() {
  local d=$1 kv maj min ld
  fresh_src kubernetes "$d"
  cd "$d/src"
  timed kubernetes "go mod download" go mod download
  kv="$(go list -m -f '{{.Version}}' k8s.io/kubernetes)" || die "step 'kubernetes: go list -m k8s.io/kubernetes' failed"
  [ "$kv" = "v$KUBERNETES_VERSION" ] || die "step 'kubernetes: check version': the wrapper resolves k8s.io/kubernetes to '$kv'"
  maj="$(echo "${kv#v}" | cut -d. -f1)"; min="$(echo "${kv#v}" | cut -d. -f2)"
  ld="-s -w -X k8s.io/component-base/version.gitVersion=$kv -X k8s.io/component-base/version.gitMajor=$maj"
  ld="$ld -X k8s.io/component-base/version.gitMinor=$min -X k8s.io/component-base/version.gitTreeState=clean"
  timed kubernetes "go build kube-apiserver kubectl kube-scheduler kube-controller-manager" \
    nice -n 19 go build -trimpath -ldflags="$ld" -o "$d/bin/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kube-controller-manager
  check_version kubernetes "$d/bin/kube-apiserver" "Kubernetes $kv" --version
  check_version kubernetes "$d/bin/kube-scheduler" "Kubernetes $kv" --version
  check_version kubernetes "$d/bin/kube-controller-manager" "Kubernetes $kv" --version
  check_version kubernetes "$d/bin/kubectl" "$kv" version --client
}

build_etcd() {
  local d=$1
  fresh_src etcd "$d"
  cd "$d/src"
  timed etcd "go mod download" go mod download
  timed etcd "go build etcd" nice -n 19 go build -trimpath -ldflags="-s -w" -o "$d/bin/etcd" go.etcd.io/etcd/server/v3
  check_version etcd "$d/bin/etcd" "etcd Version: $ETCD_VERSION" --version
}

build_kwok() {
  local d=$1 mdir f
  fresh_src kwok "$d"
  cd "$d/src"
  timed kwok "go mod download" go mod download
  timed kwok "go build kwok" nice -n 19 go build -trimpath \
    -ldflags="-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" -o "$d/bin/kwok" sigs.k8s.io/kwok/cmd/kwok
  check_version kwok "$d/bin/kwok" "$KWOK_VERSION" --version
  # the Stage configs, from the same (go.sum-verified) module
  mdir="$(go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)" || die "step 'kwok: locate module sigs.k8s.io/kwok' failed"
  [ -d "$mdir/kustomize/stage" ] || die "step 'kwok: copy stages': $mdir/kustomize/stage does not exist"
  mkdir -p "$d/stages"
  for f in $KWOK_STAGES; do
    [ -f "$mdir/kustomize/stage/$f" ] || die "step 'kwok: copy stages': $mdir/kustomize/stage/$f does not exist"
    cp "$mdir/kustomize/stage/$f" "$d/stages/"
  done
  chmod -R u+w "$d/stages"
  say "kwok: stages $(cd "$d/stages" && echo *.yaml)"
}

declare -A version=([kubernetes]="$KUBERNETES_VERSION" [etcd]="$ETCD_VERSION" [kwok]="$KWOK_VERSION")
declare -A binaries=([kubernetes]="kube-apiserver kubectl kube-scheduler kube-controller-manager" [etcd]=etcd [kwok]=kwok)
declare -A pin=([kubernetes]="k8s.io/kubernetes v$KUBERNETES_VERSION" [etcd]="go.etcd.io/etcd/server/v3 v$ETCD_VERSION"
  [kwok]="sigs.k8s.io/kwok v$KWOK_VERSION")

# link_bin FILE: hard link (copy across file systems) into $bin, replaced atomically
link_bin() {
  local f=$1 name; name="$(basename "$1")"
  if [ "$bin/$name" -ef "$f" ]; then return 0; fi
  ln -f "$f" "$bin/.$name.new" 2>/dev/null || cp -f "$f" "$bin/.$name.new"
  mv -f "$bin/.$name.new" "$bin/$name"
}

# link_stages DIR: $stages := copy of DIR (replaced as a whole)
link_stages() {
  if [ -d "$stages" ] && diff -rq "$1" "$stages" >/dev/null 2>&1; then return 0; fi
  rm -rf "$stages.new"
  cp -R "$1" "$stages.new"
  rm -rf "$stages"
  mv "$stages.new" "$stages"
}

# complete PIECE DIR: DIR holds every binary of PIECE (and kwok's stages)
complete() {
  local b
  [ -f "$2/.complete" ] || return 1
  for b in ${binaries[$1]}; do [ -x "$2/bin/$b" ] || return 1; done
  [ "$1" != kwok ] || [ -n "$(ls "$2/stages" 2>/dev/null)" ] || return 1
}

for piece in "${ordered[@]}"; do
  { [ -f "$tools/$piece/go.mod" ] && [ -f "$tools/$piece/go.sum" ]; } || die "step '$piece': wrapper $tools/$piece (go.mod, go.sum) missing"
  # shellcheck disable=SC2086
  check_pin "$piece" ${pin[$piece]}
  h="$(wrapper_hash "$tools/$piece")"
  d="$cache/$piece-${version[$piece]}-$h"
  if complete "$piece" "$d"; then
    say "$piece ${version[$piece]}: cached ($d)"
  else
    say "$piece ${version[$piece]}: building in $d"
    t=$SECONDS
    rm -f "$d/.complete"
    # a subshell outside any || context, so that set -e applies inside the build functions
    set +e
    ( set -e; build_"$piece" "$d" )
    rc=$?
    set -e
    [ "$rc" -eq 0 ] || die "step '$piece' (build dir $d) exited $rc"
    date -u +%Y-%m-%dT%H:%M:%SZ >"$d/.complete"
    printf '%s\t%s\t%s\t%ss\ttotal\tload=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$piece" "build ${version[$piece]} $h" \
      "$((SECONDS - t))" "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')" >>"$times_log"
    say "$piece ${version[$piece]}: built in $((SECONDS - t))s"
  fi
  for b in ${binaries[$piece]}; do link_bin "$d/bin/$b"; done
  [ "$piece" != kwok ] || link_stages "$d/stages"
done

say "done in $((SECONDS - T0))s: $(cd "$bin" && ls | tr '\n' ' ')"
echo "$bin"
