/**
 * What a NOTIFY about a REFER says (RFC 3515 section 2.4.5): its body is a message/sipfrag
 * holding the status line of the transferee's INVITE to the target, e.g. `SIP/2.0 486 Busy Here`.
 * Pure: the SIP layer passes the Event header and the body.
 */
export type ReferProgress =
  /** 1xx: the transferee is still trying. */
  | { outcome: 'trying'; statusCode: number }
  /** 2xx: the target answered; the transfer is complete. */
  | { outcome: 'succeeded'; statusCode: number }
  /** 3xx-6xx: the target was not reached; the caller stays with the transferor. */
  | { outcome: 'failed'; statusCode: number };

const STATUS_LINE = /^\s*SIP\/2\.0\s+([1-6]\d\d)(?:\s|$)/i;

/**
 * The progress a refer NOTIFY reports, or null when it is not one (another event package, or a body
 * without a status line: then nothing is proven and the caller of this function must keep waiting).
 */
export function referProgress(event: string | undefined, body: string | undefined): ReferProgress | null {
  if (!event || !/^\s*refer\b/i.test(event)) return null;
  const match = STATUS_LINE.exec(body ?? '');
  if (!match) return null;
  const statusCode = Number(match[1]);
  if (statusCode < 200) return { outcome: 'trying', statusCode };
  if (statusCode < 300) return { outcome: 'succeeded', statusCode };
  return { outcome: 'failed', statusCode };
}
