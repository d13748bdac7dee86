import type { EndReason } from '$lib/domain/call-leg';
import type { TransferKind } from '$lib/domain/transfer';

/**
 * Call events the phone emits, in the order they happen, for the recording policy
 * and the UI. `transfer-requested` is emitted synchronously BEFORE the REFER or the
 * consultation INVITE leaves the browser, so a listener can stop capture first.
 * Events carry no keypad digits.
 */
export type PhoneEvent =
  | { type: 'incoming'; legId: string; recordedLine: boolean; remoteNumber: string }
  /** The advisor placed a call (not a consultation), or the phone followed a REFER as transferee. */
  | { type: 'outgoing'; legId: string; remoteNumber: string }
  | { type: 'connected'; legId: string; consultation: boolean }
  /** Emitted when hold is asked for, before the re-INVITE leaves. */
  | { type: 'hold'; legId: string }
  /** Emitted once resume succeeded, or when a hold attempt failed (the call is live again). */
  | { type: 'unhold'; legId: string }
  /** The leg's media changed (another microphone): capture must pick up the new tracks. */
  | { type: 'media-changed'; legId: string }
  | { type: 'consultation-started'; legId: string; target: string; kind: TransferKind }
  | { type: 'consultation-ended'; legId: string }
  | { type: 'transfer-requested'; legId: string; target: string; kind: TransferKind }
  | { type: 'transfer-accepted'; legId: string; kind: TransferKind }
  | { type: 'transfer-failed'; legId: string; kind: TransferKind; statusCode: number | undefined }
  | { type: 'ended'; legId: string; reason: EndReason };

export type PhoneEventListener = (event: PhoneEvent) => void;
