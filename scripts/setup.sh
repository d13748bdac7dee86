#!/usr/bin/env bash
# Makes a fresh clone ready: npm packages, Debian packages, SvelteKit's generated types.
# Fast (well under 2 s) when everything is already present.
set -euo pipefail
cd "$(dirname "$0")/.."

# npm packages: install from the lock file when node_modules is missing or older than the lock.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo 'setup: npm ci'
  log=$(mktemp)
  if ! npm ci 2>&1 | tee "$log"; then
    if grep -q 'Missing napi-windows-process-start-time' "$log"; then
      echo 'setup: hint: vite must stay pinned at exactly 8.3.8; re-pin it with:' >&2
      echo '  flock /tmp/npm.lock npm i -D -E vite@8.3.8' >&2
    fi
    rm -f "$log"
    echo 'setup: npm ci failed' >&2
    exit 1
  fi
  rm -f "$log"
fi

# Debian packages, listed once in scripts/debian-packages.txt.
missing=()
while read -r pkg; do
  [ -z "$pkg" ] && continue
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = 'install ok installed' ] || missing+=("$pkg")
done < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' scripts/debian-packages.txt)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo 'setup: run this, then run the command again:' >&2
    echo "  sudo apt-get update && sudo apt-get -o DPkg::Lock::Timeout=600 install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing Debian packages: ${missing[*]}"
  apt-get -o DPkg::Lock::Timeout=600 update
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y "${missing[@]}"
fi

# SvelteKit's generated types and tsconfig (.svelte-kit/). Sync takes ~2 s, so it only runs when something it
# reads changed since the last run (routes, params, app.d.ts, config files).
stamp=.svelte-kit/.setup-synced
inputs=()
for f in src/routes src/params src/app.d.ts src/app.html svelte.config.js vite.config.ts tsconfig.json package.json; do
  [ -e "$f" ] && inputs+=("$f")
done
if [ ! -f "$stamp" ] || [ ! -f .svelte-kit/tsconfig.json ] || [ -n "$(find "${inputs[@]}" -newer "$stamp" -print -quit)" ]; then
  npx svelte-kit sync
  touch "$stamp"
fi
