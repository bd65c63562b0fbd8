#!/usr/bin/env bash
# Starts a real Kubernetes control plane on loopback, with fake nodes, without pulling any image:
# etcd, kube-apiserver (as controller-runtime's envtest starts it: RBAC, an admin client cert in
# system:masters), kube-scheduler, kube-controller-manager and kwok, which plays the kubelet of
# CT_KUBE_NODES fake nodes (pods become Running with fake IPs; no container runs).
#
# Usage: bash scripts/kube-start.sh [RUN_DIR]        (stop with scripts/kube-stop.sh RUN_DIR)
#   KUBECONFIG="$(bash scripts/kube-start.sh | tail -n 1)" kubectl get nodes
#
# RUN_DIR defaults to ${CT_KUBE_DIR:-/tmp/container-topology-kube}. It holds pki/ (kept across
# restarts, so a kubeconfig stays valid), kubeconfig, *.pid, logs/*.log, etcd-data/ (wiped at every
# start: each start is an empty cluster). Binaries come from scripts/kube-install.sh (built once and
# cached; ~20-35 min cold, seconds when cached).
#
# Environment:
#   CT_KUBE_NODES        number of fake nodes kwok-node-0..N-1 (default 1)
#   CT_KUBE_NODE_LABELS  labels put on every node, k=v[,k=v...] (e.g. topology.kubernetes.io/zone=a,role=edge)
#   CT_KUBE_NODE_IP      the nodes' InternalIP and pods' hostIP (default 127.0.0.1; kwok --node-ip)
#   CT_KUBE_VOLUMES      number of 20Gi PersistentVolumes of the default StorageClass "standard"
#                        (default 4): claims bind as on minikube, whose "standard" class provisions
#                        them. No provisioner runs here, so a claim binds only while one is free.
#   ETCD_PORT            etcd client port (default 12379; the peer port is ETCD_PORT+1)
#   API_PORT             kube-apiserver port (default 16443)
#   SCHEDULER_PORT       kube-scheduler healthz port (default API_PORT+1)
#   KCM_PORT             kube-controller-manager healthz port (default API_PORT+2)
#   CT_KUBE_START_TIMEOUT  seconds to wait for each component to be ready (default 120)
# Fixed: service CIDR 10.0.0.0/24 (the kubernetes Service is 10.0.0.1), NodePort range 30000-32767,
# pod IPs from 10.244.0.0/16 (kwok --cidr).
#
# Idempotent: when the control plane of RUN_DIR is already up, ready and started with the same
# settings, it only prints the kubeconfig path; otherwise it stops what runs there and starts afresh.
# Progress goes to stderr; the only line on stdout, printed last, is the absolute kubeconfig path.
# On failure it stops what it started and prints the tail of the failing component's log.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
run="${1:-${CT_KUBE_DIR:-/tmp/container-topology-kube}}"
mkdir -p "$run"
run="$(cd "$run" && pwd)"
kc="$run/kubeconfig"
pki="$run/pki"
logs="$run/logs"

NODES="${CT_KUBE_NODES:-1}"
NODE_LABELS="${CT_KUBE_NODE_LABELS:-}"
NODE_IP="${CT_KUBE_NODE_IP:-127.0.0.1}"
VOLUMES="${CT_KUBE_VOLUMES:-4}"
ETCD_PORT="${ETCD_PORT:-12379}"
PEER_PORT=$((ETCD_PORT + 1))
API_PORT="${API_PORT:-16443}"
SCHEDULER_PORT="${SCHEDULER_PORT:-$((API_PORT + 1))}"
KCM_PORT="${KCM_PORT:-$((API_PORT + 2))}"
TIMEOUT="${CT_KUBE_START_TIMEOUT:-120}"
SERVICE_CIDR=10.0.0.0/24
POD_CIDR=10.244.0.0/16
COMPONENTS="etcd kube-apiserver kube-scheduler kube-controller-manager kwok"

T0=$SECONDS
say() { echo "kube-start: [$((SECONDS - T0))s] $*" >&2; }
die() { echo "kube-start: FAILED: $*" >&2; exit 1; }

