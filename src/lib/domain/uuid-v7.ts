/**
 * UUID version 7 (RFC 9562): 48-bit Unix milliseconds, version and variant bits, and
 * 74 random bits. Made in the browser so capture never waits for the network; ids
 * sort by creation time. Clock and randomness are injected.
 */
export function uuidV7(nowMs: number, randomBytes: (n: number) => Uint8Array): string {
  if (!Number.isInteger(nowMs) || nowMs < 0 || nowMs >= 2 ** 48)
    throw new RangeError(`bad timestamp ${nowMs}`);
  const b = randomBytes(16);
  if (b.length !== 16) throw new Error('randomBytes must return 16 bytes');
  let t = nowMs;
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = 0x70 | ((b[6] as number) & 0x0f);
  b[8] = 0x80 | ((b[8] as number) & 0x3f);
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
