#!/usr/bin/env bash
# kube-down.sh STATE_DIR [--keep] — stop the control plane (etcd, kube-apiserver, kube-controller-manager)
# started by kube-up.sh (only the PIDs recorded in STATE_DIR), then delete STATE_DIR unless --keep is given
# (logs are useful after a failed run).
set -euo pipefail
STATE="${1:-${E2E_KUBE_DIR:-}}"
[[ -n "$STATE" && -d "$STATE" ]] || { echo "usage: kube-down.sh STATE_DIR [--keep]" >&2; exit 2; }
KEEP="${2:-}"

stop_pid() {  # TERM, wait up to 15 s, then KILL
  local f="$STATE/$1.pid" pid
  [[ -f "$f" ]] || return 0
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 75); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    echo "[kube-down] stopped $1 (pid $pid)" >&2
  fi
  rm -f "$f"
}
# controllers, then apiserver, then etcd: each one's dependency goes last
stop_pid kube-controller-manager
stop_pid kube-apiserver
stop_pid etcd
if [[ "$KEEP" != "--keep" ]]; then rm -rf "$STATE"; fi
