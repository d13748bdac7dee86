import { appendAudit } from '../audit/append-audit';
import type { EraseInput, EraseOutcome } from '../recordings/erase-service';
import { RecordingError } from '../recordings/recording-error';
import { listSarRecordings, type SarRecordingRow } from '../repositories/sar-repository';
import type { BlobStore } from '../storage/blob-store';
import { mustFindCase, sarTarget, type SarContext } from './sar-cases';
import { SarError, type SarRecordingFilter } from './sar-validation';

/** Side effects of the SAR services that touch recordings. */
export interface SarRecordingContext extends SarContext {
  /** Reads audio (the export). */
  store: Pick<BlobStore, 'get'>;
  /** A recording's data key for `store.get` (the recordings service's `dataKeyOf`, bound to its context). */
  dataKeyOf: (recordingId: string) => Uint8Array | undefined;
  /** Erases one recording: the recordings service's `eraseRecording`, bound to its context. */
  erase: (id: string, input: EraseInput) => Promise<EraseOutcome>;
  /** Largest audio total of one export bundle; default 512 MiB. */
  maxBundleBytes?: number;
}

/** One page of a case's recordings. */
export interface SarRecordingPage {
  recordings: SarRecordingRow[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** A page position `startedAt|id`, opaque to clients. */
export function encodeSarCursor(r: { startedAt: string; id: string }): string {
  return Buffer.from(`${r.startedAt}|${r.id}`, 'utf8').toString('base64url');
}

/** @throws SarError bad_request */
export function decodeSarCursor(text: string): { startedAt: string; id: string } {
  const [startedAt, id, extra] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (!startedAt || !id || extra !== undefined || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new SarError('bad_request', 'Bad cursor.');
  }
  return { startedAt, id };
}

/**
 * A page of live recordings matching the case's subjects (phone numbers, advisors), oldest first, optionally
 * from / to (ISO-8601 UTC, `to` exclusive). Audited as `sar.search`.
 * @throws SarError not_found, bad_request
 */
export function listSarCaseRecordings(
  ctx: SarContext,
  caseId: number,
  filter: SarRecordingFilter,
  cursor: string | null,
  limit = 200
): SarRecordingPage {
  const after = cursor ? decodeSarCursor(cursor) : null;
  const c = mustFindCase(ctx.db, caseId);
  const rows = listSarRecordings(ctx.db, caseId, { ...filter, after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  appendAudit(
    ctx.db,
    {
      actor: ctx.actor,
      action: 'sar.search',
      target: sarTarget(c),
      purpose: 'subject-access',
      result: 'ok',
      detail: { reference: c.reference, ...filter, found: page.length }
    },
    ctx.now()
  );
  const last = page[page.length - 1];
  return { recordings: page, nextCursor: rows.length > limit && last ? encodeSarCursor(last) : null };
}

/** Every live recording matching the case (all pages), without auditing: the caller audits what it does. */
export function allSarRecordings(
  ctx: SarContext,
  caseId: number,
  filter: SarRecordingFilter
): SarRecordingRow[] {
  const out: SarRecordingRow[] = [];
  for (;;) {
    const last = out[out.length - 1];
    const page = listSarRecordings(ctx.db, caseId, { ...filter, after: last ?? null, limit: 1000 });
    out.push(...page);
    if (page.length < 1000) return out;
  }
}

/** Answer of {@link eraseSarRecordings}. */
export interface SarEraseResult {
  erased: string[];
  /** Refused because under legal hold (each refusal is in the audit log). */
  refused: { id: string; error: 'legal_hold'; detail: string }[];
}

/**
 * Erases every live recording matching an open case, with the case reference and the given reason, through
 * the recordings service (which deletes the audio and personal data and audits each one). Held recordings are
 * refused and reported; the rest are erased. A summary row `sar.erase` closes the run.
 * @throws SarError not_found, case_closed
 */
export async function eraseSarRecordings(
  ctx: SarRecordingContext,
  caseId: number,
  reason: string
): Promise<SarEraseResult> {
  const c = mustFindCase(ctx.db, caseId);
  if (c.status !== 'open') throw new SarError('case_closed', `Case ${c.reference} is closed.`);
  const result: SarEraseResult = { erased: [], refused: [] };
  for (const r of allSarRecordings(ctx, caseId, { from: null, to: null })) {
    try {
      if ((await ctx.erase(r.id, { reason, reference: c.reference, actor: ctx.actor })) === 'erased') {
        result.erased.push(r.id);
      }
    } catch (err) {
      if (!(err instanceof RecordingError) || err.code !== 'legal_hold') throw err;
      result.refused.push({ id: r.id, error: 'legal_hold', detail: err.detail });
    }
  }
  appendAudit(
    ctx.db,
    {
      actor: ctx.actor,
      action: 'sar.erase',
      target: sarTarget(c),
      purpose: 'subject-access',
      result: result.refused.length === 0 ? 'ok' : 'partial',
      detail: {
        reference: c.reference,
        reason,
        erased: result.erased.length,
        refused: result.refused.map((r) => r.id)
      }
    },
    ctx.now()
  );
  return result;
}
