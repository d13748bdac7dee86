/**
 * The encoder Worker (module worker). The main thread sends one `init` (frames port + settings); from then on
 * audio arrives on the frames port straight from the capture worklet, never through the main thread.
 * Load it with `new Worker(new URL('./encoder-worker.ts', import.meta.url), { type: 'module' })`.
 */
import { EncoderHost, toHex } from './encoder-host';
import {
  parseFramesMessage,
  parseWorkerRequest,
  type WorkerEvent,
  type WorkerRequest
} from './encoder-protocol';
import { lameWasmSource } from './lame-wasm';
import type { Mp3Encoder, Mp3EncoderConfig } from './mp3-encoder';

/** The parts of DedicatedWorkerGlobalScope used here (the app's tsconfig has no webworker lib). */
interface WorkerScope {
  onmessage: ((e: MessageEvent<unknown>) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
  location: { href: string };
}

const scope = self as unknown as WorkerScope;

/**
 * Loads only the implementation asked for (lamejs is a large bundle). The WASM encoder uses the module the page
 * compiled (`wasm` from `init`) if it sent one, else compiles its own.
 */
async function createEncoder(
  kind: 'wasm' | 'lamejs',
  config: Mp3EncoderConfig,
  wasm: WebAssembly.Module | undefined
): Promise<Mp3Encoder> {
  if (kind === 'lamejs') return (await import('./lamejs-encoder')).createLamejsEncoder(config);
  const { createWasmEncoder } = await import('./wasm-encoder');
  return createWasmEncoder(config, wasm ?? lameWasmSource(scope.location.href));
}

function post(event: WorkerEvent, transfer: Transferable[] = []): void {
  scope.postMessage(event, transfer);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

scope.onmessage = (e: MessageEvent<unknown>) => {
  let request: WorkerRequest;
  try {
    request = parseWorkerRequest(e.data);
  } catch (err) {
    post({ v: 1, type: 'error', recordingId: null, message: errorMessage(err) });
    return;
  }
  const { wasm } = request;
  const host = new EncoderHost(request.settings, {
    createEncoder: (kind, config) => createEncoder(kind, config, wasm),
    sha256: async (bytes) => toHex(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)),
    post
  });
  request.port.onmessage = (m: MessageEvent<unknown>) => {
    try {
      void host.handle(parseFramesMessage(m.data));
    } catch (err) {
      post({ v: 1, type: 'error', recordingId: null, message: errorMessage(err) });
    }
  };
  post({ v: 1, type: 'ready' });
};
