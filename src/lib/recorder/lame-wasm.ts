/**
 * The LAME WebAssembly binary (wasm-media-encoders' mp3.wasm): where it comes from, and compiling it once.
 *
 * The page compiles it once ({@link compileLameWasm}, memoised by `browserRecorderDeps`) and hands the
 * compiled module to each recording's encoder worker in its `init`. A WebAssembly.Module posted to a worker
 * shares its compiled code, including the optimised (TurboFan) code V8 tiers hot functions up to while it
 * runs; compiled afresh in every worker, each recording paid for that tier-up again, in the renderer's
 * background threads during the call. A worker given no module compiles its own from {@link lameWasmSource}.
 */
import lameWasmUrl from 'wasm-media-encoders/wasm/mp3?url';

/**
 * The binary, for a script at `base`: a same-origin URL is returned absolute, to be fetched (CSP connect-src
 * 'self'); a data: URL (a build that inlines assets) is decoded here instead, because fetching it would need
 * connect-src data:.
 */
export function lameWasmSource(base: string): string | Uint8Array<ArrayBuffer> {
  const comma = lameWasmUrl.indexOf(',');
  if (!lameWasmUrl.startsWith('data:') || comma < 0) return new URL(lameWasmUrl, base).href;
  return Uint8Array.from(atob(lameWasmUrl.slice(comma + 1)), (c) => c.charCodeAt(0));
}

/** Compiles the binary (streaming, from a URL) for a page at `base`. */
export function compileLameWasm(base: string): Promise<WebAssembly.Module> {
  const source = lameWasmSource(base);
  return typeof source === 'string'
    ? WebAssembly.compileStreaming(fetch(source))
    : WebAssembly.compile(source);
}
