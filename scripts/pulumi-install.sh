#!/usr/bin/env bash
# Builds the Pulumi toolchain this project runs against, from the Go module proxy only, and
# installs its resource plugins so that no Pulumi run tries to download anything.
#
# Usage: bash scripts/pulumi-install.sh [cli] [langhost] [docker] [kubernetes]   (default: all four)
#   PATH="$(bash scripts/pulumi-install.sh | tail -n 1):$PATH"
#
# Pieces (wrapper modules under tools/pulumi/, see tools/pulumi/README.md):
#   cli         pulumi                      github.com/pulumi/pulumi/pkg/v3 v3.274.1 (upstream)
#   langhost    pulumi-language-nodejs      stand-in on sdk/v3 (ours)
#   docker      pulumi-resource-docker      5.2.0: kreuzwerker provider + pulumi-terraform-bridge (ours)
#   kubernetes  pulumi-resource-kubernetes  4.34.2: pulumi-kubernetes provider/v4 module (upstream)
#
# Environment:
#   CT_CACHE_DIR            cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/container-topology)
#   CT_PULUMI_SKIP_KUBERNETES=1  leave kubernetes out of the default targets (its build is the longest)
#   PULUMI_HOME             where the plugins are installed (default $HOME/.pulumi)
#
# Runs then need: PULUMI_SKIP_UPDATE_CHECK=true PULUMI_IGNORE_AMBIENT_PLUGINS=true, and
# PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true when node_modules holds a package whose plugin
# cannot be built here (@pulumi/random): the engine otherwise tries to download it in the background.
#
# Everything built lives in $CACHE/pulumi: <piece>-<version>-<hash of the wrapper files>/ holds a
# piece's build dir (src/) and result (bin/); a piece whose dir is complete is never rebuilt, and a
# change of one wrapper's files rebuilds only that piece. $CACHE/pulumi/bin holds all binaries
# (pulumi-language-nodejs next to pulumi); timings go to $CACHE/pulumi/build-times.log.
# Progress goes to stderr; the only line on stdout, printed last, is the absolute path of that bin dir.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$repo/tools/pulumi"
cache_root="${CT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/container-topology}"
mkdir -p "$cache_root"
cache_root="$(cd "$cache_root" && pwd)"
cache="$cache_root/pulumi"
bin="$cache/bin"
times_log="$cache/build-times.log"

PULUMI_VERSION=3.274.1
DOCKER_VERSION=5.2.0
KUBERNETES_VERSION=4.34.2

T0=$SECONDS
say() { echo "pulumi-install: [$((SECONDS - T0))s] $*" >&2; }
die() { echo "pulumi-install: FAILED: $*" >&2; exit 1; }

# --- tools -------------------------------------------------------------------
if ! command -v go >/dev/null 2>&1; then
  [ -x /usr/local/go/bin/go ] || die "step 'find go': go is not on PATH and /usr/local/go/bin/go does not exist"
  PATH="/usr/local/go/bin:$PATH"
fi
command -v flock >/dev/null 2>&1 || die "step 'find flock': flock (util-linux) not found"
export GOFLAGS="-modcacherw -buildvcs=false"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_HOME="${PULUMI_HOME:-$HOME/.pulumi}"

# --- targets -----------------------------------------------------------------
targets=()
if [ $# -gt 0 ]; then
  for t in "$@"; do
    case "$t" in
      cli|langhost|docker|kubernetes) targets+=("$t") ;;
      k8s) targets+=(kubernetes) ;;
      -h|--help) sed -n '2,27p' "${BASH_SOURCE[0]}" >&2; exit 0 ;;
      *) die "step 'arguments': unknown target '$t' (cli langhost docker kubernetes)" ;;
    esac
  done
else
  targets=(cli langhost docker)
  case "${CT_PULUMI_SKIP_KUBERNETES:-}" in 1|true|yes) say "CT_PULUMI_SKIP_KUBERNETES set: kubernetes left out" ;; *) targets+=(kubernetes) ;; esac
fi
# Build order: cli, langhost, docker, kubernetes (one go build at a time).
ordered=()
for t in cli langhost docker kubernetes; do
  for r in "${targets[@]}"; do [ "$r" = "$t" ] && { ordered+=("$t"); break; }; done
done

mkdir -p "$cache" "$bin"
exec 9>"$cache/.lock"
if ! flock -n 9; then
  say "another pulumi-install.sh is running on $cache; waiting for it"
  flock 9
fi

# --- helpers -----------------------------------------------------------------
# wrapper_hash, timed, gomod_version
# shellcheck source=go-build-common.sh
. "$(dirname "${BASH_SOURCE[0]}")/go-build-common.sh"

# mod_dir MODULE@VERSION: its directory in the module cache (downloading it if needed)
mod_dir() {
  go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p'
}

# fresh_src PIECE DIR: DIR/src := copy of tools/pulumi/PIECE
fresh_src() {
  rm -rf "$2/src" "$2/bin"
  mkdir -p "$2/bin"
  cp -R "$tools/$1" "$2/src"
  chmod -R u+w "$2/src"
}

