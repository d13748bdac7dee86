import type { SessionUser } from '../auth/session-user';
import type { Db } from '../db/open-database';
import { queryAuditRows, type AuditFilter } from '../repositories/audit-query-repository';
import type { AuditRow } from '../repositories/audit-repository';
import { appendAudit } from './append-audit';

/** Validated query of {@link listAudit}. */
export interface AuditQuery extends AuditFilter {
  /** Rows with ids below this one (the previous page's nextCursor). */
  cursor?: number;
  limit: number;
}

/** One page, newest first. */
export interface AuditPage {
  items: AuditRow[];
  nextCursor: string | null;
}

/** Lists audit rows for a DPO or supervisor; the viewing itself is audited. Role checks are the caller's. */
export function listAudit(db: Db, now: Date, user: SessionUser, query: AuditQuery): AuditPage {
  const { cursor, limit, ...filter } = query;
  const rows = queryAuditRows(db, filter, cursor ?? null, limit + 1);
  const items = rows.slice(0, limit);
  appendAudit(
    db,
    {
      actor: { id: user.id, name: user.username, role: user.role },
      action: 'audit.list',
      target: 'audit_log',
      result: 'ok',
      detail: { ...filter, cursor: cursor ?? null, results: items.length }
    },
    now
  );
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? String(last.id) : null };
}
