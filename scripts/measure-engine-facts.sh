#!/usr/bin/env bash
# Re-measures the engine facts recorded in docs/engine-facts.md and prints a
# transcript ("$ command", its output, "(exit N)"). Needs the engine of
# scripts/engine-start.sh and the images of scripts/build-images.sh; creates
# only ct-facts-* containers/networks, veth ctfA/ctfB, and a swarm it leaves.
# Host listeners bind this host's own addresses; nothing leaves the machine.
# Usage: scripts/measure-engine-facts.sh [section...]   sections: a..m (default all)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ -z "${DOCKER_HOST:-}" ]; then eval "$("$here/engine-env.sh")"; fi
export DOCKER_HOST
P=ct-facts
IMG=container-topology/probe:local
HOSTIP="$(ip -4 -o addr show scope global | awk '$2 !~ /^(docker|br-|veth|ctf)/ {sub(/\/.*/,"",$4); print $4; exit}')"

run() { echo "\$ $*"; "$@" 2>&1; echo "(exit $?)"; }
# print a command line as written, run it through sh (for pipes and quoting)
runsh() { echo "\$ $1"; sh -c "$1" 2>&1; echo "(exit $?)"; }
nc_to() { docker exec "$1" nc -w 2 "$2" "$3" -e true; }
clean() {
  docker ps -aq --filter "name=^/$P-" | xargs -r docker rm -f >/dev/null 2>&1
  docker network ls -q --filter "name=$P-" | xargs -r docker network rm >/dev/null 2>&1
  ip link del ctfA >/dev/null 2>&1 || true
  [ -n "${LPIDS:-}" ] && kill $LPIDS 2>/dev/null
  LPIDS=""
  return 0
}
listen() { # ip port -> background node listener, pid in LPIDS
  node -e "require('net').createServer(s=>{s.on('error',()=>{});s.end('hi\n')}).listen($2,'$1')" & LPIDS="${LPIDS:-} $!"
  sleep 0.5
}
trap clean EXIT

a() { echo "## (a) two containers with the same alias on one network"
  docker network create $P-a >/dev/null
  run docker run -d --name $P-a1 --network $P-a --network-alias svc $IMG
  run docker run -d --name $P-a2 --network $P-a --network-alias svc $IMG
  run docker run --rm --network $P-a $IMG nslookup svc
  clean; }

b() { echo "## (b) published port conflicts"
  run docker run -d --name $P-b1 -p 0.0.0.0:18081:80 $IMG
  run docker run -d --name $P-b2 -p 127.0.0.1:18081:80 $IMG
  run docker ps -a --filter name=$P-b2 --format '{{.Names}} {{.Status}}'
  run docker run -d --name $P-b3 -p '[::]:18081:80' $IMG
  runsh "ss -ltnH 'sport = :18081'"
  run docker run -d --name $P-b4 -p 18081:80 $IMG
  clean
  run docker run -d --name $P-b5 -p 127.0.0.1:18082:80 $IMG
  run docker run -d --name $P-b6 -p 0.0.0.0:18082:80 $IMG
  run docker run -d --name $P-b7 -p 127.0.0.1:18083:80/tcp $IMG
  run docker run -d --name $P-b8 -p 127.0.0.1:18083:80/udp $IMG
  run docker run -d --name $P-b9 -p 127.0.0.1:18084:80 $IMG
  run docker run -d --name $P-b10 -p 127.0.0.2:18084:80 $IMG
  run docker run -d --name $P-b11 -p 127.0.0.1:18085:80 -p 127.0.0.1:18085:81 $IMG
  clean; }

c() { echo "## (c) overlapping subnets"
  run docker network inspect bridge --format '{{json .IPAM.Config}}'
  run docker network create --subnet 172.17.0.0/16 $P-c0
  run docker network create --subnet 172.17.5.0/24 $P-c1
  run docker network create --subnet 10.123.0.0/16 $P-c2
  run docker network create --subnet 10.123.4.0/24 $P-c3
  run docker network create --subnet 10.123.0.0/16 $P-c4
  clean; }

