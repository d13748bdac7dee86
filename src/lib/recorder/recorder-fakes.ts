/**
 * Test fakes for the recorder: an in-process "worklet" (a real CaptureCore behind a fake node port) and an
 * in-process "worker" (a real EncoderHost with a real LAME encoder), joined by Node's real MessageChannel.
 */
import { createHash } from 'node:crypto';
import { CaptureCore } from './capture-core';
import { EncoderHost } from './encoder-host';
import {
  parseFramesMessage,
  parseWorkerRequest,
  parseWorkletControl,
  type FramesMessage,
  type WorkerRequest,
  type WorkletControl
} from './encoder-protocol';
import type { ContextLike, NodeLike, PortLike, RecorderDeps, WorkerLike } from './recorder';
import { nodeEncoder } from './test-helpers';

/** A fake audio node that remembers its connections (and the destination's input index of each). */
export class FakeNode implements NodeLike {
  connected: NodeLike[] = [];
  inputs: number[] = [];
  disconnected = false;
  connect(d: NodeLike, _output = 0, input = 0): void {
    this.connected.push(d);
    this.inputs.push(input);
  }
  disconnect(): void {
    this.disconnected = true;
  }
}

/** A fake MediaStream with one audio track. */
export function fakeStream(): MediaStream {
  return { getAudioTracks: () => [{}] } as unknown as MediaStream;
}

/** Everything the fakes saw, for assertions. */
export interface FakeWorld {
  deps: RecorderDeps;
  core(): CaptureCore;
  control: WorkletControl[];
  frames: FramesMessage[];
  /** The worker's init requests. */
  inits: WorkerRequest[];
  sources: Map<MediaStream, FakeNode>;
  workletNode(): FakeNode;
  terminated(): boolean;
  closed(): boolean;
  /** Makes the worker report an error. */
  crashWorker(message: string): void;
}

/** Builds recorder deps on the fakes; the context runs at `inputRate`. */
export function fakeWorld(inputRate = 48_000): FakeWorld {
  let core: CaptureCore | undefined;
  let node: (FakeNode & { port: PortLike }) | undefined;
  let worker: WorkerLike | undefined;
  let terminated = false;
  let closed = false;
  const control: WorkletControl[] = [];
  const frames: FramesMessage[] = [];
  const inits: WorkerRequest[] = [];
  const sources = new Map<MediaStream, FakeNode>();
  const ctx: ContextLike = {
    sampleRate: inputRate,
    audioWorklet: { addModule: () => Promise.resolve() },
    createMediaStreamSource(stream) {
      const n = new FakeNode();
      sources.set(stream, n);
      return n;
    },
    resume: () => Promise.resolve(),
    close: () => {
      closed = true;
      return Promise.resolve();
    }
  };
  const deps: RecorderDeps = {
    createContext: () => ctx,
    createWorkletNode(_ctx, _name, options) {
      const opts = options.processorOptions as { outputRate: number; batchSamples?: number };
      const c = (core = new CaptureCore({ inputRate, ...opts }));
      const port: PortLike = {
        onmessage: null,
        postMessage(message) {
          const msg = parseWorkletControl(message);
          control.push(msg);
          c.control(msg, (p) => (m, t) => p.postMessage(m, t));
        }
      };
      return (node = Object.assign(new FakeNode(), { port }));
    },
    createWorker() {
      const w: WorkerLike = {
        onmessage: null,
        onerror: null,
        terminate: () => (terminated = true),
        postMessage(message) {
          const req = parseWorkerRequest(message);
          inits.push(req);
          const deliver = (data: unknown): void =>
            queueMicrotask(() => w.onmessage?.({ data } as MessageEvent));
          const host = new EncoderHost(req.settings, {
            createEncoder: nodeEncoder,
            sha256: (b) => Promise.resolve(createHash('sha256').update(b).digest('hex')),
            post: deliver
          });
          req.port.onmessage = (m: MessageEvent<unknown>) => {
            const f = parseFramesMessage(m.data);
            frames.push(f);
            void host.handle(f);
          };
          deliver({ v: 1, type: 'ready' });
        }
      };
      return (worker = w);
    },
    createChannel: () => new MessageChannel() as unknown as { port1: PortLike; port2: PortLike },
    workletUrl: 'capture-worklet.js'
  };
  const need = <T>(x: T | undefined, what: string): T => {
    if (x === undefined) throw new Error(`no ${what} yet`);
    return x;
  };
  return {
    deps,
    core: () => need(core, 'worklet'),
    control,
    frames,
    inits,
    sources,
    workletNode: () => need(node, 'worklet node'),
    terminated: () => terminated,
    closed: () => closed,
    crashWorker: (message) =>
      need(worker, 'worker').onmessage?.({
        data: { v: 1, type: 'error', recordingId: 'x', message }
      } as MessageEvent)
  };
}
