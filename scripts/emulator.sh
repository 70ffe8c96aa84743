#!/usr/bin/env bash
# A local AWS endpoint (moto server) for the integration suite, built from Debian packages.
#
#   scripts/emulator.sh install         install once into .emulator/ (needs root and apt on Debian 12)
#   scripts/emulator.sh start [NAME]    install if needed, start on 127.0.0.1:<free port>, print the endpoint
#   scripts/emulator.sh stop [NAME]     stop the server started under NAME (by its PID only)
#   scripts/emulator.sh status [NAME]   print the endpoint and exit 0, or exit 3 when not running
#   scripts/emulator.sh check           exit 0 when `start` can provide an endpoint, else print why and exit 2
#   scripts/emulator.sh mirror          print the Debian mirror read from the system's apt sources
#
# Why Debian packages: Debian 12 has no moto; Debian 13 (trixie) has python3-moto 5.1.1, which
# runs on Debian 12's python3. Its .debs are fetched with a PRIVATE apt configuration (trixie on
# the same mirror as this machine's Debian sources) and unpacked into the cache; nothing is added
# to the system's apt sources. The rest comes from Debian 12 with `apt-get install`.
# With AWS_ENDPOINT_URL set (LocalStack, or moto run by other means), that endpoint is used and
# nothing is installed or started.
set -euo pipefail

PROJECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE_DIR=${KMS_PATTERNS_EMULATOR_DIR:-$PROJECT_DIR/.emulator}
RUN_DIR=$CACHE_DIR/run
PYTHON=/usr/bin/python3
# Bump when the package lists change, so cached installs are redone.
CACHE_VERSION=1

DEBIAN12_PACKAGES=(python3-boto3 python3-botocore python3-cryptography python3-requests
  python3-xmltodict python3-jinja2 python3-dateutil python3-yaml python3-flask python3-flask-cors
  python3-werkzeug python3-responses python3-pyparsing python3-blinker python3-click
  python3-itsdangerous python3-markupsafe)
# The Debian 13 copies take precedence on PYTHONPATH where both exist.
DEBIAN13_PACKAGES=(python3-moto python3-responses python3-werkzeug python3-flask python3-flask-cors
  python3-jsonpath-ng python3-pyparsing python3-jsondiff python3-multipart python3-joserfc)

log() { echo "emulator: $*" >&2; }
die() { log "$*"; exit 1; }

python_path() { echo "$CACHE_DIR/root/usr/lib/python3/dist-packages:$CACHE_DIR/stubs"; }

missing_debian12_packages() {
  local pkg
  for pkg in "${DEBIAN12_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed$' || echo "$pkg"
  done
}

# Why `start` cannot provide an endpoint here, or nothing when it can.
unavailable_reason() {
  [ -n "${AWS_ENDPOINT_URL:-}" ] && return 0
  command -v dpkg-query >/dev/null 2>&1 || { echo "no dpkg: the emulator is built from Debian packages (Debian 12); set AWS_ENDPOINT_URL to use a running endpoint"; return 0; }
  [ -x "$PYTHON" ] || [ "$(id -u)" = 0 ] || { echo "no $PYTHON and not root, so python3 cannot be installed with apt-get"; return 0; }
  if [ -f "$CACHE_DIR/installed" ] && [ "$(cat "$CACHE_DIR/installed")" = "$CACHE_VERSION" ] && [ -z "$(missing_debian12_packages)" ]; then
    return 0
  fi
  command -v apt-get >/dev/null 2>&1 || { echo "no apt-get to install the emulator's Debian packages"; return 0; }
  local missing
  missing=$(missing_debian12_packages | tr '\n' ' ')
  [ -z "$missing" ] || [ "$(id -u)" = 0 ] || { echo "installing the emulator needs root to apt-get install: $missing"; return 0; }
  [ -n "$(debian_mirror)" ] || { echo "no Debian mirror in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list"; return 0; }
}

# The mirror URI of this machine's main Debian archive (not the security archive).
debian_mirror() {
  local uri=''
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\//) { if ($i !~ /security/) print $i; break } }' /etc/apt/sources.list | head -n 1)
  fi
  echo "$uri"
}

install_debian12_packages() {
  local missing
  missing=$(missing_debian12_packages)
  [ -z "$missing" ] && return 0
  [ "$(id -u)" = 0 ] || die "needs root to apt-get install:" $missing
  log "apt-get install (Debian 12):" $missing
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  if ! apt-get install -y --no-install-recommends $missing >"$CACHE_DIR/apt-install.log" 2>&1; then
    log "package lists are stale or empty: apt-get update"
    apt-get update >>"$CACHE_DIR/apt-install.log" 2>&1 || die "apt-get update failed, see $CACHE_DIR/apt-install.log"
    # shellcheck disable=SC2086
    apt-get install -y --no-install-recommends $missing >>"$CACHE_DIR/apt-install.log" 2>&1 || die "apt-get install failed, see $CACHE_DIR/apt-install.log"
  fi
}

