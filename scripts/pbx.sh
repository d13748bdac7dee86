#!/usr/bin/env bash
# Dev PBX control: Kamailio with SIP over WebSocket, rendered from pbx/kamailio.cfg.
# Usage: scripts/pbx.sh start|stop|restart|status
# Env (all optional): PBX_HOST, PBX_WS_PORT, SIP_DOMAIN, MAIN_LINE_NUMBER, RECORDED_LINE_HEADER,
# PAYMENT_LINE_NUMBER, SIP_SHARED_SECRET (else read from/generated into $DATA_DIR/sip-shared-secret), DATA_DIR.
# A relative DATA_DIR is taken relative to the repository root. Runtime files live in $DATA_DIR/pbx/.
set -euo pipefail
umask 077

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT_DIR"

PBX_HOST="${PBX_HOST:-127.0.0.1}"
PBX_WS_PORT="${PBX_WS_PORT:-8088}"
SIP_DOMAIN="${SIP_DOMAIN:-advisorphone.test}"
MAIN_LINE_NUMBER="${MAIN_LINE_NUMBER:-5000}"
RECORDED_LINE_HEADER="${RECORDED_LINE_HEADER:-X-Recorded-Line}"
PAYMENT_LINE_NUMBER="${PAYMENT_LINE_NUMBER:-7000}"
DATA_DIR="${DATA_DIR:-.data}"
case "$DATA_DIR" in /*) ;; *) DATA_DIR="$ROOT_DIR/$DATA_DIR" ;; esac
RUN_DIR="$DATA_DIR/pbx"
CFG_FILE="$RUN_DIR/kamailio.cfg"
PID_FILE="$RUN_DIR/kamailio.pid"
LOG_FILE="$RUN_DIR/kamailio.log"
SECRET_FILE="$DATA_DIR/sip-shared-secret"
INSTALL_CMD="apt-get -o DPkg::Lock::Timeout=600 install -y kamailio kamailio-websocket-modules kamailio-autheph-modules"

die() {
  echo "pbx: $*" >&2
  exit 1
}

validate() {
  [[ "$PBX_HOST" =~ ^[A-Za-z0-9.:_-]+$ ]] || die "bad PBX_HOST: $PBX_HOST"
  [[ "$PBX_WS_PORT" =~ ^[0-9]+$ ]] || die "bad PBX_WS_PORT: $PBX_WS_PORT"
  [[ "$SIP_DOMAIN" =~ ^[A-Za-z0-9.-]+$ ]] || die "bad SIP_DOMAIN: $SIP_DOMAIN"
  [[ "$MAIN_LINE_NUMBER" =~ ^[0-9A-Za-z*#+_.-]+$ ]] || die "bad MAIN_LINE_NUMBER: $MAIN_LINE_NUMBER"
  [[ "$PAYMENT_LINE_NUMBER" =~ ^[0-9A-Za-z*#+_.-]+$ ]] || die "bad PAYMENT_LINE_NUMBER: $PAYMENT_LINE_NUMBER"
  [[ "$RECORDED_LINE_HEADER" =~ ^[A-Za-z0-9-]+$ ]] || die "bad RECORDED_LINE_HEADER: $RECORDED_LINE_HEADER"
}

module_dir() {
  local dir
  for dir in /usr/lib/*/kamailio/modules /usr/lib/kamailio/modules /usr/lib64/kamailio/modules; do
    if [[ -f "$dir/websocket.so" && -f "$dir/auth_ephemeral.so" && -f "$dir/xhttp.so" ]]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

ensure_kamailio() {
  if command -v kamailio >/dev/null 2>&1 && module_dir >/dev/null; then
    return 0
  fi
  if [[ "$(id -u)" != "0" ]]; then
    echo "pbx: Kamailio or its websocket/auth_ephemeral modules are missing. Install them as root with:" >&2
    echo "$INSTALL_CMD" >&2
    exit 1
  fi
  echo "pbx: installing Kamailio packages" >&2
  # shellcheck disable=SC2086
  if ! DEBIAN_FRONTEND=noninteractive $INSTALL_CMD; then
    apt-get -o DPkg::Lock::Timeout=600 update
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $INSTALL_CMD
  fi
  module_dir >/dev/null || die "Kamailio modules still missing after install"
}

# Same rule as the app server: env SIP_SHARED_SECRET, else the file (one line of hex), generated if missing.
shared_secret() {
  if [[ -n "${SIP_SHARED_SECRET:-}" ]]; then
    printf '%s' "$SIP_SHARED_SECRET"
    return 0
  fi
  mkdir -p "$DATA_DIR"
  if [[ ! -s "$SECRET_FILE" ]]; then
    local tmp
    tmp="$(mktemp "$DATA_DIR/.sip-shared-secret.XXXXXX")"
    chmod 600 "$tmp"
    od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$tmp"
    echo >>"$tmp"
    # ln fails if another process created the file first: keep theirs.
    ln "$tmp" "$SECRET_FILE" 2>/dev/null || true
    rm -f "$tmp"
  fi
  head -n 1 "$SECRET_FILE" | tr -d '\r\n'
}

