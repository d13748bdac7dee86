import type { RequestHandler } from '@sveltejs/kit';
import { sarHandler } from '$lib/server/services/sar-http';
import { listSarCaseRecordings } from '$lib/server/services/sar-recordings';
import { parseSarFilter } from '$lib/server/services/sar-validation';

/** Matching recordings (dpo): `?from=&to=&cursor=` -> 200 `{recordings, nextCursor}`, oldest first. */
export const GET: RequestHandler = ({ locals, params, url }) =>
  sarHandler(locals, params, 'sar.search', (ctx, id) =>
    listSarCaseRecordings(ctx, id, parseSarFilter(url.searchParams), url.searchParams.get('cursor'))
  );
