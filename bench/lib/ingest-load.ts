/**
 * Closed-loop ingest load: `workers` simulated advisors, each with one upload in flight at a time (as the
 * browser's uploader does per recording), PUT 40 KB segments with increasing seq for `durationMs`. Latencies
 * of requests that start after `warmupMs` are kept.
 */
import { createHash } from 'node:crypto';
import { Agent, request } from 'node:http';
import { percentile } from './percentile';

/** One simulated advisor's upload target. */
export interface UploadTarget {
  /** Path prefix; `/<seq>` is appended, e.g. `/api/recordings/<id>/segments`. */
  path: string;
  headers: Record<string, string>;
}

/** What one load run measured. */
export interface LoadResult {
  ok: number;
  failed: number;
  /** Successful uploads per second over the measured window. */
  rate: number;
  p50: number;
  p99: number;
  statuses: Record<number, number>;
  /** Each measured successful upload: when it started (performance.now()) and how long it took (ms). */
  uploads: { at: number; ms: number }[];
}

/** `bytes` of silent MPEG-2 Layer III frames (32 kbps, 16 kHz mono, 144-byte frames): a valid upload body. */
export function mpegSegment(bytes: number, fill = 1): Buffer {
  const frames = Math.floor(bytes / 144);
  const out = Buffer.alloc(frames * 144);
  for (let i = 0; i < frames; i++) {
    out.set([0xff, 0xf3, 0x48, 0xc0], i * 144);
    out[i * 144 + 143] = fill;
  }
  return out;
}

export const sha256Hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function put(agent: Agent, port: number, path: string, headers: Record<string, string>, body: Buffer) {
  return new Promise<number>((done, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'PUT',
        agent,
        headers: { ...headers, 'content-length': body.length }
      },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0));
      }
    );
    req.on('error', fail);
    req.end(body);
  });
}

/** Runs the load against `port` and returns rate and latency percentiles (ms). */
export async function runIngestLoad(opts: {
  port: number;
  targets: UploadTarget[];
  body: Buffer;
  durationMs: number;
  warmupMs: number;
  /** First seq per target (so a second run on the same recordings uploads new segments). */
  firstSeq?: number;
  /** Stop early when this settles (durationMs is then the upper bound). */
  until?: Promise<unknown>;
}): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.targets.length });
  const sha = sha256Hex(opts.body);
  const start = performance.now();
  const measureFrom = start + opts.warmupMs;
  let end = measureFrom + opts.durationMs;
  const stopEarly = (): void => {
    end = Math.max(measureFrom, Math.min(end, performance.now()));
  };
  opts.until?.then(stopEarly, stopEarly);
  const latencies: number[] = [];
  const uploads: { at: number; ms: number }[] = [];
  const statuses: Record<number, number> = {};
  let ok = 0;
  let failed = 0;
  await Promise.all(
    opts.targets.map(async (t) => {
      let seq = opts.firstSeq ?? 0;
      while (performance.now() < end) {
        const headers = {
          ...t.headers,
          'content-type': 'audio/mpeg',
          'x-segment-sha256': sha,
          'x-segment-start-ms': String(seq * 10_000),
          'x-segment-duration-ms': '10000'
        };
        const t0 = performance.now();
        const status = await put(agent, opts.port, `${t.path}/${seq}`, headers, opts.body).catch(() => 0);
        const t1 = performance.now();
        seq++;
        if (t0 < measureFrom || t1 > end) continue;
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status === 201) {
          ok++;
          latencies.push(t1 - t0);
          uploads.push({ at: t0, ms: t1 - t0 });
        } else failed++;
      }
    })
  );
  agent.destroy();
  return {
    ok,
    failed,
    rate: ok / ((end - measureFrom) / 1000),
    p50: latencies.length ? percentile(latencies, 0.5) : Number.NaN,
    p99: latencies.length ? percentile(latencies, 0.99) : Number.NaN,
    statuses,
    uploads
  };
}
