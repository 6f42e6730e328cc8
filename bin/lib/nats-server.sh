# NATS server for the side-by-side benchmarks (sourced by bin/bench).
#   nats_server_ensure   installs Debian's nats-server with apt-get when it is missing
#   nats_server_start    starts it on 127.0.0.1 on a free port; sets NATS_URL, NATS_PID, NATS_BIN
#   nats_server_stop     stops the server nats_server_start started (also run on exit)

source "$(dirname "${BASH_SOURCE[0]}")/peer-tools.sh"

nats_server_ensure() {
  NATS_BIN="$(command -v nats-server || true)"
  [[ -z "$NATS_BIN" && -x /usr/sbin/nats-server ]] && NATS_BIN=/usr/sbin/nats-server
  if [[ -n "$NATS_BIN" ]]; then
    return 0
  fi
  apt_install_peer bench nats-server || {
    echo "bench: install nats-server, or run without NATS (--vs zmq)." >&2
    return 1
  }
  NATS_BIN="$(command -v nats-server || echo /usr/sbin/nats-server)"
  [[ -x "$NATS_BIN" ]]
}

nats_server_start() {
  local port log
  port="$(free_tcp_port)" || { echo "bench: found no free port for nats-server" >&2; return 1; }
  log="$(mktemp -t nats-server.XXXXXX.log)"
  "$NATS_BIN" -a 127.0.0.1 -p "$port" >"$log" 2>&1 &
  NATS_PID=$!
  trap nats_server_stop EXIT
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      NATS_URL="nats://127.0.0.1:$port"
      echo "bench: nats-server $("$NATS_BIN" --version 2>&1 | awk '{print $2}') on $NATS_URL (pid $NATS_PID)" >&2
      return 0
    fi
    if ! kill -0 "$NATS_PID" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "bench: nats-server did not start on 127.0.0.1:$port; its log:" >&2
  cat "$log" >&2
  return 1
}

nats_server_stop() {
  if [[ -n "${NATS_PID:-}" ]] && kill -0 "$NATS_PID" 2>/dev/null; then
    kill "$NATS_PID" 2>/dev/null || true
    wait "$NATS_PID" 2>/dev/null || true
  fi
  NATS_PID=""
}
