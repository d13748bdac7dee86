import type { RequestHandler } from '@sveltejs/kit';
import { parseAuditQuery } from '$lib/server/audit/audit-query';
import { listAudit } from '$lib/server/audit/audit-query-service';
import { requireAuditedRole } from '$lib/server/http/audited-guard';
import { getDb } from '$lib/server/db/server-db';
import { noStoreJson, recordingResponse } from '$lib/server/http/recording-response';

/** The audit log, newest first (dpo, supervisor): 200 `{items, nextCursor}`. */
export const GET: RequestHandler = ({ locals, url }) =>
  recordingResponse(() => {
    const user = requireAuditedRole(locals, ['dpo', 'supervisor'], 'audit.list', 'audit');
    if (user instanceof Response) return user;
    return noStoreJson(listAudit(getDb(), new Date(), user, parseAuditQuery(url.searchParams)));
  });
