#!/usr/bin/env bash
# Installs what the e2e engine, the multi-host lab (scripts/hosts-start.sh: jq for its summary) and the
# Kubernetes control plane (scripts/kube-start.sh: openssl for its certificates, curl for its readiness
# checks) need from Debian's packages, only when missing.
# Usage: scripts/engine-install.sh        (root, or sudo available)
# Idempotent: a second run installs nothing and does not touch apt.
set -euo pipefail

# package -> a command that proves it is usable
declare -A probe=(
  [docker.io]=dockerd
  [busybox-static]=""
  [docker-registry]=docker-registry
  [iproute2]=ip
  [iptables]=iptables
  [chromium]=chromium   # tests/e2e/graph.e2e.test.ts opens the rendered SVG in it
  [openssl]=openssl
  [curl]=curl
  [jq]=jq
  [docker-compose]=docker-compose   # tests/pulumi/adopt.pulumi.test.ts adopts a project it starts; bench:real times its config
)

missing=()
broken=()
for pkg in docker.io busybox-static docker-registry iproute2 iptables chromium openssl curl jq docker-compose; do
  # status captured first: `dpkg -s | grep -q` can die of SIGPIPE under pipefail
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  if [ "$status" != "install ok installed" ]; then
    missing+=("$pkg")
  elif [ -n "${probe[$pkg]}" ] && ! command -v "${probe[$pkg]}" >/dev/null 2>&1 && [ ! -x "/usr/sbin/${probe[$pkg]}" ]; then
    broken+=("$pkg")   # installed, but its command is gone
  fi
done

if [ "${#missing[@]}" -eq 0 ] && [ "${#broken[@]}" -eq 0 ]; then
  echo "engine-install: all present (docker.io busybox-static docker-registry iproute2 iptables chromium openssl curl jq docker-compose)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "engine-install: installing ${missing[*]:-} ${broken[*]:+(reinstalling ${broken[*]})}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get install -y -q "${missing[@]}"
fi
if [ "${#broken[@]}" -gt 0 ]; then
  $SUDO apt-get install -y -q --reinstall "${broken[@]}"
fi
echo "engine-install: done"
