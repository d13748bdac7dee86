import type { Db } from '../db/open-database';
import { listAuditRows, type AuditRow } from '../repositories/audit-repository';
import { auditRowHash, GENESIS_HASH } from './audit-hash';

/** Summary printed by `npm run audit:verify`. `firstBadId` is the first row (or missing id) that breaks. */
export interface AuditVerification {
  rows: number;
  ok: boolean;
  firstBadId?: number;
  /** What broke at firstBadId: 'hash' (row edited), 'link' (prev_hash differs), 'gap' (rows deleted). */
  problem?: 'hash' | 'link' | 'gap';
}

/**
 * Walks rows in id order: ids must run 1, 2, 3... with no gap, each prev_hash must equal the previous row's
 * hash (the genesis hash first) and each hash must match the row's content. Deleting the newest rows leaves
 * an intact shorter chain; compare `rows` with a count kept elsewhere to catch that.
 */
export function verifyAuditRows(rows: Iterable<AuditRow>): AuditVerification {
  let count = 0;
  let expectedId = 1;
  let prevHash = GENESIS_HASH;
  for (const row of rows) {
    count++;
    if (row.id !== expectedId) return { rows: count, ok: false, firstBadId: expectedId, problem: 'gap' };
    if (row.prev_hash !== prevHash) return { rows: count, ok: false, firstBadId: row.id, problem: 'link' };
    if (auditRowHash(row) !== row.hash)
      return { rows: count, ok: false, firstBadId: row.id, problem: 'hash' };
    prevHash = row.hash;
    expectedId++;
  }
  return { rows: count, ok: true };
}

/** Verifies the whole audit log of `db`, reading it in pages. */
export function verifyAuditChain(db: Db, pageSize = 5000): AuditVerification {
  function* pages(): Generator<AuditRow> {
    let from = 0;
    for (;;) {
      const page = listAuditRows(db, from, pageSize);
      yield* page;
      const last = page[page.length - 1];
      if (page.length < pageSize || !last) return;
      from = last.id + 1;
    }
  }
  const result = verifyAuditRows(pages());
  if (!result.ok)
    return { ...result, rows: (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n };
  return result;
}
