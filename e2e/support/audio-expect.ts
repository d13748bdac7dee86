import { expect } from '@playwright/test';
import type { ListenResult } from './peer';

/** The tone each party's fake microphone plays. */
export const TONES = { caller: 440, advisor: 1000, colleague: 700, payment: 2500 } as const;
const ALL = Object.values(TONES);
const POLL = { timeout: 20_000, intervals: [200, 400, 800] };

type Listen = (ms: number, freqs: number[]) => Promise<ListenResult>;

/** Listens once; a call still being set up (no remote audio yet) counts as not heard. */
async function tryListen(listen: Listen): Promise<ListenResult | null> {
  try {
    return await listen(800, ALL);
  } catch {
    return null;
  }
}

/** True when every tone of `hzs` is clearly audible and every other party's tone is 20 dB below the faintest. */
export function hearsAll(r: ListenResult, hzs: readonly number[]): boolean {
  const level = (f: number) => r.energies[String(f)] ?? -200;
  const faintest = Math.min(...hzs.map(level));
  const others = ALL.filter((f) => !hzs.includes(f)).map(level);
  return r.rmsDbfs > -40 && faintest > -35 && faintest > Math.max(...others) + 20;
}

/** True when `hz` clearly dominates the audio: loud enough and 20 dB above every other party's tone. */
export function hearsOnly(r: ListenResult, hz: number): boolean {
  return hearsAll(r, [hz]);
}

/** True when no party's tone is audible. */
export function silent(r: ListenResult): boolean {
  return r.rmsDbfs < -55 && ALL.every((f) => (r.energies[String(f)] ?? -200) < -50);
}

/** Polls `listen` until `heard` holds for what `who` hears; `what` names it in the failure message. */
async function expectListening(
  who: string,
  listen: Listen,
  heard: (r: ListenResult) => boolean,
  what: string
): Promise<ListenResult> {
  let last: ListenResult | undefined;
  await expect
    .poll(
      async () => {
        last = (await tryListen(listen)) ?? undefined;
        return last !== undefined && heard(last);
      },
      { ...POLL, message: `${who} should hear ${what} (last: ${JSON.stringify(last)})` }
    )
    .toBe(true);
  return last as ListenResult;
}

/** Polls `listen` until `who` hears `hz` (the jitter buffer may still be filling right after connect). */
export function expectHears(who: string, listen: Listen, hz: number): Promise<ListenResult> {
  return expectListening(who, listen, (r) => hearsOnly(r, hz), `${hz} Hz`);
}

/** Polls `listen` until `who` hears every tone of `hzs` at once (a bridged call: two parties mixed). */
export function expectHearsAll(who: string, listen: Listen, hzs: readonly number[]): Promise<ListenResult> {
  return expectListening(who, listen, (r) => hearsAll(r, hzs), `${hzs.join(' + ')} Hz`);
}

/** Polls `listen` until `who` hears none of the tones. */
export function expectSilence(who: string, listen: Listen): Promise<ListenResult> {
  return expectListening(who, listen, silent, 'silence');
}

/** Polls a byte counter until it stops growing (media stopped) or grows again (media flows). */
export async function expectBytes(
  who: string,
  read: () => Promise<number>,
  flowing: boolean,
  windowMs = 1000
): Promise<void> {
  await expect
    .poll(
      async () => {
        const a = await read();
        await new Promise((r) => setTimeout(r, windowMs));
        const b = await read();
        // Opus at 48 kHz sends ~50 packets/s; a second of flowing audio is well over 1 kB.
        return flowing ? b - a > 1000 : b - a < 200;
      },
      { ...POLL, message: `${who}: RTP should ${flowing ? 'flow' : 'stop'}` }
    )
    .toBe(true);
}
