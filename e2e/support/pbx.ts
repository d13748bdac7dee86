import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dataDir, REPO_ROOT } from './data-dir';

const run = promisify(execFile);

/** Where the dev PBX listens and what it routes (env overrides, same defaults as scripts/pbx.sh). */
export interface PbxInfo {
  wsUrl: string;
  domain: string;
  mainLine: string;
  paymentLine: string;
  recordedLineHeader: string;
}

/** The dev PBX settings from the environment. */
export function pbxInfo(): PbxInfo {
  const host = process.env.PBX_HOST ?? '127.0.0.1';
  const port = process.env.PBX_WS_PORT ?? '8088';
  return {
    wsUrl: process.env.E2E_PBX_WS_URL ?? `ws://${host}:${port}`,
    domain: process.env.SIP_DOMAIN ?? 'advisorphone.test',
    mainLine: process.env.MAIN_LINE_NUMBER ?? '5000',
    paymentLine: process.env.PAYMENT_LINE_NUMBER ?? '7000',
    recordedLineHeader: process.env.RECORDED_LINE_HEADER ?? 'X-Recorded-Line'
  };
}

/** Run scripts/pbx.sh with `command`; resolves with its stdout, rejects with stdout+stderr on failure. */
export async function pbx(command: 'start' | 'stop' | 'restart' | 'status'): Promise<string> {
  try {
    const { stdout } = await run(join(REPO_ROOT, 'scripts', 'pbx.sh'), [command], {
      cwd: REPO_ROOT,
      env: process.env,
      timeout: 60_000
    });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`scripts/pbx.sh ${command} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`, {
      cause: error
    });
  }
}

/** Start the PBX (idempotent). */
export const startPbx = (): Promise<string> => pbx('start');
/** Stop the PBX. */
export const stopPbx = (): Promise<string> => pbx('stop');
/** Restart the PBX (for tests that lose the PBX mid-session). */
export const restartPbx = (): Promise<string> => pbx('restart');

/** Whether the PBX is running and accepting WebSocket connections. */
export async function pbxRunning(): Promise<boolean> {
  return pbx('status').then(
    () => true,
    () => false
  );
}

/** The Kamailio log file written by scripts/pbx.sh. */
export function pbxLogPath(): string {
  return join(dataDir(), 'pbx', 'kamailio.log');
}

/** Current contents of the Kamailio log ('' when absent). */
export function readPbxLog(): string {
  try {
    return readFileSync(pbxLogPath(), 'utf8');
  } catch {
    return '';
  }
}
