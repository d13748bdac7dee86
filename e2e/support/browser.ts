import { chromium, type Browser } from 'playwright-core';
import { writeToneWav } from './tones';

/** Debian's Chromium; override with E2E_CHROMIUM. */
export const CHROMIUM_PATH = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

/** Chromium flags for headless, quiet runs (the end-to-end browsers and the benchmarks share them). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required'
];

/**
 * Launch a headless Chromium whose fake microphone plays a sine of `toneHz`. Each browser is its own process,
 * so each has its own tone. Loopback ICE is allowed (the only network here), media permission is auto-granted.
 */
export async function launchBrowser(toneHz: number): Promise<Browser> {
  const wav = writeToneWav(toneHz);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      ...CHROMIUM_ARGS,
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      '--allow-loopback-in-peer-connection',
      `--use-file-for-fake-audio-capture=${wav}`
    ]
  });
}