# --- pieces ------------------------------------------------------------------
# Each build_X DIR builds into DIR/bin; piece_dir decides DIR and whether it is already complete.

build_cli() {
  local d=$1
  fresh_src cli "$d"
  cd "$d/src"
  timed cli "go mod download" go mod download
  timed cli "go build pulumi" nice -n 19 go build \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
    -o "$d/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  local v; v="$("$d/bin/pulumi" version 2>/dev/null || true)"
  [ "$v" = "v$PULUMI_VERSION" ] || die "step 'cli: check version': pulumi version printed '$v', expected v$PULUMI_VERSION"
}

build_langhost() {
  local d=$1
  fresh_src langhost "$d"
  cd "$d/src"
  timed langhost "go mod download" go mod download
  timed langhost "go build pulumi-language-nodejs" nice -n 19 go build -o "$d/bin/pulumi-language-nodejs" .
}

build_docker() {
  local d=$1
  fresh_src docker "$d"
  cd "$d/src"
  # pulumi-terraform-bridge replaces the SDKv2 with pulumi's fork; that replace only applies inside the
  # bridge's own module, so this wrapper replaces it with a local copy of the same fork + our patch.
  local bridge_ver bridge_gomod fork_ver fork_dir up_dir
  bridge_ver="$(gomod_version go.mod github.com/pulumi/pulumi-terraform-bridge/v3)"
  [ -n "$bridge_ver" ] || die "step 'docker: read bridge version': not found in tools/pulumi/docker/go.mod"
  bridge_gomod="$(go mod download -json "github.com/pulumi/pulumi-terraform-bridge/v3@$bridge_ver" \
    | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')" \
    || die "step 'docker: download pulumi-terraform-bridge $bridge_ver' failed"
  # `replace A => B V` on one line, or `A => B V` inside a replace ( ... ) block
  fork_ver="$(awk '{ if ($1 == "replace") { $1 = ""; $0 = $0 } }
    $1 == "github.com/hashicorp/terraform-plugin-sdk/v2" && $2 == "=>" && $3 == "github.com/pulumi/terraform-plugin-sdk/v2" { print $4; exit }' "$bridge_gomod")"
  [ -n "$fork_ver" ] || die "step 'docker: find SDKv2 fork': no replace of terraform-plugin-sdk/v2 in $bridge_gomod"
  say "docker: pulumi-terraform-bridge $bridge_ver pins github.com/pulumi/terraform-plugin-sdk/v2@$fork_ver"
  fork_dir="$(mod_dir "github.com/pulumi/terraform-plugin-sdk/v2@$fork_ver")" \
    || die "step 'docker: download SDKv2 fork $fork_ver' failed"
  [ -d "$fork_dir" ] || die "step 'docker: download SDKv2 fork $fork_ver': no module dir"
  mkdir -p third_party
  cp -R "$fork_dir" third_party/terraform-plugin-sdk-v2
  chmod -R u+w third_party
  cp -R _sdkv2-patch/. third_party/terraform-plugin-sdk-v2/
  timed docker "go mod download" go mod download
  up_dir="$(go list -m -f '{{with .Replace}}{{.Dir}}{{else}}{{.Dir}}{{end}}' github.com/terraform-providers/terraform-provider-docker)" \
    || die "step 'docker: locate upstream provider source' failed"
  timed docker "go build pulumi-tfgen-docker" nice -n 19 go build -tags no_compose \
    -o "$d/src/pulumi-tfgen-docker" ./cmd/pulumi-tfgen-docker
  timed docker "generate schema.json" gen_docker_schema "$d/src" "$up_dir"
  rm -f "$d/src/pulumi-tfgen-docker"   # 130 MB; the build cache rebuilds it in seconds
  say "docker: schema.json $(wc -c <cmd/pulumi-resource-docker/schema.json) bytes, $(grep -c '^warning' "$d/src/tfgen.log" || true) tfgen warnings (src/tfgen.log)"
  timed docker "go build pulumi-resource-docker" nice -n 19 go build -tags no_compose \
    -o "$d/bin/pulumi-resource-docker" ./cmd/pulumi-resource-docker
}

# gen_docker_schema SRC UPSTREAM_DIR: SRC/cmd/pulumi-resource-docker/schema.json from the bridge's tfgen
gen_docker_schema() {
  local rc=0
  "$1/pulumi-tfgen-docker" -upstream "$2" "$1/cmd/pulumi-resource-docker/schema.json" 2>"$1/tfgen.log" || rc=$?
  if [ "$rc" -ne 0 ]; then tail -n 30 "$1/tfgen.log" >&2; return "$rc"; fi
}

