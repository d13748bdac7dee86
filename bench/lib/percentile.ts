/** The q-quantile (0..1) of a non-empty list by the nearest-rank method. */
export function percentile(xs: readonly number[], q: number): number {
  if (xs.length === 0) throw new Error('percentile of an empty list');
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
}
