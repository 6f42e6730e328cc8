# Shared by the scripts that run peer systems for benchmarks (bin/lib/etcd.sh, bin/lib/nats-server.sh).
#   apt_install_peer WHO PACKAGE   installs a Debian package with apt-get (through sudo when not
#                                  root), running `apt-get update` once if the first try fails;
#                                  messages are prefixed with WHO
#   free_tcp_port                  prints a TCP port on 127.0.0.1 that nothing listens on

apt_install_peer() {
  local who="$1" package="$2"
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$who: $package is not installed and there is no apt-get to install it." >&2
    return 1
  fi
  local sudo=""
  if [[ "$(id -u)" != 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "$who: $package is missing and installing it needs root (apt-get install $package)." >&2
      return 1
    fi
  fi
  echo "$who: installing $package (apt-get install $package)..." >&2
  if ! $sudo apt-get install -y -q "$package" >&2; then
    $sudo apt-get update -q >&2 && $sudo apt-get install -y -q "$package" >&2 || {
      echo "$who: apt-get could not install $package." >&2
      return 1
    }
  fi
}

free_tcp_port() {
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
