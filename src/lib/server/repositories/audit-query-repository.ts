import type { Db } from '../db/open-database';
import type { AuditRow } from './audit-repository';

/** Filters of the audit view; `from` inclusive, `to` exclusive, `action` exact or a prefix ending in '.'. */
export interface AuditFilter {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
}

/** Audit rows newest first, after (below) the id `beforeId` when given. */
export function queryAuditRows(
  db: Db,
  filter: AuditFilter,
  beforeId: number | null,
  limit: number
): AuditRow[] {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit };
  if (filter.from !== undefined) {
    where.push('at >= @from');
    params.from = filter.from;
  }
  if (filter.to !== undefined) {
    where.push('at < @to');
    params.to = filter.to;
  }
  if (filter.actor !== undefined) {
    where.push('actor_name = @actor');
    params.actor = filter.actor;
  }
  if (filter.action !== undefined) {
    if (filter.action.endsWith('.')) {
      where.push('substr(action, 1, length(@action)) = @action');
    } else {
      where.push('action = @action');
    }
    params.action = filter.action;
  }
  if (beforeId !== null) {
    where.push('id < @beforeId');
    params.beforeId = beforeId;
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  return db
    .prepare(`SELECT * FROM audit_log ${clause} ORDER BY id DESC LIMIT @limit`)
    .all(params) as AuditRow[];
}