build_kubernetes() {
  local d=$1 prov_ver prov_dir
  fresh_src k8s "$d"
  cd "$d/src"
  prov_ver="$(gomod_version go.mod github.com/pulumi/pulumi-kubernetes/provider/v4)"
  [ -n "$prov_ver" ] || die "step 'kubernetes: read provider version': not found in tools/pulumi/k8s/go.mod"
  prov_dir="$(mod_dir "github.com/pulumi/pulumi-kubernetes/provider/v4@$prov_ver")" \
    || die "step 'kubernetes: download provider/v4 $prov_ver' failed"
  # main.go embeds schema-embed.json and terraform-mapping-embed.json, which generate.go writes and
  # the module zip does not hold: copy the cmd here and generate them.
  mkdir -p cmd
  cp -R "$prov_dir/cmd/pulumi-resource-kubernetes" cmd/
  chmod -R u+w cmd
  timed kubernetes "go mod download" go mod download
  cd cmd/pulumi-resource-kubernetes
  export VERSION="$KUBERNETES_VERSION"
  timed kubernetes "go run generate.go (VERSION=$VERSION)" nice -n 19 go run generate.go
  unset VERSION
  cd "$d/src"
  timed kubernetes "go build pulumi-resource-kubernetes" nice -n 19 go build \
    -ldflags "-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$KUBERNETES_VERSION" \
    -o "$d/bin/pulumi-resource-kubernetes" ./cmd/pulumi-resource-kubernetes
}

declare -A wrapper=([cli]=cli [langhost]=langhost [docker]=docker [kubernetes]=k8s)
declare -A version=([cli]="$PULUMI_VERSION" [langhost]="$PULUMI_VERSION" [docker]="$DOCKER_VERSION" [kubernetes]="$KUBERNETES_VERSION")
declare -A binary=([cli]=pulumi [langhost]=pulumi-language-nodejs [docker]=pulumi-resource-docker [kubernetes]=pulumi-resource-kubernetes)

# link_bin FILE: hard link (copy across file systems) into $bin, so that os.Executable() of pulumi is
# $bin/pulumi and it finds pulumi-language-nodejs beside it
link_bin() {
  local f=$1 name; name="$(basename "$1")"
  if [ "$bin/$name" -ef "$f" ]; then return 0; fi
  ln -f "$f" "$bin/.$name.new" 2>/dev/null || cp -f "$f" "$bin/.$name.new"
  mv -f "$bin/.$name.new" "$bin/$name"
}

# --- plugins -----------------------------------------------------------------
# pulumi plugin install ... --file: the engine then never looks for these plugins on the download server.
# (With $bin on PATH, also set PULUMI_IGNORE_AMBIENT_PLUGINS=true, or the copies in $bin are used as
# unversioned "ambient" plugins, with a warning.)
install_plugin() {
  local name=$1 ver=$2 file=$3
  local dest="$PULUMI_HOME/plugins/resource-$name-v$ver"
  if [ ! -x "$bin/pulumi" ]; then
    say "plugin resource $name $ver: not installed (no $bin/pulumi yet; run with the cli target)"
    return 0
  fi
  if [ -f "$dest/pulumi-resource-$name" ] && [ ! -e "$dest.partial" ] && cmp -s "$file" "$dest/pulumi-resource-$name"; then
    say "plugin resource $name $ver: already installed in $dest"
    return 0
  fi
  timed "$name" "pulumi plugin install resource $name $ver" \
    "$bin/pulumi" plugin install resource "$name" "$ver" --file "$file" --reinstall
  cmp -s "$file" "$dest/pulumi-resource-$name" \
    || die "step '$name: pulumi plugin install': $dest/pulumi-resource-$name is not the binary just built"
  say "plugin resource $name $ver: installed in $dest"
}

for piece in "${ordered[@]}"; do
  w="${wrapper[$piece]}"
  [ -d "$tools/$w" ] || die "step '$piece': wrapper $tools/$w missing"
  h="$(wrapper_hash "$tools/$w")"
  d="$cache/$piece-${version[$piece]}-$h"
  if [ -f "$d/.complete" ] && [ -x "$d/bin/${binary[$piece]}" ]; then
    say "$piece ${version[$piece]}: cached ($d)"
  else
    say "$piece ${version[$piece]}: building in $d"
    t=$SECONDS
    # a subshell outside any || context, so that set -e applies inside the build functions
    set +e
    ( set -e; build_"$piece" "$d" )
    rc=$?
    set -e
    [ "$rc" -eq 0 ] || die "step '$piece' (build dir $d) exited $rc"
    date -u +%Y-%m-%dT%H:%M:%SZ >"$d/.complete"
    printf '%s\t%s\t%s\t%ss\ttotal\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$piece" "build ${version[$piece]} $h" "$((SECONDS - t))" >>"$times_log"
    say "$piece ${version[$piece]}: built in $((SECONDS - t))s"
  fi
  link_bin "$d/bin/${binary[$piece]}"
  case "$piece" in
    docker|kubernetes) install_plugin "$piece" "${version[$piece]}" "$bin/${binary[$piece]}" ;;
  esac
done

say "done in $((SECONDS - T0))s: $(cd "$bin" && ls | tr '\n' ' ')"
echo "$bin"
