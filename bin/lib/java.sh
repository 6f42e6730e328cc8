# Finds a JDK >= 21 and sets JAVA to its java binary, or explains and exits.
# Sourced by the scripts in bin/; never hard-codes one machine's path.
MIN_JAVA=21
java_major() { # prints the feature version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

find_java() {
  local candidates=()
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  local dir
  for dir in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [[ -x "$dir/bin/java" ]] && candidates+=("$dir/bin/java")
  done
  local best="" best_version=0 candidate version
  for candidate in "${candidates[@]}"; do
    version="$(java_major "$candidate" || true)"
    [[ "$version" =~ ^[0-9]+$ ]] || continue
    if (( version >= MIN_JAVA && version > best_version )); then
      best="$candidate"; best_version="$version"
    fi
  done
  [[ -n "$best" ]] && echo "$best"
}

JAVA="$(find_java || true)"
if [[ -z "$JAVA" ]]; then
  echo "iridium: needs a JDK $MIN_JAVA or newer, and found none (looked at JAVA_HOME, PATH and /usr/lib/jvm)." >&2
  echo "iridium: install one (for example: apt-get install openjdk-21-jdk) or set JAVA_HOME." >&2
  exit 1
fi


# Options for running Iridium on $JAVA. Netty loads its native transport (epoll) through
# System.loadLibrary: allow it, so that newer JDKs do not warn on every start. From JDK 23 on,
# sun.misc.Unsafe's memory access is refused unless allowed; without it Netty's buffers fall back
# to slower ByteBuffer paths (measured: about a third fewer messages per second on the publish
# path), so allow it too.
# Netty may also allocate direct memory without zeroing it (through Unsafe instead of
# ByteBuffer.allocateDirect, which zeroes every new 4 MiB arena chunk: 8.7% of a busy publisher's
# event loop), once it may open DirectByteBuffer's private constructor.
JAVA_MAJOR="$(java_major "$JAVA")"
JAVA_RUNTIME_OPTS=(--enable-native-access=ALL-UNNAMED)
if (( JAVA_MAJOR >= 23 )); then
  JAVA_RUNTIME_OPTS+=(--sun-misc-unsafe-memory-access=allow)
fi
JAVA_RUNTIME_OPTS+=(--add-opens=java.base/java.nio=ALL-UNNAMED -Dio.netty.tryReflectionSetAccessible=true)