render_cfg() {
  local secret mdir
  secret="$(shared_secret)"
  [[ "$secret" =~ ^[A-Za-z0-9+/=_.-]+$ ]] || die "SIP shared secret must be hex (or base64/url-safe characters)"
  mdir="$(module_dir)"
  mkdir -p "$RUN_DIR"
  local tmp="$CFG_FILE.tmp"
  sed -e "s|@PBX_HOST@|$PBX_HOST|g" \
    -e "s|@PBX_WS_PORT@|$PBX_WS_PORT|g" \
    -e "s|@SIP_DOMAIN@|$SIP_DOMAIN|g" \
    -e "s|@MAIN_LINE_NUMBER@|$MAIN_LINE_NUMBER|g" \
    -e "s|@RECORDED_LINE_HEADER@|$RECORDED_LINE_HEADER|g" \
    -e "s|@PAYMENT_LINE_NUMBER@|$PAYMENT_LINE_NUMBER|g" \
    -e "s|@SIP_SHARED_SECRET@|$secret|g" \
    -e "s|@MODULE_DIR@|$mdir|g" \
    "$ROOT_DIR/pbx/kamailio.cfg" >"$tmp"
  chmod 600 "$tmp"
  mv "$tmp" "$CFG_FILE"
}

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(tr -dc '0-9' <"$PID_FILE")"
  [[ -n "$pid" ]] || return 1
  if kill -0 "$pid" 2>/dev/null && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == kamailio* ]]; then
    echo "$pid"
    return 0
  fi
  return 1
}

port_open() {
  (exec 3<>"/dev/tcp/$PBX_HOST/$PBX_WS_PORT") 2>/dev/null
}

cmd_start() {
  validate
  if pid="$(running_pid)"; then
    echo "pbx: already running (pid $pid) on ws://$PBX_HOST:$PBX_WS_PORT"
    return 0
  fi
  rm -f "$PID_FILE"
  ensure_kamailio
  render_cfg
  if port_open; then
    die "port $PBX_HOST:$PBX_WS_PORT is already in use by another process (another PBX with a different DATA_DIR?); set PBX_WS_PORT to use another port"
  fi
  if ! kamailio -c -f "$CFG_FILE" >"$LOG_FILE" 2>&1; then
    tail -n 40 "$LOG_FILE" >&2
    die "configuration check failed (see $LOG_FILE)"
  fi
  : >"$LOG_FILE"
  chmod 600 "$LOG_FILE"
  # -DD: stay in the foreground of our own background job (no init system here); -E: log to stderr -> file.
  setsid kamailio -DD -E -f "$CFG_FILE" -P "$PID_FILE" -Y "$RUN_DIR" -w "$RUN_DIR" -m 64 -M 8 \
    </dev/null >>"$LOG_FILE" 2>&1 &
  # Kamailio writes the pid file itself (and refuses to start if it names a live process).
  local child=$!
  local i
  for ((i = 0; i < 100; i++)); do
    if ! kill -0 "$child" 2>/dev/null; then
      tail -n 40 "$LOG_FILE" >&2
      die "kamailio exited during start (see $LOG_FILE)"
    fi
    if [[ -s "$PID_FILE" ]] && port_open; then
      echo "pbx: started (pid $child) on ws://$PBX_HOST:$PBX_WS_PORT domain $SIP_DOMAIN, log $LOG_FILE"
      return 0
    fi
    sleep 0.1
  done
  tail -n 40 "$LOG_FILE" >&2
  kill "$child" 2>/dev/null || true
  die "WebSocket port $PBX_HOST:$PBX_WS_PORT did not open within 10 s (see $LOG_FILE)"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    echo "pbx: not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 100; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      echo "pbx: stopped (pid $pid)"
      return 0
    fi
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  # Children share the process group started by setsid.
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
  echo "pbx: killed (pid $pid)"
}

cmd_status() {
  local pid
  if pid="$(running_pid)" && port_open; then
    echo "pbx: running (pid $pid) on ws://$PBX_HOST:$PBX_WS_PORT"
    return 0
  fi
  echo "pbx: not running"
  return 1
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart)
    cmd_stop
    cmd_start
    ;;
  status) cmd_status ;;
  *)
    echo "usage: $0 start|stop|restart|status" >&2
    exit 2
    ;;
esac
