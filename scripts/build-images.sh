#!/usr/bin/env bash
# Builds the e2e images offline with `docker import` (nothing can be pulled):
#   container-topology/probe:local     busybox (static) rootfs: sh nc httpd wget ip
#                                      nslookup ping sleep ...; /www/index.html for
#                                      `httpd -h /www`; CMD sleeps forever and exits
#                                      on SIGTERM, so `docker stop` is instant
#                                      (import cannot set STOPSIGNAL)
#   container-topology/registry:local  Debian's docker-registry (distribution 2.8)
#                                      + libc + loader + busybox, also tagged
#                                      `registry:2` so the library's default
#                                      registry image resolves offline
# Usage: scripts/build-images.sh          skip images that exist at this IMAGE_VERSION
#        FORCE=1 scripts/build-images.sh  rebuild both
# Talks to $DOCKER_HOST when set, else to the engine of scripts/engine-start.sh.
#
# The registry image behaves like the upstream registry:2 image:
#   ENTRYPOINT ["/entrypoint.sh"]  CMD ["/etc/docker/registry/config.yml"]
#   (a *.yml first argument becomes `registry serve <file>`), EXPOSE 5000,
#   VOLUME /var/lib/registry, storage filesystem at /var/lib/registry, addr :5000,
#   no auth unless REGISTRY_AUTH=htpasswd REGISTRY_AUTH_HTPASSWD_REALM=...
#   REGISTRY_AUTH_HTPASSWD_PATH=... are set (REGISTRY_* env overrides the file).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ -z "${DOCKER_HOST:-}" ]; then
  eval "$("$here/engine-env.sh")"
fi
export DOCKER_HOST

PROBE=container-topology/probe:local
REGISTRY=container-topology/registry:local
REGISTRY_ALIAS=registry:2
FORCE="${FORCE:-0}"
# Bump when an image's content changes: an engine that kept an older build rebuilds it.
IMAGE_VERSION=2
VERSION_LABEL=container-topology.io/image-version

busybox_bin="$(command -v busybox || true)"
[ -n "$busybox_bin" ] || { echo "build-images: busybox not found; run scripts/engine-install.sh" >&2; exit 1; }
file_is_static() { ! ldd "$1" >/dev/null 2>&1; }
file_is_static "$busybox_bin" || { echo "build-images: $busybox_bin is not static (need busybox-static)" >&2; exit 1; }
registry_bin="$(command -v docker-registry || true)"
[ -n "$registry_bin" ] || { echo "build-images: docker-registry not found; run scripts/engine-install.sh" >&2; exit 1; }

has_image() { [ "$(docker image inspect -f "{{index .Config.Labels \"$VERSION_LABEL\"}}" "$1" 2>/dev/null)" = "$IMAGE_VERSION" ]; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# a minimal /etc and directory skeleton shared by both images
skeleton() {
  local root="$1"
  mkdir -p "$root"/{bin,etc,tmp,root,proc,sys,dev,var/run}
  chmod 1777 "$root/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
  cp "$busybox_bin" "$root/bin/busybox"
  local applet
  for applet in $("$busybox_bin" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
}

build_probe() {
  local root="$work/probe"
  skeleton "$root"
  # a document root, so the stacks' `httpd -f -p PORT -h /www` serves and stays up
  mkdir -p "$root/www"
  printf 'container-topology probe\n' >"$root/www/index.html"
  tar --numeric-owner --owner=0 --group=0 -C "$root" -c . |
    docker import \
      --change 'ENV PATH=/bin' \
      --change "LABEL $VERSION_LABEL=$IMAGE_VERSION" \
      --change 'CMD ["/bin/sh","-c","trap \"exit 0\" TERM INT; sleep 2147483647 & wait"]' \
      --message "container-topology probe (busybox $("$busybox_bin" | head -1 | awk '{print $2}'))" \
      - "$PROBE" >/dev/null
  echo "build-images: built $PROBE" >&2
}

build_registry() {
  local root="$work/registry" lib
  skeleton "$root"
  cp "$registry_bin" "$root/bin/registry"
  mkdir -p "$root/usr/bin" "$root/etc/docker/registry" "$root/var/lib/registry"
  ln -sf ../../bin/registry "$root/usr/bin/docker-registry"
  # shared libraries and the loader, at the paths ldd reports
  for lib in $(ldd "$registry_bin" | grep -oE '/[^ ]+'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  cat >"$root/etc/docker/registry/config.yml" <<'YML'
version: 0.1
log:
  fields:
    service: registry
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: /var/lib/registry
  delete:
    enabled: true
http:
  addr: :5000
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
YML
  cat >"$root/entrypoint.sh" <<'SH'
#!/bin/sh
set -e
case "$1" in
  *.yaml|*.yml) set -- registry serve "$@" ;;
  serve|garbage-collect|help|-*) set -- registry "$@" ;;
esac
exec "$@"
SH
  chmod +x "$root/entrypoint.sh"
  tar --numeric-owner --owner=0 --group=0 -C "$root" -c . |
    docker import \
      --change 'ENV PATH=/bin:/usr/bin' \
      --change "LABEL $VERSION_LABEL=$IMAGE_VERSION" \
      --change 'VOLUME ["/var/lib/registry"]' \
      --change 'EXPOSE 5000' \
      --change 'ENTRYPOINT ["/entrypoint.sh"]' \
      --change 'CMD ["/etc/docker/registry/config.yml"]' \
      --message "container-topology registry ($("$registry_bin" --version | awk '{print $NF}'))" \
      - "$REGISTRY" >/dev/null
  echo "build-images: built $REGISTRY" >&2
}

if [ "$FORCE" = 1 ] || ! has_image "$PROBE"; then build_probe; else echo "build-images: $PROBE exists (FORCE=1 rebuilds)" >&2; fi
if [ "$FORCE" = 1 ] || ! has_image "$REGISTRY"; then build_registry; else echo "build-images: $REGISTRY exists (FORCE=1 rebuilds)" >&2; fi
if [ "$FORCE" = 1 ] || [ "$(docker image inspect -f '{{.Id}}' "$REGISTRY_ALIAS" 2>/dev/null)" != "$(docker image inspect -f '{{.Id}}' "$REGISTRY")" ]; then
  docker tag "$REGISTRY" "$REGISTRY_ALIAS"
  echo "build-images: tagged $REGISTRY as $REGISTRY_ALIAS" >&2
fi
