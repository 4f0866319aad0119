#!/usr/bin/env bash
# kube-up.sh — start a throw-away control plane (etcd + kube-apiserver, plus
# kube-controller-manager when built) on loopback for the e2e tests. No kubelet
# or scheduler: objects are stored and admitted (RBAC, PodSecurity,
# ValidatingAdmissionPolicy all run in the apiserver), but Pods never run.
#
# Usage:
#   eval "$(scripts/kube-up.sh [STATE_DIR])"   # exports KUBECONFIG, E2E_KUBE_DIR, ...
#   ...tests...
#   scripts/kube-down.sh "$E2E_KUBE_DIR"
#
# Binaries come from the cache filled by e2e-tools.sh (env.sh) or PATH.
# Ports are picked free at random on 127.0.0.1 unless E2E_ETCD_PORT /
# E2E_ETCD_PEER_PORT / E2E_APISERVER_PORT are set. stdout carries only
# `export` lines; progress goes to stderr.
set -euo pipefail

E2E_CACHE="${E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/coder-blueprint-e2e}"
# shellcheck disable=SC1091
[[ -f "$E2E_CACHE/env.sh" ]] && source "$E2E_CACHE/env.sh"
for b in etcd kube-apiserver openssl curl; do
  command -v "$b" >/dev/null || { echo "kube-up: $b not found (run scripts/e2e-tools.sh)" >&2; exit 1; }
done

STATE="${1:-$(mktemp -d "${TMPDIR:-/tmp}/e2e-kube.XXXXXX")}"
mkdir -p "$STATE/pki" "$STATE/etcd-data"
STATE="$(cd "$STATE" && pwd)"
log() { echo "[kube-up] $*" >&2; }

