#!/usr/bin/env bash
# npm run demo: set up, start the dev PBX, build if needed, seed demo users, run the server in the foreground.
# Ctrl-C stops the server and the PBX.
set -euo pipefail
cd "$(dirname "$0")/.."

export PORT="${PORT:-3000}"
export HOST="${HOST:-0.0.0.0}"
export ORIGIN="${ORIGIN:-http://localhost:$PORT}"
export DATA_DIR="${DATA_DIR:-.data}"
PASSWORD='demo-pass-1'

# name|role|team|extension|display name|what to try
USERS=(
  'alice|advisor|north|1001|Alice Archer|log in as alice in one tab, as tom in another and dial 5000 (the main line)'
  'bob|advisor|north|1002|Bob Baker|second advisor: 5000 rings him too; dial 1001 direct: NOT RECORDED'
  'carol|advisor|south|1003|Carol Cole|other team: tom cannot see her recordings (403)'
  'tom|team_leader|north|2001|Tom Turner|dial 5000 as the caller; search and play team north'"'"'s recordings at /recordings'
  'sue|supervisor||2002|Sue Sharp|any team'"'"'s recordings at /recordings: play with a purpose, place and release legal holds'
  'dana|dpo|||Dana Doyle|subject access cases at /sar (find, export, close); erase at /recordings; npm run audit:verify'
  'adam|admin|||Adam Adams|manage users, teams and extensions with npm run users'
)

bash scripts/setup.sh

server_pid=''
cleanup() {
  trap - EXIT INT TERM
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  bash scripts/pbx.sh stop || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bash scripts/pbx.sh start

build_inputs=()
for f in src static svelte.config.js vite.config.ts package-lock.json; do
  [ -e "$f" ] && build_inputs+=("$f")
done
if [ ! -f build/index.js ] || [ -n "$(find "${build_inputs[@]}" -newer build/index.js -print -quit)" ]; then
  npm run build
fi

# Seed demo users; existing ones are kept as they are (passwords too).
existing=$(npm run --silent users -- list | awk 'NR > 1 { print $1 }')
for row in "${USERS[@]}"; do
  IFS='|' read -r name role team ext display _ <<<"$row"
  if grep -qxF "$name" <<<"$existing"; then
    echo "demo: user $name exists, kept"
    continue
  fi
  args=(add "$name" --role "$role" --display-name "$display")
  [ -n "$team" ] && args+=(--team "$team")
  [ -n "$ext" ] && args+=(--extension "$ext")
  printf '%s\n' "$PASSWORD" | npm run --silent users -- "${args[@]}"
done

echo
echo "Advisor Phone demo: $ORIGIN"
echo "Every demo user's password: $PASSWORD"
echo
fmt='  %-6s %-12s %-9s %s\n'
# shellcheck disable=SC2059
printf "$fmt" user role extension 'what to try'
for row in "${USERS[@]}"; do
  IFS='|' read -r name role _ ext _ try <<<"$row"
  # shellcheck disable=SC2059
  printf "$fmt" "$name" "$role" "${ext:--}" "$try"
done
echo
echo 'Try: log in as alice in one tab, as tom in another and dial 5000 (the main line).'
echo 'Ctrl-C stops the server and the PBX.'
echo

node build/index.js &
server_pid=$!

probe_host=$HOST
case "$HOST" in 0.0.0.0 | '::' | '[::]') probe_host=127.0.0.1 ;; esac
for ((i = 0; ; i++)); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo 'demo: the server exited during start' >&2
    exit 1
  fi
  if node -e 'fetch(process.argv[1]).then(() => process.exit(0), () => process.exit(1))' \
    "http://$probe_host:$PORT/" 2>/dev/null; then
    break
  fi
  if ((i >= 100)); then
    echo "demo: the server did not answer on port $PORT within 30 s" >&2
    exit 1
  fi
  sleep 0.3
done
echo "ready: $ORIGIN"

wait "$server_pid"
