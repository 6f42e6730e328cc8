# NATS server for the side-by-side benchmarks (sourced by bin/bench).
#   nats_server_ensure   installs Debian's nats-server with apt-get when it is missing
#   nats_server_start    starts it on 127.0.0.1 on a free port; sets NATS_URL, NATS_PID, NATS_BIN
#   nats_server_stop     stops the server nats_server_start started (also run on exit)

nats_server_ensure() {
  NATS_BIN="$(command -v nats-server || true)"
  [[ -z "$NATS_BIN" && -x /usr/sbin/nats-server ]] && NATS_BIN=/usr/sbin/nats-server
  if [[ -n "$NATS_BIN" ]]; then
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "bench: nats-server is not installed and there is no apt-get to install it;" >&2
    echo "bench: install nats-server, or run without NATS (--vs zmq)." >&2
    return 1
  fi
  local sudo=""
  if [[ "$(id -u)" != 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "bench: nats-server is missing and installing it needs root (apt-get install nats-server)." >&2
      return 1
    fi
  fi
  echo "bench: installing nats-server (apt-get install nats-server)..." >&2
  if ! $sudo apt-get install -y -q nats-server >&2; then
    $sudo apt-get update -q >&2 && $sudo apt-get install -y -q nats-server >&2 || {
      echo "bench: apt-get could not install nats-server." >&2
      return 1
    }
  fi
  NATS_BIN="$(command -v nats-server || echo /usr/sbin/nats-server)"
  [[ -x "$NATS_BIN" ]]
}

nats_server_free_port() { # a TCP port nothing listens on, from the kernel's ephemeral range
  local port
  for _ in $(seq 1 100); do
    port=$(( 20000 + RANDOM % 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

nats_server_start() {
  local port log
  port="$(nats_server_free_port)" || { echo "bench: found no free port for nats-server" >&2; return 1; }
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
