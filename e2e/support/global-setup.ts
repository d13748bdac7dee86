import { ensureBuilt } from './build';
import { pbxInfo, pbxRunning, startPbx } from './pbx';
import { startPeerServer, type PeerServer } from './peer-server';

/**
 * Playwright globalSetup: one function per service, each exporting its URL through env vars for the specs
 * (workers inherit the env set here). Add the app server as another `start…` function below.
 * Returns the teardown, which stops only what this setup started.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  ensureBuilt(); // the specs run build/, never a stale one
  const stops: Array<() => Promise<void>> = [];
  try {
    stops.push(await startPbxService());
    stops.push(await startPeerService());
  } catch (error) {
    await runAll(stops);
    throw error;
  }
  return () => runAll(stops);
}

async function runAll(stops: Array<() => Promise<void>>): Promise<void> {
  for (const stop of stops.reverse()) {
    await stop().catch((error: unknown) => console.error('teardown:', error));
  }
}

/** Dev PBX: exports E2E_PBX_WS_URL and E2E_SIP_DOMAIN. Left running if it was already running before. */
async function startPbxService(): Promise<() => Promise<void>> {
  const wasRunning = await pbxRunning();
  await startPbx();
  const info = pbxInfo();
  process.env.E2E_PBX_WS_URL = info.wsUrl;
  process.env.E2E_SIP_DOMAIN = info.domain;
  return async () => {
    if (!wasRunning && process.env.E2E_KEEP_PBX !== '1') {
      const { stopPbx } = await import('./pbx');
      await stopPbx();
    }
  };
}

/** Peer page server: exports E2E_PEER_URL. */
async function startPeerService(): Promise<() => Promise<void>> {
  const server: PeerServer = await startPeerServer();
  process.env.E2E_PEER_URL = server.url;
  return () => server.close();
}