free_port() {  # ask the kernel for a free loopback port (fallback: probe a random one)
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null && return
  local p
  while :; do
    p=$(( 20000 + RANDOM % 30000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
ETCD_PORT="${E2E_ETCD_PORT:-$(free_port)}"
ETCD_PEER_PORT="${E2E_ETCD_PEER_PORT:-$(free_port)}"
APISERVER_PORT="${E2E_APISERVER_PORT:-$(free_port)}"

# ---------------------------------------------------------------- PKI --
# One CA signs the serving cert; the SANs cover loopback and the in-cluster
# names of the `kubernetes` Service (first IP of --service-cluster-ip-range).
PKI="$STATE/pki"
SERVICE_CIDR="10.0.0.0/24"
SERVICE_IP="10.0.0.1"
if [[ ! -f "$PKI/apiserver.crt" ]]; then
  log "generating certificates in $PKI"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=e2e-kube-ca" \
    -keyout "$PKI/ca.key" -out "$PKI/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" \
    -keyout "$PKI/apiserver.key" -out "$PKI/apiserver.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,IP:%s,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\nextendedKeyUsage=serverAuth\n' \
    "$SERVICE_IP" > "$PKI/apiserver.ext"
  openssl x509 -req -in "$PKI/apiserver.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" \
    -CAcreateserial -days 2 -extfile "$PKI/apiserver.ext" -out "$PKI/apiserver.crt" 2>/dev/null
  # Service-account token signing key pair (required flags since 1.20).
  openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
  openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  # Static token for the admin user; group system:masters bypasses RBAC.
  ADMIN_TOKEN="$(openssl rand -hex 24)"
  echo "$ADMIN_TOKEN,e2e-admin,e2e-admin-uid,system:masters" > "$PKI/tokens.csv"
  chmod 600 "$PKI"/*.key "$PKI/tokens.csv"
fi
ADMIN_TOKEN="$(cut -d, -f1 "$PKI/tokens.csv")"

# --------------------------------------------------------------- etcd --
# Plain HTTP on loopback only; --unsafe-no-fsync because the data is
# disposable and fsync dominates test latency.
log "starting etcd on 127.0.0.1:$ETCD_PORT"
nohup etcd --name e2e --data-dir "$STATE/etcd-data" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "e2e=http://127.0.0.1:$ETCD_PEER_PORT" \
  --unsafe-no-fsync --log-level warn \
  > "$STATE/etcd.log" 2>&1 < /dev/null &
ETCD_PID=$!
echo "$ETCD_PID" > "$STATE/etcd.pid"

for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$ETCD_PORT/health" 2>/dev/null | grep -q '"health":"true"' && break
  kill -0 "$ETCD_PID" 2>/dev/null || { log "etcd died:"; tail -20 "$STATE/etcd.log" >&2; exit 1; }
  sleep 0.2
done

# ---------------------------------------------------- kube-apiserver --
# shellcheck disable=SC2054  # commas below are inside flag values
APISERVER_FLAGS=(
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1
  --secure-port="$APISERVER_PORT"
  --etcd-servers="http://127.0.0.1:$ETCD_PORT"
  --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key"
  --client-ca-file="$PKI/ca.crt"
  --token-auth-file="$PKI/tokens.csv"
  --authorization-mode=RBAC,Node
  # ValidatingAdmissionPolicy and PodSecurity are what the blueprint relies on.
  --enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,DefaultTolerationSeconds,NodeRestriction,PodSecurity,MutatingAdmissionWebhook,ValidatingAdmissionPolicy,ValidatingAdmissionWebhook,ResourceQuota
  --service-account-issuer=https://kubernetes.default.svc.cluster.local
  --service-account-key-file="$PKI/sa.pub"
  --service-account-signing-key-file="$PKI/sa.key"
  --service-cluster-ip-range="$SERVICE_CIDR"
  --allow-privileged=true
  --profiling=false
  # No aggregated APIs / kubelets here; keeps the log quiet.
  --enable-aggregator-routing=false
  --endpoint-reconciler-type=none
)
log "starting kube-apiserver on https://127.0.0.1:$APISERVER_PORT"
printf '%s\n' "${APISERVER_FLAGS[@]}" > "$STATE/kube-apiserver.flags"
nohup kube-apiserver "${APISERVER_FLAGS[@]}" > "$STATE/kube-apiserver.log" 2>&1 < /dev/null &
APISERVER_PID=$!
echo "$APISERVER_PID" > "$STATE/kube-apiserver.pid"

# Wait for /readyz (all post-start hooks incl. RBAC bootstrap roles).
t0=$SECONDS
until curl -skf -H "Authorization: Bearer $ADMIN_TOKEN" \
      "https://127.0.0.1:$APISERVER_PORT/readyz" >/dev/null 2>&1; do
  if ! kill -0 "$APISERVER_PID" 2>/dev/null; then
    log "kube-apiserver died:"; tail -30 "$STATE/kube-apiserver.log" >&2
    kill "$ETCD_PID" 2>/dev/null || true; exit 1
  fi
  if (( SECONDS - t0 > ${E2E_KUBE_TIMEOUT:-120} )); then
    log "kube-apiserver not ready after ${E2E_KUBE_TIMEOUT:-120}s"
    kill "$APISERVER_PID" "$ETCD_PID" 2>/dev/null || true; exit 1
  fi
  sleep 0.5
done
log "kube-apiserver ready after $((SECONDS - t0))s"


# ---------------------------------------------------------- kubeconfig --
CA_DATA="$(base64 -w0 < "$PKI/ca.crt")"
cat > "$STATE/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: e2e
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority-data: $CA_DATA
users:
- name: e2e-admin
  user:
    token: $ADMIN_TOKEN
contexts:
- name: e2e
  context: {cluster: e2e, user: e2e-admin}
current-context: e2e
EOF
chmod 600 "$STATE/kubeconfig"

# ------------------------------------------- kube-controller-manager --
# Optional (started when the binary is available, E2E_KUBE_CONTROLLER_MANAGER=0
# disables it). Without it: no garbage collector (the k8s provider's default
# Foreground deletes hang on the foregroundDeletion finalizer), no namespace
# controller (deleted namespaces stay Terminating), no "default"
# ServiceAccounts (Pod creation is rejected by the ServiceAccount admission).
KCM_PID=""
if [[ "${E2E_KUBE_CONTROLLER_MANAGER:-1}" != 0 ]] && command -v kube-controller-manager >/dev/null; then
  log "starting kube-controller-manager"
  nohup kube-controller-manager \
    --kubeconfig="$STATE/kubeconfig" \
    --secure-port=0 --leader-elect=false \
    --service-account-private-key-file="$PKI/sa.key" \
    --root-ca-file="$PKI/ca.crt" \
    --use-service-account-credentials=false \
    > "$STATE/kube-controller-manager.log" 2>&1 < /dev/null &
  KCM_PID=$!
  echo "$KCM_PID" > "$STATE/kube-controller-manager.pid"
  # Ready once it has created the "default" ServiceAccount in "default".
  for _ in $(seq 1 120); do
    curl -skf -H "Authorization: Bearer $ADMIN_TOKEN" \
      "https://127.0.0.1:$APISERVER_PORT/api/v1/namespaces/default/serviceaccounts/default" >/dev/null 2>&1 && break
    kill -0 "$KCM_PID" 2>/dev/null || { log "kube-controller-manager died:"; tail -20 "$STATE/kube-controller-manager.log" >&2; break; }
    sleep 0.5
  done
fi

# Also kept in STATE/env, so that a later process (the sandbox's second run) can find this plane again.
cat > "$STATE/env" <<EOF
export E2E_KUBE_DIR='$STATE'
export KUBECONFIG='$STATE/kubeconfig'
export E2E_APISERVER_URL='https://127.0.0.1:$APISERVER_PORT'
export E2E_ETCD_PID=$ETCD_PID
export E2E_APISERVER_PID=$APISERVER_PID
export E2E_KCM_PID=$KCM_PID
EOF
cat "$STATE/env"
log "PIDs: etcd=$ETCD_PID kube-apiserver=$APISERVER_PID kube-controller-manager=${KCM_PID:-none}; stop with: scripts/kube-down.sh '$STATE'"
