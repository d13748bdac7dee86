/** Settings for {@link backoffDelay}. */
export interface BackoffOptions {
  /** Delay before the first retry, in ms. */
  baseMs: number;
  /** Largest delay, in ms, however many attempts failed. */
  maxMs: number;
}

/**
 * Exponential backoff with "equal jitter": half the capped exponential delay is fixed,
 * the other half random, so retries spread out but never collapse to zero.
 * @param attempt - 0 for the first retry.
 * @param random - injected source in [0, 1).
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError(`attempt must be >= 0, was ${attempt}`);
  const capped = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(capped / 2 + random() * (capped / 2));
}
