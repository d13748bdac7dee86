#!/usr/bin/env bash
# The strict gate: setup, then every suite in order, continuing past failures, then one summary line.
# Counting rules live in scripts/test-summary.ts. The last line printed is `N passed, N failed[, N skipped]`.
set -euo pipefail
cd "$(dirname "$0")/.."

out=.run/test
rm -rf "$out"
mkdir -p "$out"
steps="$out/steps.tsv"
: >"$steps"

if ! bash scripts/setup.sh; then
  echo 'setup failed; no suite was run'
  echo '0 passed, 1 failed'
  exit 1
fi

# run_step NAME KIND REPORT CMD...: runs CMD, streams its output, records its exit code and duration.
run_step() {
  local name=$1 kind=$2 report=$3 start rc=0
  shift 3
  echo
  echo "=== $name: $*"
  start=$(date +%s.%N)
  "$@" || rc=$?
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$kind" "$rc" "$report" \
    "$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')" >>"$steps"
}

playwright() {
  if ! compgen -G 'playwright.config.*' >/dev/null; then
    echo 'no playwright.config.* in the repo root; e2e suite not set up' >&2
    return 1
  fi
  PLAYWRIGHT_JSON_OUTPUT_FILE="$out/playwright.json" npx playwright test --reporter=list,json
}

run_step prettier check '' npx prettier --check .
run_step eslint check '' npx eslint .
run_step svelte-check check '' \
  bash -c 'npx svelte-kit sync && npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings'
run_step vitest vitest "$out/vitest.json" \
  npx vitest run --reporter=default --reporter=json --outputFile.json="$out/vitest.json"
run_step build check '' npm run --silent build
run_step playwright playwright "$out/playwright.json" playwright

echo
npx tsx scripts/test-summary.ts "$steps"