fetch_debian13_packages() {
  local mirror apt_dir deb
  mirror=$(debian_mirror)
  [ -n "$mirror" ] || die "no Debian mirror found in the system's apt sources"
  apt_dir=$CACHE_DIR/apt
  rm -rf "$apt_dir" "$CACHE_DIR/root"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs" "$CACHE_DIR/root"
  echo "deb $mirror trixie main" >"$apt_dir/sources.list"
  local opts=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o Dir::Etc::sourceparts=/nonexistent
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o "APT::Sandbox::User=$(id -un)")
  log "fetching Debian 13 packages from $mirror (private apt configuration)"
  apt-get "${opts[@]}" update >"$CACHE_DIR/apt-trixie.log" 2>&1 || die "apt-get update (trixie) failed, see $CACHE_DIR/apt-trixie.log"
  (cd "$apt_dir/debs" && apt-get "${opts[@]}" download "${DEBIAN13_PACKAGES[@]}") >>"$CACHE_DIR/apt-trixie.log" 2>&1 \
    || die "apt-get download (trixie) failed, see $CACHE_DIR/apt-trixie.log"
  for deb in "$apt_dir/debs"/*.deb; do dpkg -x "$deb" "$CACHE_DIR/root"; done
  # The package index is only needed for the download.
  rm -rf "$apt_dir/lists" "$apt_dir/cache"
}

# moto imports openapi_spec_validator for API Gateway only; the real one needs a Python 3.13 binary.
write_stub() {
  local pkg=$CACHE_DIR/stubs/openapi_spec_validator
  mkdir -p "$pkg/validation"
  cat >"$pkg/__init__.py" <<'EOF'
"""Stub: moto imports this for API Gateway only, which the integration suite does not use."""


def validate(*args, **kwargs):
    return None


def validate_spec(*args, **kwargs):
    return None
EOF
  : >"$pkg/validation/__init__.py"
  echo 'class OpenAPIValidationError(Exception): pass' >"$pkg/validation/exceptions.py"
}

cmd_install() {
  [ -n "${AWS_ENDPOINT_URL:-}" ] && { log "AWS_ENDPOINT_URL is set: nothing to install"; return 0; }
  local reason
  reason=$(unavailable_reason)
  [ -z "$reason" ] || die "$reason"
  mkdir -p "$CACHE_DIR"
  # On a fresh clone several test files start the emulator at the same moment: one installs while
  # the others wait for it (two apt-gets, or one wiping the other's root/, would fail both).
  ( flock 9 && install_once ) 9>"$CACHE_DIR/install.lock" || exit 1
}

install_once() {
  install_debian12_packages
  if [ -f "$CACHE_DIR/installed" ] && [ "$(cat "$CACHE_DIR/installed")" = "$CACHE_VERSION" ]; then
    return 0
  fi
  rm -f "$CACHE_DIR/installed"
  fetch_debian13_packages
  write_stub
  PYTHONPATH=$(python_path) "$PYTHON" -c 'import moto.server' || die "moto does not import; see above"
  echo "$CACHE_VERSION" >"$CACHE_DIR/installed"
  log "installed into $CACHE_DIR"
}

pid_file() { echo "$RUN_DIR/${1:-default}.pid"; }
port_file() { echo "$RUN_DIR/${1:-default}.port"; }

# The PID of the server started under NAME, when that process is still our moto server.
running_pid() {
  local pid
  pid=$(cat "$(pid_file "$1")" 2>/dev/null) || return 1
  [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'moto.server' || return 1
  echo "$pid"
}

answers() {
  "$PYTHON" - "$1" <<'EOF' >/dev/null 2>&1
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen("http://127.0.0.1:%s/moto-api/" % sys.argv[1], timeout=1)
except urllib.error.HTTPError:
    pass
EOF
}

free_port() {
  "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

cmd_start() {
  local name=${1:-default} pid port
  if [ -n "${AWS_ENDPOINT_URL:-}" ]; then echo "$AWS_ENDPOINT_URL"; return 0; fi
  if pid=$(running_pid "$name"); then
    echo "http://127.0.0.1:$(cat "$(port_file "$name")")"
    return 0
  fi
  cmd_install
  mkdir -p "$RUN_DIR"
  port=$(free_port)
  # setsid + redirections: the server outlives this script and holds none of its caller's pipes.
  PYTHONPATH=$(python_path) setsid "$PYTHON" -m moto.server -H 127.0.0.1 -p "$port" \
    </dev/null >"$RUN_DIR/$name.log" 2>&1 &
  pid=$!
  echo "$pid" >"$(pid_file "$name")"
  echo "$port" >"$(port_file "$name")"
  local tries
  for tries in $(seq 1 100); do
    if answers "$port"; then
      log "moto server $name listening on 127.0.0.1:$port (pid $pid)"
      echo "http://127.0.0.1:$port"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  tail -n 20 "$RUN_DIR/$name.log" >&2 || true
  kill "$pid" 2>/dev/null || true
  rm -f "$(pid_file "$name")" "$(port_file "$name")"
  die "moto server did not answer on 127.0.0.1:$port"
}

cmd_stop() {
  local name=${1:-default} pid
  [ -n "${AWS_ENDPOINT_URL:-}" ] && return 0
  if pid=$(running_pid "$name"); then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    log "stopped moto server $name (pid $pid)"
  fi
  rm -f "$(pid_file "$name")" "$(port_file "$name")"
}

cmd_status() {
  local name=${1:-default} pid
  if [ -n "${AWS_ENDPOINT_URL:-}" ]; then echo "$AWS_ENDPOINT_URL (AWS_ENDPOINT_URL)"; return 0; fi
  if pid=$(running_pid "$name"); then
    echo "http://127.0.0.1:$(cat "$(port_file "$name")") (pid $pid)"
    return 0
  fi
  echo "not running"
  return 3
}

cmd_check() {
  local reason
  reason=$(unavailable_reason)
  [ -z "$reason" ] && return 0
  echo "$reason"
  return 2
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start "${2:-}" ;;
  stop) cmd_stop "${2:-}" ;;
  status) cmd_status "${2:-}" ;;
  check) cmd_check ;;
  mirror) debian_mirror ;;
  *) echo "usage: $0 install | start [NAME] | stop [NAME] | status [NAME] | check | mirror" >&2; exit 64 ;;
esac
