/**
 * Everything one recording-CPU run needs, from the end-to-end suite's own helpers: a dev PBX of its own
 * (private DATA_DIR; PBX_WS_PORT if set, else a free port, so a running demo or e2e PBX is left alone), the
 * built app over that DATA_DIR with the e2e users, the peer page server, the advisor's Chromium (1000 Hz fake
 * microphone) logged in as alice, and a caller peer (440 Hz) registered as 3001.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { openAdvisor, type AdvisorTab } from '../../e2e/support/advisor';
import { seedUsers, startAppServer } from '../../e2e/support/app-server';
import { TONES } from '../../e2e/support/audio-expect';
import { launchBrowser } from '../../e2e/support/browser';
import { openPeer, type Peer } from '../../e2e/support/peer';
import { startPeerServer } from '../../e2e/support/peer-server';
import { startPbx, stopPbx } from '../../e2e/support/pbx';
import { ensureBuilt } from '../../e2e/support/build';
import { freePort } from '../lib/app-server';
import { launchedBrowserPid } from './proc-cpu';

/** The caller's extension (as in the e2e fixtures). */
export const CALLER_NUMBER = '3001';

/** A running stack; `close` stops what it started and restores the environment. */
export interface CallStack {
  advisor: AdvisorTab;
  /** pid of the advisor's Chromium browser process (root of the measured tree). */
  advisorPid: number;
  caller: Peer;
  pbxPort: string;
  close(): Promise<void>;
}

/** The env variables the e2e helpers read, pointed at this run's own PBX and data. */
const ENV_KEYS = ['DATA_DIR', 'PBX_WS_PORT', 'E2E_PBX_WS_URL', 'E2E_PEER_URL'] as const;

/** Starts the stack; on failure stops whatever had started and rethrows. */
export async function startCallStack(): Promise<CallStack> {
  const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  const dir = mkdtempSync(join(tmpdir(), 'recording-cpu-'));
  const stops: Array<() => Promise<unknown>> = [
    async () => {
      for (const k of ENV_KEYS) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      rmSync(dir, { recursive: true, force: true });
    }
  ];
  const close = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch((e: unknown) => console.error('teardown:', e));
  };
  try {
    process.env.DATA_DIR = dir;
    process.env.PBX_WS_PORT = saved.PBX_WS_PORT ?? String(await freePort());
    delete process.env.E2E_PBX_WS_URL;
    await startPbx();
    stops.push(stopPbx);
    ensureBuilt();
    await seedUsers();
    const app = await startAppServer();
    stops.push(() => app.stop());
    const peers = await startPeerServer();
    stops.push(() => peers.close());
    const advisorBrowser: Browser = await launchBrowser(TONES.advisor);
    stops.push(() => advisorBrowser.close());
    const advisorPid = launchedBrowserPid(`tone-${TONES.advisor}hz-`);
    const callerBrowser = await launchBrowser(TONES.caller);
    stops.push(() => callerBrowser.close());
    const advisor = await openAdvisor(advisorBrowser, app.url);
    const caller = await openPeer(callerBrowser, 'caller', peers.url);
    await caller.registerAs(CALLER_NUMBER);
    return { advisor, advisorPid, caller, pbxPort: process.env.PBX_WS_PORT, close };
  } catch (error) {
    await close();
    throw error;
  }
}
