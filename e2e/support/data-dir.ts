import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (two levels above this file). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

/** DATA_DIR as scripts/pbx.sh sees it: env DATA_DIR or `.data`, a relative path taken from the repository root. */
export function dataDir(): string {
  const dir = process.env.DATA_DIR ?? '.data';
  return isAbsolute(dir) ? dir : resolve(REPO_ROOT, dir);
}
