/** Outcome of {@link readBodyLimited}. */
export type LimitedBody = { ok: true; bytes: Uint8Array } | { ok: false; reason: 'too_large' | 'unreadable' };

/** Bytes read and dropped after the limit so the client can still read the 413 (else it sees a reset). */
const DRAIN_BYTES = 8 * 1024 * 1024;

async function drain(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  read: number,
  cap: number
): Promise<void> {
  let total = read;
  try {
    while (total <= cap) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.byteLength;
    }
  } catch {
    return;
  }
  await reader.cancel().catch(() => undefined);
}

/**
 * Reads a request body as a stream and stops as soon as it passes `maxBytes` (Content-Length is not
 * trusted); the rest, up to a cap, is read and dropped so the client gets the answer. adapter-node's own
 * BODY_SIZE_LIMIT errors surface here as `too_large` too.
 */
export async function readBodyLimited(request: Request, maxBytes: number): Promise<LimitedBody> {
  if (!request.body) return { ok: true, bytes: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await drain(reader, size, Math.max(maxBytes * 4, DRAIN_BYTES));
        return { ok: false, reason: 'too_large' };
      }
      chunks.push(value);
    }
  } catch (err) {
    const status = (err as { status?: unknown }).status;
    return { ok: false, reason: status === 413 ? 'too_large' : 'unreadable' };
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { ok: true, bytes };
}

/** Outcome of {@link readJsonLimited}. */
export type LimitedJson = { ok: true; value: unknown } | { ok: false; reason: 'too_large' | 'malformed' };

/** Reads at most `maxBytes` of body and parses it as JSON (an empty body is malformed). */
export async function readJsonLimited(request: Request, maxBytes: number): Promise<LimitedJson> {
  const body = await readBodyLimited(request, maxBytes);
  if (!body.ok) return { ok: false, reason: body.reason === 'too_large' ? 'too_large' : 'malformed' };
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body.bytes)) };
  } catch {
    return { ok: false, reason: 'malformed' };
  }
}