d() { echo "## (d) subnet with host bits set"
  run docker network create --subnet 172.30.0.5/16 $P-d
  run docker network inspect $P-d --format '{{json .IPAM.Config}}'
  run docker run --rm --network $P-d $IMG sh -c "ip -4 -o addr show eth0; ip route"
  clean; }

e() { echo "## (e) static --ip without a user-configured subnet"
  docker network create $P-e >/dev/null
  run docker network inspect $P-e --format '{{json .IPAM.Config}}'
  run docker run -d --name $P-e1 --network $P-e --ip 172.31.99.10 $IMG
  run docker run -d --name $P-e2 --ip 172.17.0.50 $IMG
  clean; }

f() { echo "## (f) static --ip equal to the gateway, outside the subnet, taken"
  docker network create --subnet 10.124.0.0/24 --gateway 10.124.0.1 $P-f >/dev/null
  run docker run -d --name $P-f1 --network $P-f --ip 10.124.0.1 $IMG
  run docker run -d --name $P-f2 --network $P-f --ip 10.125.0.9 $IMG
  run docker run -d --name $P-f3 --network $P-f --ip 10.124.0.9 $IMG
  run docker run -d --name $P-f4 --network $P-f --ip 10.124.0.9 $IMG
  run docker run -d --name $P-f5 --network $P-f --ip 10.124.0.0 $IMG
  run docker run -d --name $P-f6 --network $P-f --ip 10.124.0.255 $IMG
  clean; }

g() { echo "## (g) internal network"
  listen 0.0.0.0 18090
  run docker network create --internal --subnet 10.126.0.0/24 $P-g
  run docker run -d --name $P-g1 --network $P-g --network-alias peer $IMG httpd -f -p 8080 -h /etc
  run docker run -d --name $P-g2 --network $P-g --add-host host.docker.internal:host-gateway $IMG
  run docker exec $P-g2 ip route
  run docker exec $P-g2 grep host.docker.internal /etc/hosts
  echo "# host listener on 0.0.0.0:18090"
  run nc_to $P-g2 host.docker.internal 18090
  run nc_to $P-g2 10.126.0.1 18090
  run nc_to $P-g2 "$HOSTIP" 18090
  run nc_to $P-g2 peer 8080
  echo "# control: same checks from a normal bridge network"
  docker network create --subnet 10.127.0.0/24 $P-g0 >/dev/null
  run docker run -d --name $P-g3 --network $P-g0 --add-host host.docker.internal:host-gateway $IMG
  run nc_to $P-g3 host.docker.internal 18090
  run nc_to $P-g3 10.127.0.1 18090
  run nc_to $P-g3 "$HOSTIP" 18090
  clean; }

h() { echo "## (h) -p with --network host"
  run docker run -d --name $P-h --network host -p 127.0.0.1:18086:80 $IMG
  run docker inspect $P-h --format 'PortBindings={{json .HostConfig.PortBindings}} Ports={{json .NetworkSettings.Ports}}'
  clean; }

i() { echo "## (i) --network container:X with other network options"
  run docker run -d --name $P-i0 $IMG
  run docker run -d --name $P-i1 --network container:$P-i0 -p 127.0.0.1:18087:80 $IMG
  run docker run -d --name $P-i2 --network container:$P-i0 --add-host foo:10.1.2.3 $IMG
  run docker run -d --name $P-i3 --network container:$P-i0 --hostname other $IMG
  run docker run -d --name $P-i4 --network container:$P-i0 --network-alias x $IMG
  run docker run -d --name $P-i5 --network container:$P-i0 --dns 10.1.2.3 $IMG
  run docker run -d --name $P-i6 --network container:$P-i0 --expose 80 $IMG
  run docker run -d --name $P-i7 --network container:$P-i0 --mac-address 02:42:ac:11:00:99 $IMG
  run docker run -d --name $P-i8 --network container:$P-nonexistent $IMG
  run docker run -d --network host --add-host foo:10.1.2.3 --name $P-i9 $IMG
  run docker run -d --network host --hostname other --name $P-i10 $IMG
  run docker run -d --network none -p 127.0.0.1:18088:80 --name $P-i11 $IMG
  run docker inspect $P-i11 --format 'PortBindings={{json .HostConfig.PortBindings}} Ports={{json .NetworkSettings.Ports}}'
  clean; }

