import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDataDirDatabase } from '../../src/lib/server/db/open-database';
import { seedRecording, seedUser } from './recording-fixtures';

const ROOT = resolve(import.meta.dirname, '..', '..');

function sweepCli(dataDir: string, ...args: string[]) {
  return spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/sweep.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: dataDir, SIP_SHARED_SECRET: 'a'.repeat(64), RETENTION_DAYS: '90' },
    timeout: 60_000
  });
}

describe('npm run sweep', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ap-sweep-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'prints a JSON summary, honours --now and --dry-run, and refuses bad arguments',
    { timeout: 60_000 },
    async () => {
      const db = openDataDirDatabase(dir);
      const advisor = seedUser(db, 'alice');
      await seedRecording(db, async () => undefined, {
        n: 1,
        advisorId: advisor,
        remoteNumber: '01632960001',
        startedAt: '2025-01-01T10:00:00.000Z'
      });
      db.close();
      const dry = sweepCli(dir, '--now', '2025-04-01T10:00:00Z', '--dry-run');
      expect(dry.status, dry.stderr).toBe(0);
      expect(JSON.parse(dry.stdout)).toEqual({
        now: '2025-04-01T10:00:00.000Z',
        retentionDays: 90,
        examined: 1,
        deleted: 1,
        skippedHold: 0,
        skippedSar: 0,
        audioFoldersRemoved: 0,
        dryRun: true
      });
      const real = sweepCli(dir, '--now', '2025-04-01T10:00:00Z');
      expect(JSON.parse(real.stdout)).toMatchObject({ deleted: 1, audioFoldersRemoved: 1, dryRun: false });
      const again = openDataDirDatabase(dir);
      expect(again.prepare('SELECT status FROM recordings').get()).toEqual({ status: 'expired' });
      again.close();

      const bad = sweepCli(dir, '--now', 'tomorrow');
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('--now');
      expect(sweepCli(dir, '--force').status).toBe(2);
    }
  );
});
