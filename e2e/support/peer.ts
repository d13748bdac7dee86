import type { Browser, Page } from 'playwright-core';
import { pbxInfo } from './pbx';
import { sipCredentials } from './sip-credentials';

/** What `window.peer.register` takes. */
export interface PeerRegisterOptions {
  wsUrl: string;
  domain: string;
  user: string;
  username: string;
  password: string;
}

/** Snapshot of a peer (`window.peer.state()`). */
export interface PeerState {
  registered: boolean;
  registrationError: string | null;
  transportConnected: boolean;
  callState: 'idle' | 'ringing' | 'calling' | 'established' | 'terminated';
  callDirection: 'incoming' | 'outgoing' | null;
  sessionState: string | null;
  lastCallError: string | null;
  /** Last incoming INVITE: header names lower-cased, raw values. */
  incoming: {
    from: string;
    to: string;
    requestUri: string;
    headers: Record<string, string[]>;
    replaces: boolean;
  } | null;
  callsReceived: number;
  callsEstablished: number;
  callsEnded: number;
  refersReceived: number;
  replacesReceived: number;
  /** As transferee: the target's failure status ("486 Busy Here") when a followed REFER did not connect. */
  transferError: string | null;
  /** As transferee: NOTIFYs sent to the transferor about a followed REFER (100 Trying, then the outcome). */
  notifiesSent: number;
  dtmfInfoCount: number;
  events: string[];
}

/** Result of `listen`: levels of the remote audio of the current call. */
export interface ListenResult {
  rmsDbfs: number;
  dominantHz: number;
  /** dB relative to a full-scale sine, per requested frequency. */
  energies: Record<string, number>;
  samples: number;
}

/** RTP counters of the current call. */
export interface RtpStats {
  bytesReceived: number;
  packetsReceived: number;
  bytesSent: number;
  packetsSent: number;
  audioLevel: number;
}

/** DTMF heard as tones in the remote audio. */
export interface DtmfToneResult {
  digits: string;
  detectedMs: number;
  peakLowDb: number;
  peakHighDb: number;
}

/** Typed handle on a peer page. */
export interface Peer {
  page: Page;
  name: string;
  register(options: PeerRegisterOptions): Promise<PeerState>;
  /** Register `user` at the dev PBX with fresh ephemeral credentials. */
  registerAs(user: string, ttlSeconds?: number): Promise<PeerState>;
  stop(): Promise<void>;
  call(number: string, extraHeaders?: string[]): Promise<PeerState>;
  autoAnswer(enabled: boolean): Promise<PeerState>;
  answer(): Promise<PeerState>;
  decline(statusCode?: number): Promise<PeerState>;
  hangup(): Promise<PeerState>;
  state(): Promise<PeerState>;
  listen(ms: number, freqs: number[]): Promise<ListenResult>;
  rtpStats(): Promise<RtpStats>;
  receivedDtmfTones(ms: number): Promise<DtmfToneResult>;
  sendDtmf(tones: string, durationMs?: number, gapMs?: number): Promise<void>;
  /** Blind transfer of the current call (REFER); resolves with the REFER's status (202). */
  transfer(number: string): Promise<number>;
  /** Attended transfer: REFER the earlier call to the current (consultation) call with Replaces. */
  attendedTransfer(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Open the peer page (`${peerUrl}peer.html`, default from env E2E_PEER_URL) in a new context of `browser`.
 * Page errors are forwarded to the test output, prefixed with `name`.
 */
export async function openPeer(
  browser: Browser,
  name: string,
  peerUrl = process.env.E2E_PEER_URL
): Promise<Peer> {
  if (!peerUrl) throw new Error('E2E_PEER_URL is not set (is the Playwright globalSetup running?)');
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[${name}] page error: ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.error(`[${name}] console: ${msg.text()}`);
  });
  await page.goto(new URL('peer.html', peerUrl).toString());
  await page.waitForFunction(() => (window as unknown as { peerReady?: boolean }).peerReady === true);

  const call = <T>(method: string, ...args: unknown[]): Promise<T> =>
    page.evaluate(
      ([m, a]) => {
        const api = (window as unknown as { peer: Record<string, (...x: unknown[]) => unknown> }).peer;
        const fn = api[m as string];
        if (!fn) throw new Error(`peer has no method ${String(m)}`);
        return fn(...(a as unknown[])) as T;
      },
      [method, args] as const
    ) as Promise<T>;

  return {
    page,
    name,
    register: (options) => call('register', options),
    registerAs: (user, ttlSeconds = 3600) => {
      const info = pbxInfo();
      const creds = sipCredentials(user, ttlSeconds);
      return call('register', { wsUrl: info.wsUrl, domain: info.domain, user, ...creds });
    },
    stop: () => call('stop'),
    call: (number, extraHeaders = []) => call('call', number, { extraHeaders }),
    autoAnswer: (enabled) => call('autoAnswer', enabled),
    answer: () => call('answer'),
    decline: (statusCode = 486) => call('decline', statusCode),
    hangup: () => call('hangup'),
    state: () => call('state'),
    listen: (ms, freqs) => call('listen', ms, freqs),
    rtpStats: () => call('rtpStats'),
    receivedDtmfTones: (ms) => call('receivedDtmfTones', ms),
    sendDtmf: async (tones, durationMs = 200, gapMs = 70) => {
      await call('sendDtmf', tones, durationMs, gapMs);
    },
    transfer: (number) => call('transfer', number),
    attendedTransfer: () => call('attendedTransfer'),
    close: async () => {
      await call('stop').catch(() => undefined);
      await context.close();
    }
  };
}
