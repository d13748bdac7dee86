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

/** True when `hz` clearly dominates the audio: loud enough and 20 dB above every other party's tone. */
export function hearsOnly(r: ListenResult, hz: number): boolean {
  const own = r.energies[String(hz)] ?? -200;
  const others = ALL.filter((f) => f !== hz).map((f) => r.energies[String(f)] ?? -200);
  return r.rmsDbfs > -40 && own > -35 && own > Math.max(...others) + 20;
}

/** True when no party's tone is audible. */
export function silent(r: ListenResult): boolean {
  return r.rmsDbfs < -55 && ALL.every((f) => (r.energies[String(f)] ?? -200) < -50);
}

/** Polls `listen` until `who` hears `hz` (the jitter buffer may still be filling right after connect). */
export async function expectHears(who: string, listen: Listen, hz: number): Promise<ListenResult> {
  let last: ListenResult | undefined;
  await expect
    .poll(
      async () => {
        last = (await tryListen(listen)) ?? undefined;
        return last !== undefined && hearsOnly(last, hz);
      },
      { ...POLL, message: `${who} should hear ${hz} Hz (last: ${JSON.stringify(last)})` }
    )
    .toBe(true);
  return last as ListenResult;
}

/** Polls `listen` until `who` hears none of the tones. */
export async function expectSilence(who: string, listen: Listen): Promise<ListenResult> {
  let last: ListenResult | undefined;
  await expect
    .poll(
      async () => {
        last = (await tryListen(listen)) ?? undefined;
        return last !== undefined && silent(last);
      },
      { ...POLL, message: `${who} should hear silence` }
    )
    .toBe(true);
  return last as ListenResult;
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
