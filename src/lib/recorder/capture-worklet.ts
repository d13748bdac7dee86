/**
 * The capture AudioWorkletProcessor, registered as {@link CAPTURE_PROCESSOR_NAME} (`advisor-capture`). Two inputs:
 * the microphone (0) and the remote audio of every live leg (1, summed by Web Audio); no outputs. Control messages arrive on
 * the node's port ({@link WorkletControl}: attach the frames port, start/pause/resume/stop); audio leaves on
 * the attached frames port straight to the encoder worker.
 *
 * Load: `import url from './capture-worklet.ts?worker&url'` (Vite bundles it as a separate self-contained
 * script), `await ctx.audioWorklet.addModule(url)`, then
 * `new AudioWorkletNode(ctx, CAPTURE_PROCESSOR_NAME, { numberOfInputs: 2, numberOfOutputs: 0 })`.
 */
import { CaptureCore } from './capture-core';
import { CAPTURE_PROCESSOR_NAME, parseWorkletControl, type FramesMessage } from './encoder-protocol';

/** The AudioWorkletGlobalScope globals used here (not in the DOM lib). */
interface WorkletGlobals {
  sampleRate: number;
  registerProcessor(name: string, ctor: new (options: { processorOptions?: unknown }) => unknown): void;
  AudioWorkletProcessor: new () => { readonly port: MessagePort };
}

const g = globalThis as unknown as WorkletGlobals;

/** The processor options the main thread may pass. */
interface CaptureProcessorOptions {
  outputRate?: number;
  batchSamples?: number;
}

class CaptureProcessor extends g.AudioWorkletProcessor {
  private readonly core: CaptureCore;

  constructor(options: { processorOptions?: unknown }) {
    super();
    const opts = (options.processorOptions ?? {}) as CaptureProcessorOptions;
    this.core = new CaptureCore({ inputRate: g.sampleRate, ...opts });
    this.port.onmessage = (e: MessageEvent<unknown>) => {
      try {
        this.core.control(parseWorkletControl(e.data), (port) => {
          return (msg: FramesMessage, transfer: Transferable[]) => port.postMessage(msg, transfer);
        });
      } catch (err) {
        this.port.postMessage({
          v: 1,
          type: 'error',
          message: err instanceof Error ? err.message : String(err)
        });
      }
    };
  }

  process(inputs: Float32Array[][]): boolean {
    const mic = inputs[0] ?? [];
    const remote = inputs[1] ?? [];
    this.core.process(mic, remote, mic[0]?.length ?? remote[0]?.length ?? 128);
    return true;
  }
}

g.registerProcessor(CAPTURE_PROCESSOR_NAME, CaptureProcessor);