j() { echo "## (j) macvlan / ipvlan parents"
  run docker network create -d macvlan --subnet 10.128.0.0/24 $P-j0
  run ip link add ctfA type veth peer name ctfB
  ip link set ctfA up; ip link set ctfB up
  run docker network create -d macvlan --subnet 10.128.1.0/24 -o parent=ctfA $P-j1
  run docker network create -d macvlan --subnet 10.128.2.0/24 -o parent=ctfA $P-j2
  run docker network create -d macvlan --subnet 10.128.3.0/24 -o parent=ctfA.5000 $P-j3
  run docker network create -d macvlan --subnet 10.128.4.0/24 -o parent=ctfA.10 $P-j4
  run docker network create -d ipvlan --subnet 10.128.5.0/24 -o parent=ctfA $P-j5
  run docker network create -d ipvlan --subnet 10.128.6.0/24 -o parent=ctfB $P-j6
  run docker network create -d ipvlan --subnet 10.128.7.0/24 -o parent=ctfB $P-j7
  run docker network create -d macvlan --subnet 10.128.8.0/24 -o parent=ctfX $P-j8
  run docker run -d --name $P-j1a --network $P-j1 --ip 10.128.1.10 $IMG httpd -f -p 8080 -h /etc
  run docker run -d --name $P-j1b --network $P-j1 $IMG
  run nc_to $P-j1b 10.128.1.10 8080
  run nc_to $P-j1b $P-j1a 8080
  echo "# ipvlan: the network is created lazily; attaching a container creates the link"
  run docker run -d --name $P-j6a --network $P-j6 $IMG
  run ip link add ctfI link ctfB type ipvlan mode l2
  clean; }

k() { echo "## (k) overlay"
  run docker network create -d overlay $P-k0
  run docker swarm init --advertise-addr 127.0.0.1
  run docker network create -d overlay --subnet 10.129.0.0/24 $P-k1
  run docker run -d --name $P-k1c --network $P-k1 $IMG
  run docker network create -d overlay --attachable --subnet 10.129.1.0/24 $P-k2
  run docker run -d --name $P-k2a --network $P-k2 --network-alias peer $IMG httpd -f -p 8080 -h /etc
  run docker run -d --name $P-k2b --network $P-k2 $IMG
  run nc_to $P-k2b peer 8080
  clean
  run docker swarm leave --force
  docker network rm docker_gwbridge >/dev/null 2>&1 || true
  run docker network ls --format '{{.Name}} {{.Driver}} {{.Scope}}'; }

l() { echo "## (l) --network host reaches a host listener on 127.0.0.1"
  listen 127.0.0.1 18091
  run docker run -d --name $P-l --network host $IMG
  run nc_to $P-l 127.0.0.1 18091
  run docker run -d --name $P-l2 --add-host host.docker.internal:host-gateway $IMG
  run nc_to $P-l2 host.docker.internal 18091
  clean; }

m() { echo "## (m) container:X reaches X's listener on 127.0.0.1"
  run docker run -d --name $P-m0 $IMG httpd -f -p 127.0.0.1:8080 -h /etc
  run docker run -d --name $P-m1 --network container:$P-m0 $IMG
  run nc_to $P-m1 127.0.0.1 8080
  run docker exec $P-m1 hostname
  run docker exec $P-m0 hostname
  clean; }

clean
sections=("$@"); [ ${#sections[@]} -gt 0 ] || sections=(a b c d e f g h i j k l m)
for s in "${sections[@]}"; do "$s"; echo; done
