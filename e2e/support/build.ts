import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './data-dir';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return newest;
}

/**
 * Runs `npm run build` when build/index.js is missing or older than anything in src/, under a lock shared by
 * every builder (end-to-end setup, HTTP tests, benchmarks), so that no suite measures a stale build and two
 * never write build/ at once. `npm test` builds first, so there it only checks.
 */
export function ensureBuilt(): void {
  const entry = join(REPO_ROOT, 'build', 'index.js');
  if (existsSync(entry) && statSync(entry).mtimeMs >= newestMtime(join(REPO_ROOT, 'src'))) return;
  execFileSync('flock', ['/tmp/advisor-phone-build.lock', 'npm', 'run', 'build'], {
    cwd: REPO_ROOT,
    stdio: 'ignore'
  });
}
