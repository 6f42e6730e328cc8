# etcd for the consensus benchmark (sourced by bin/bench-etcd).
#   etcd_ensure   installs Debian's etcd-server with apt-get when etcd is missing
#   etcd_start    starts three members on 127.0.0.1 on free ports, each with its own data
#                 directory and etcd's default fsync; sets ETCD_ENDPOINTS (comma-separated client
#                 URLs) and ETCD_PIDS
#   etcd_stop     stops the members etcd_start started and removes their data (also run on exit)

source "$(dirname "${BASH_SOURCE[0]}")/peer-tools.sh"

etcd_ensure() {
  ETCD_BIN="$(command -v etcd || true)"
  [[ -z "$ETCD_BIN" && -x /usr/bin/etcd ]] && ETCD_BIN=/usr/bin/etcd
  [[ -n "$ETCD_BIN" ]] && return 0
  apt_install_peer bench-etcd etcd-server || return 1
  ETCD_BIN="$(command -v etcd || echo /usr/bin/etcd)"
  [[ -x "$ETCD_BIN" ]]
}

etcd_start() {
  ETCD_DIR="$(mktemp -d -t etcd-bench.XXXXXX)"
  ETCD_PIDS=()
  local names=(e1 e2 e3) client=() peer=() cluster="" i
  for i in 0 1 2; do
    client[$i]="$(free_tcp_port)" && peer[$i]="$(free_tcp_port)" || { echo "bench-etcd: no free port" >&2; return 1; }
    cluster+="${cluster:+,}${names[$i]}=http://127.0.0.1:${peer[$i]}"
  done
  trap etcd_stop EXIT
  for i in 0 1 2; do
    "$ETCD_BIN" --name "${names[$i]}" --data-dir "$ETCD_DIR/${names[$i]}" \
      --listen-client-urls "http://127.0.0.1:${client[$i]}" --advertise-client-urls "http://127.0.0.1:${client[$i]}" \
      --listen-peer-urls "http://127.0.0.1:${peer[$i]}" --initial-advertise-peer-urls "http://127.0.0.1:${peer[$i]}" \
      --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token iridium-bench \
      >"$ETCD_DIR/${names[$i]}.log" 2>&1 &
    ETCD_PIDS+=($!)
  done
  ETCD_ENDPOINTS=""
  for i in 0 1 2; do
    ETCD_ENDPOINTS+="${ETCD_ENDPOINTS:+,}http://127.0.0.1:${client[$i]}"
  done
  local url
  for _ in $(seq 1 150); do
    local healthy=0
    for url in ${ETCD_ENDPOINTS//,/ }; do
      if curl -fsS "$url/health" 2>/dev/null | grep -q '"health":"true"'; then healthy=$((healthy + 1)); fi
    done
    if [[ $healthy == 3 ]]; then
      echo "bench-etcd: etcd $("$ETCD_BIN" --version | head -1 | awk '{print $3}') members at $ETCD_ENDPOINTS (pids ${ETCD_PIDS[*]}), data in $ETCD_DIR" >&2
      return 0
    fi
    sleep 0.2
  done
  echo "bench-etcd: etcd did not become healthy; its logs:" >&2
  tail -5 "$ETCD_DIR"/*.log >&2
  return 1
}

etcd_stop() {
  local pid
  for pid in "${ETCD_PIDS[@]:-}"; do
    [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${ETCD_PIDS[@]:-}"; do
    [[ -n "$pid" ]] && wait "$pid" 2>/dev/null || true
  done
  ETCD_PIDS=()
  [[ -n "${ETCD_DIR:-}" && -d "$ETCD_DIR" ]] && rm -rf "$ETCD_DIR"
  ETCD_DIR=""
}
