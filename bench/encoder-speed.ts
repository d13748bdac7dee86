/**
 * In-browser MP3 encoder speed: the recorder's encoders (LAME in WebAssembly via wasm-media-encoders, and
 * pure-JS @breezystack/lamejs) encoding 60 s of 16 kHz mono at 32 kbit/s CBR inside headless Chromium, against
 * Debian's native `lame` CLI encoding the same PCM at the same settings, timed in the same run.
 *
 * Figures are realtime factors (seconds of audio encoded per second of wall time; higher is faster). The page
 * bundle is built with Vite from bench/encoder/page-entry.ts and served locally (bench/encoder/bundle.ts);
 * timing happens inside the page, after one warm-up encode.
 *
 * Goal: the in-browser encoder reaches at least 50% of native lame's speed (ratio >= 0.5).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildPageBundle, CHROMIUM_ARGS, serve } from './encoder/bundle';
import { figure, median, type Benchmark } from './lib/figure';

const SECONDS = 60;
const RATE = 16_000;
const RUNS = 3;

type BenchFn = (kind: 'wasm' | 'lamejs', wasmUrl: string, seconds: number) => Promise<number>;

/** Wall ms of Debian's lame encoding the same tone as raw s16le, median of RUNS. */
function nativeLameMs(): number {
  const dir = mkdtempSync(join(tmpdir(), 'lame-bench-'));
  try {
    const pcm = new Int16Array(RATE * SECONDS);
    for (let i = 0; i < pcm.length; i++)
      pcm[i] = Math.round(0.5 * 32767 * Math.sin((2 * Math.PI * 440 * i) / RATE));
    const input = join(dir, 'in.raw');
    writeFileSync(input, pcm);
    const args = ['--silent', '-r', '-s', '16', '--bitwidth', '16', '-m', 'm', '--signed', '--little-endian'];
    const run = (): number => {
      const t0 = performance.now();
      const r = spawnSync('lame', [...args, '-b', '32', '--cbr', input, join(dir, 'out.mp3')]);
      if (r.status !== 0) throw new Error(`lame failed: ${r.stderr.toString()}`);
      return performance.now() - t0;
    };
    run();
    return median(Array.from({ length: RUNS }, run));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Wall ms inside Chromium for each encoder, median of RUNS. */
async function browserMs(): Promise<Record<'wasm' | 'lamejs', number>> {
  const dir = await buildPageBundle();
  const { server, base } = await serve(dir);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.waitForFunction(() => 'encoderBench' in globalThis);
    const time = async (kind: 'wasm' | 'lamejs'): Promise<number> => {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        times.push(
          await page.evaluate(
            ([k, url, s]) => (globalThis as unknown as { encoderBench: BenchFn }).encoderBench(k, url, s),
            [kind, `${base}/mp3.wasm`, SECONDS] as const
          )
        );
      }
      return median(times);
    };
    return { wasm: await time('wasm'), lamejs: await time('lamejs') };
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const benchmark: Benchmark = {
  name: 'encoder-speed',
  async run() {
    const lameRtf = SECONDS / (nativeLameMs() / 1000);
    const ms = await browserMs();
    const goal =
      'ratio >= 0.5 (in-browser encoder at least 50% of native lame speed, 16 kHz mono 32 kbit/s CBR)';
    const fig = (name: string, kind: 'wasm' | 'lamejs'): ReturnType<typeof figure> =>
      figure(name, SECONDS / (ms[kind] / 1000), 'x realtime', lameRtf, goal, (ratio) => ratio >= 0.5);
    return [
      fig('MP3 encoder realtime factor in Chromium, wasm-media-encoders (default) vs native lame', 'wasm'),
      fig('MP3 encoder realtime factor in Chromium, @breezystack/lamejs vs native lame', 'lamejs')
    ];
  }
};

export default benchmark;
