import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { REPO_ROOT } from './data-dir';
import type { DtmfToneResult, ListenResult, RtpStats } from './peer';

/**
 * Observes the app's WebRTC media from the outside, without changing the app: an init
 * script remembers every RTCPeerConnection the page creates, and the helpers below
 * measure the remote audio the advisor hears and the RTP counters of live calls.
 */
function probeScript(): string {
  const audio = readFileSync(join(REPO_ROOT, 'e2e', 'peer', 'peer-audio.js'), 'utf8').replace(
    /^export /gm,
    ''
  );
  return `(() => {
    ${audio}
    const pcs = [];
    const Original = window.RTCPeerConnection;
    class Observed extends Original {
      constructor(...args) { super(...args); pcs.push(this); }
    }
    window.RTCPeerConnection = Observed;
    const contexts = [];
    const OriginalContext = window.AudioContext;
    class ObservedContext extends OriginalContext {
      constructor(...args) {
        super(...args);
        // The recorder's is the page's only AudioContext made with a latency hint.
        const entry = { ctx: this, runningSince: null, recorder: args[0]?.latencyHint !== undefined && args[0]?.latencyHint !== 'interactive' };
        this.addEventListener('statechange', () => {
          if (this.state === 'running' && entry.runningSince === null) entry.runningSince = performance.now();
        });
        contexts.push(entry);
      }
    }
    window.AudioContext = ObservedContext;
    window.__probe = { analyse, detectDtmf, pcs, contexts };
  })();`;
}

/** Installs the probe in every page of `context` (call before opening the app). */
export async function installProbe(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: probeScript() });
}

/** Measures `ms` of the audio the advisor hears from every live call leg, mixed. */
export function listenAdvisor(page: Page, ms: number, freqs: number[]): Promise<ListenResult> {
  return probeAdvisor(page, ms, freqs) as Promise<ListenResult>;
}

/** Keypad tones heard in `ms` of the advisor's remote audio (as tones, the way a listener would hear them). */
export function advisorDtmfTones(page: Page, ms: number): Promise<DtmfToneResult> {
  return probeAdvisor(page, ms, null) as Promise<DtmfToneResult>;
}

/** Records `ms` of the advisor's remote audio, then analyses it at `freqs`, or detects keypad tones (null). */
function probeAdvisor(page: Page, ms: number, freqs: number[] | null): Promise<unknown> {
  return page.evaluate(
    async ([ms, freqs]) => {
      type Probe = {
        analyse(pcm: Float32Array, rate: number, freqs: number[]): unknown;
        detectDtmf(pcm: Float32Array, rate: number): unknown;
        pcs: RTCPeerConnection[];
      };
      const probe = (window as unknown as { __probe: Probe }).__probe;
      const tracks = probe.pcs
        .filter((pc) => pc.connectionState !== 'closed')
        .flatMap((pc) => pc.getReceivers().map((r) => r.track))
        .filter((t) => t.kind === 'audio' && t.readyState === 'live');
      if (tracks.length === 0) throw new Error('advisor: no live call audio');
      const ctx = new AudioContext({ sampleRate: 48000 });
      await ctx.resume();
      const sink = ctx.createGain();
      sink.gain.value = 0;
      const processor = ctx.createScriptProcessor(4096, 1, 1);
      for (const t of tracks) ctx.createMediaStreamSource(new MediaStream([t])).connect(processor);
      const wanted = Math.round((48000 * ms) / 1000);
      const chunks: Float32Array[] = [];
      let have = 0;
      await new Promise<void>((resolve) => {
        processor.onaudioprocess = (e) => {
          if (have >= wanted) return;
          chunks.push(new Float32Array(e.inputBuffer.getChannelData(0)));
          have += e.inputBuffer.length;
          if (have >= wanted) resolve();
        };
        processor.connect(sink);
        sink.connect(ctx.destination);
      });
      await ctx.close();
      const pcm = new Float32Array(have);
      let offset = 0;
      for (const c of chunks) {
        pcm.set(c, offset);
        offset += c.length;
      }
      return freqs === null ? probe.detectDtmf(pcm, 48000) : probe.analyse(pcm, 48000, freqs);
    },
    [ms, freqs] as const
  );
}

/**
 * How far the audio clock of the recorder's running AudioContext (the page's one made with a latency hint)
 * is behind the wall clock since it started running, ms. A starved machine makes Chromium's fake audio device
 * skip render callbacks: the audio of those moments never reaches the capture worklet, so a recording is
 * shorter than the call by as much, whatever the app does. Take it twice and subtract to get what a span lost.
 */
export async function recorderClockLagMs(page: Page): Promise<number> {
  return page.evaluate(() => {
    type Entry = { ctx: AudioContext; runningSince: number | null; recorder: boolean };
    const probe = (window as unknown as { __probe: { contexts: Entry[] } }).__probe;
    const rec = probe.contexts.filter(
      (e) => e.recorder && e.ctx.state === 'running' && e.runningSince !== null
    );
    if (rec.length !== 1) throw new Error(`expected one running recorder AudioContext, found ${rec.length}`);
    const e = rec[0] as Entry;
    return performance.now() - (e.runningSince as number) - e.ctx.currentTime * 1000;
  });
}

/** RTP counters summed over the page's peer connections that are not closed. */
export async function advisorRtp(page: Page): Promise<RtpStats & { connections: number }> {
  return page.evaluate(async () => {
    const probe = (window as unknown as { __probe: { pcs: RTCPeerConnection[] } }).__probe;
    const out = {
      bytesReceived: 0,
      packetsReceived: 0,
      bytesSent: 0,
      packetsSent: 0,
      audioLevel: 0,
      connections: 0
    };
    for (const pc of probe.pcs) {
      if (pc.connectionState === 'closed') continue;
      out.connections += 1;
      const report = await pc.getStats();
      report.forEach((s: Record<string, number | string | undefined>) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') {
          out.bytesReceived += Number(s.bytesReceived ?? 0);
          out.packetsReceived += Number(s.packetsReceived ?? 0);
          out.audioLevel = Math.max(out.audioLevel, Number(s.audioLevel ?? 0));
        }
        if (s.type === 'outbound-rtp' && s.kind === 'audio') {
          out.bytesSent += Number(s.bytesSent ?? 0);
          out.packetsSent += Number(s.packetsSent ?? 0);
        }
      });
    }
    return out;
  });
}