# --- checks ------------------------------------------------------------------
for c in openssl curl flock setsid; do
  command -v "$c" >/dev/null 2>&1 || die "step 'find tools': $c not found"
done
case "$NODES" in ''|*[!0-9]*) die "step 'settings': CT_KUBE_NODES='$NODES' is not a number" ;; esac
[ "$NODES" -ge 1 ] || die "step 'settings': CT_KUBE_NODES must be at least 1"
case "$VOLUMES" in ''|*[!0-9]*) die "step 'settings': CT_KUBE_VOLUMES='$VOLUMES' is not a number" ;; esac
for p in ETCD_PORT API_PORT SCHEDULER_PORT KCM_PORT; do
  v="${!p}"
  case "$v" in ''|*[!0-9]*) die "step 'settings': $p='$v' is not a port number" ;; esac
done
[[ "$NODE_IP" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "step 'settings': CT_KUBE_NODE_IP='$NODE_IP' is not an IPv4 address"
# labels: k=v pairs (key: optional DNS prefix + name; value: empty or a label value)
label_lines=""
if [ -n "$NODE_LABELS" ]; then
  IFS=',' read -r -a pairs <<<"$NODE_LABELS"
  for kv in "${pairs[@]}"; do
    [ -n "$kv" ] || continue
    [[ "$kv" == *=* ]] || die "step 'settings': CT_KUBE_NODE_LABELS entry '$kv' is not k=v"
    k="${kv%%=*}"; v="${kv#*=}"
    [[ "$k" =~ ^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$ ]] \
      || die "step 'settings': CT_KUBE_NODE_LABELS key '$k' is not a label key"
    [[ -z "$v" || "$v" =~ ^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$ ]] \
      || die "step 'settings': CT_KUBE_NODE_LABELS value '$v' (key '$k') is not a label value"
    label_lines="$label_lines    \"$k\": \"$v\""$'\n'
  done
fi

settings="nodes=$NODES volumes=$VOLUMES labels=$NODE_LABELS node_ip=$NODE_IP etcd=$ETCD_PORT api=$API_PORT scheduler=$SCHEDULER_PORT kcm=$KCM_PORT"

exec 9>"$run/.lock"
if ! flock -n 9; then
  say "another kube-start.sh/kube-stop.sh is working on $run; waiting for it"
  flock 9
fi

# --- helpers -----------------------------------------------------------------
# alive NAME: the process in $run/NAME.pid runs (not a zombie) and is ours (its command line names a path under $run)
alive() {
  local pid state
  pid="$(cat "$run/$1.pid" 2>/dev/null)" || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  state="$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)"
  [ "$state" != Z ] || return 1
  tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$run/" || return 1
}

# port_busy PORT: something listens on 127.0.0.1:PORT
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

curl_admin() { curl -sf --max-time 5 --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" "$@"; }

# nodes_ready: kwok-node-0..N-1 are all Ready and none carries the not-ready taint
nodes_ready() {
  local out want i
  out="$("$kubectl" --kubeconfig="$kc" get nodes --request-timeout=5s -o \
    jsonpath='{range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{" taints:"}{.spec.taints[*].key}{"\n"}{end}' 2>/dev/null)" \
    || return 1
  for ((i = 0; i < NODES; i++)); do
    want="$(echo "$out" | grep "^kwok-node-$i=" || true)"
    [[ "$want" == "kwok-node-$i=True taints:"* ]] || return 1
    [[ "$want" != *node.kubernetes.io/not-ready* && "$want" != *node.kubernetes.io/unreachable* ]] || return 1
  done
}

# --- already up? -------------------------------------------------------------
up=1
for c in $COMPONENTS; do alive "$c" || { up=0; break; }; done
if [ "$up" = 1 ] && [ -f "$run/settings" ] && [ "$(cat "$run/settings")" = "$settings" ] && [ -f "$kc" ] \
  && kubectl="$(cat "$run/bin-dir" 2>/dev/null)/kubectl" && [ -x "$kubectl" ] \
  && curl_admin "https://127.0.0.1:$API_PORT/readyz" >/dev/null 2>&1 && nodes_ready; then
  say "control plane in $run already up and ready"
  echo "$kc"
  exit 0
fi
for c in $COMPONENTS; do
  if [ -f "$run/$c.pid" ]; then
    say "a previous control plane in $run is not (completely) up or has other settings; stopping it"
    _CT_KUBE_LOCK_HELD="$run" bash "$repo/scripts/kube-stop.sh" "$run" 9>&- >&2 || die "step 'stop previous': scripts/kube-stop.sh $run failed"
    break
  fi
done

# --- binaries ----------------------------------------------------------------
bin="$(bash "$repo/scripts/kube-install.sh" 9>&- | tail -n 1)" || die "step 'install binaries': scripts/kube-install.sh failed"
for b in etcd kube-apiserver kube-scheduler kube-controller-manager kwok kubectl; do
  [ -x "$bin/$b" ] || die "step 'install binaries': $bin/$b missing (scripts/kube-install.sh printed '$bin')"
done
kubectl="$bin/kubectl"
stages="$(dirname "$bin")/kwok-stages"
[ -n "$(ls "$stages"/*.yaml 2>/dev/null)" ] || die "step 'install binaries': no kwok stage configs in $stages"

for p in "$ETCD_PORT" "$PEER_PORT" "$API_PORT" "$SCHEDULER_PORT" "$KCM_PORT"; do
  port_busy "$p" && die "step 'check ports': 127.0.0.1:$p is in use (another control plane? set ETCD_PORT / API_PORT / SCHEDULER_PORT / KCM_PORT)"
done

# from here on, a failure stops what was started and shows the failing component's log
step="" comp=""
exec 8>&2   # the real stderr, for cleanup: a signal can land while a wait has stderr on /dev/null
cleanup() {
  local rc=$?
  [ "$rc" -ne 0 ] || return 0
  exec 2>&8 1>&8
  if [ -n "$comp" ] && [ -f "$logs/$comp.log" ]; then
    echo "kube-start: --- last lines of $logs/$comp.log ---" >&2
    tail -n 30 "$logs/$comp.log" >&2
    echo "kube-start: ---" >&2
  fi
  if [ "$rc" -eq 130 ]; then
    echo "kube-start: interrupted at step '$step'; stopping what was started in $run" >&2
  else
    echo "kube-start: FAILED at step '$step'; stopping what was started in $run" >&2
  fi
  _CT_KUBE_LOCK_HELD="$run" bash "$repo/scripts/kube-stop.sh" "$run" 9>&- >&2 || true
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start NAME CMD...: runs CMD detached (own session, stdin /dev/null, output to logs/NAME.log, every
# other inherited fd closed, so that no caller's pipe or lock is held open by it); the process
# writes its own pid to NAME.pid before it execs CMD
start() {
  local name=$1; shift
  rm -f "$run/$name.pid"
  : >"$logs/$name.log"
  # shellcheck disable=SC2016
  setsid bash -c 'for f in /proc/$$/fd/*; do n=${f##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done
    echo $$ >"$0"; exec "$@"' "$run/$name.pid" "$@" </dev/null >>"$logs/$name.log" 2>&1 &
  local i
  for ((i = 0; i < 50; i++)); do [ -s "$run/$name.pid" ] && return 0; sleep 0.1; done
  die "step '$step': $name wrote no pid file"
}

# wait_for NAME WHAT CMD...: polls CMD until it succeeds; fails if NAME exits or after $TIMEOUT s
wait_for() {
  local name=$1 what=$2 t=$SECONDS; shift 2
  until "$@" >/dev/null 2>&1; do
    alive "$name" || die "step '$step': $name exited before $what"
    [ $((SECONDS - t)) -lt "$TIMEOUT" ] || die "step '$step': $what not reached after ${TIMEOUT}s"
    sleep 0.2
  done
  say "$what after $((SECONDS - t))s"
}

# --- certificates ------------------------------------------------------------
step="certificates"
mkdir -p "$logs"
gen_certs() {
  mkdir -p "$pki"
  local tmp="$pki.new"
  rm -rf "$tmp"; mkdir -p "$tmp"
  (
    cd "$tmp"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=container-topology-kube-ca"
    # serving cert for 127.0.0.1 / localhost (and the in-cluster names)
    openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj "/CN=kube-apiserver"
    printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost,IP:10.0.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" \
      "extendedKeyUsage=serverAuth" "keyUsage=digitalSignature,keyEncipherment" >apiserver.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt -days 3650 -extfile apiserver.ext
    # admin client cert: O=system:masters passes every RBAC check
    openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr -subj "/O=system:masters/CN=container-topology-admin"
    printf '%s\n' "extendedKeyUsage=clientAuth" "keyUsage=digitalSignature,keyEncipherment" >admin.ext
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out admin.crt -days 3650 -extfile admin.ext
    # service-account signing key pair
    openssl genrsa -out sa.key 2048
    openssl rsa -in sa.key -pubout -out sa.pub
    rm -f ./*.csr ./*.ext
    chmod 600 ./*.key
  ) >"$logs/openssl.log" 2>&1 || { comp=openssl; return 1; }
  rm -rf "$pki"; mv "$tmp" "$pki"
}
if [ -f "$pki/ca.crt" ] && [ -f "$pki/apiserver.crt" ] && [ -f "$pki/admin.crt" ] && [ -f "$pki/sa.pub" ] \
  && openssl x509 -checkend 86400 -noout -in "$pki/apiserver.crt" >/dev/null 2>&1; then
  say "certificates: reusing $pki"
else
  gen_certs
  say "certificates: generated in $pki"
fi

cat >"$kc" <<KC
apiVersion: v1
kind: Config
clusters:
- name: container-topology
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority: $pki/ca.crt
users:
- name: admin
  user:
    client-certificate: $pki/admin.crt
    client-key: $pki/admin.key
contexts:
- name: container-topology
  context: {cluster: container-topology, user: admin}
current-context: container-topology
KC

# --- etcd --------------------------------------------------------------------
step="start etcd"; comp=etcd
rm -rf "$run/etcd-data"
start etcd "$bin/etcd" --name container-topology --data-dir "$run/etcd-data" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$PEER_PORT" \
  --initial-cluster "container-topology=http://127.0.0.1:$PEER_PORT" --unsafe-no-fsync
wait_for etcd "etcd /health ok" curl -sf --max-time 2 "http://127.0.0.1:$ETCD_PORT/health"

# --- kube-apiserver ----------------------------------------------------------
step="start kube-apiserver"; comp=kube-apiserver
start kube-apiserver "$bin/kube-apiserver" \
  --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
  --advertise-address=127.0.0.1 --bind-address=127.0.0.1 --secure-port="$API_PORT" \
  --endpoint-reconciler-type=none \
  --cert-dir="$pki" --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
  --client-ca-file="$pki/ca.crt" \
  --authorization-mode=RBAC \
  --service-cluster-ip-range="$SERVICE_CIDR" --allow-privileged=true \
  --disable-admission-plugins=ServiceAccount \
  --service-account-issuer="https://127.0.0.1:$API_PORT/" \
  --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key"
wait_for kube-apiserver "kube-apiserver /readyz ok" curl_admin "https://127.0.0.1:$API_PORT/readyz"

# --- fake nodes --------------------------------------------------------------
step="create nodes"; comp=kube-apiserver
nodes_yaml="$run/nodes.yaml"
: >"$nodes_yaml"
for ((i = 0; i < NODES; i++)); do
  cat >>"$nodes_yaml" <<NODE
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations:
    node.alpha.kubernetes.io/ttl: "0"
    kwok.x-k8s.io/node: fake
  labels:
    kubernetes.io/hostname: kwok-node-$i
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
$label_lines
status:
  allocatable: {cpu: "32", memory: 256Gi, pods: "110"}
  capacity: {cpu: "32", memory: 256Gi, pods: "110"}
  nodeInfo:
    architecture: amd64
    operatingSystem: linux
    kubeletVersion: fake
    kubeProxyVersion: fake
    bootID: ""
    containerRuntimeVersion: ""
    kernelVersion: ""
    machineID: ""
    osImage: ""
    systemUUID: ""
  phase: Running
NODE
done
"$kubectl" --kubeconfig="$kc" create -f "$nodes_yaml" >"$logs/nodes.log" 2>&1 || { comp=nodes; die "step '$step': kubectl create -f $nodes_yaml failed"; }
if [ "$NODES" = 1 ]; then names="kwok-node-0"; else names="kwok-node-0..$((NODES - 1))"; fi
say "created $NODES node(s): $names${NODE_LABELS:+, labels $NODE_LABELS}"

# --- storage -----------------------------------------------------------------
# A default StorageClass named as minikube's and kind's ("standard"), binding at once, and volumes
# for it: the PersistentVolume controller binds a claim to a free one, so workloads with claims
# (a ClusterRegistry) schedule and become Ready. kwok runs no container, so the hostPath stays unused.
step="create storage"; comp=kube-apiserver
storage_yaml="$run/storage.yaml"
cat >"$storage_yaml" <<SC
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: kubernetes.io/no-provisioner
reclaimPolicy: Retain
volumeBindingMode: Immediate
SC
for ((i = 0; i < VOLUMES; i++)); do
  cat >>"$storage_yaml" <<PV
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: standard-pv-$i}
spec:
  storageClassName: standard
  capacity: {storage: 20Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  hostPath: {path: /tmp/container-topology-kube-volumes/pv-$i, type: DirectoryOrCreate}
PV
done
"$kubectl" --kubeconfig="$kc" create -f "$storage_yaml" >"$logs/storage.log" 2>&1 || { comp=storage; die "step '$step': kubectl create -f $storage_yaml failed"; }
say "created StorageClass standard (default) with $VOLUMES volume(s) of 20Gi"

# --- kube-scheduler, kube-controller-manager, kwok ----------------------------
step="start kube-scheduler"; comp=kube-scheduler
start kube-scheduler "$bin/kube-scheduler" --kubeconfig="$kc" --authentication-kubeconfig="$kc" --authorization-kubeconfig="$kc" \
  --bind-address=127.0.0.1 --secure-port="$SCHEDULER_PORT" --leader-elect=false

step="start kube-controller-manager"; comp=kube-controller-manager
start kube-controller-manager "$bin/kube-controller-manager" --kubeconfig="$kc" --authentication-kubeconfig="$kc" \
  --authorization-kubeconfig="$kc" --bind-address=127.0.0.1 --secure-port="$KCM_PORT" --leader-elect=false \
  --use-service-account-credentials=false --controllers='*,-serviceaccount-token,-nodeipam' \
  --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
  --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
  --service-cluster-ip-range="$SERVICE_CIDR"

step="start kwok"; comp=kwok
stage_args=()
for f in "$stages"/*.yaml; do stage_args+=(-c "$f"); done
mkdir -p "$run/kwok-home"
# HOME: kwok reads ~/.kwok/kwok.yaml when present; keep the user's out of this.
# Node leases (40 s, renewed every 10 s, as a kubelet does): without them kwok only heartbeats the
# node status every 10-20 min (node-heartbeat-with-lease stage).
HOME="$run/kwok-home" start kwok "$bin/kwok" --kubeconfig="$kc" "${stage_args[@]}" \
  --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
  --node-ip="$NODE_IP" --cidr="$POD_CIDR" --node-lease-duration-seconds=40

step="wait for kube-scheduler"; comp=kube-scheduler
wait_for kube-scheduler "kube-scheduler /healthz ok" curl -skf --max-time 2 "https://127.0.0.1:$SCHEDULER_PORT/healthz"
step="wait for kube-controller-manager"; comp=kube-controller-manager
wait_for kube-controller-manager "kube-controller-manager /healthz ok" curl -skf --max-time 2 "https://127.0.0.1:$KCM_PORT/healthz"
step="wait for nodes Ready"; comp=kwok
wait_for kwok "$NODES node(s) Ready, not-ready taint lifted" nodes_ready

echo "$settings" >"$run/settings"
echo "$bin" >"$run/bin-dir"
trap - EXIT
say "control plane up in $run (API https://127.0.0.1:$API_PORT) in $((SECONDS - T0))s; stop: bash scripts/kube-stop.sh $run"
label_cols=()
[ -z "$NODE_LABELS" ] || label_cols=(-L "$(echo "$NODE_LABELS" | sed 's/=[^,]*//g')")
"$kubectl" --kubeconfig="$kc" get nodes "${label_cols[@]}" >&2 || true
echo "$kc"
