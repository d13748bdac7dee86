import type { RequestHandler } from '@sveltejs/kit';
import { readJsonObject } from '$lib/server/http/json-error';
import { sarHandler } from '$lib/server/services/sar-http';
import { eraseSarRecordings } from '$lib/server/services/sar-recordings';
import { parseSarErase } from '$lib/server/services/sar-validation';

/** Erase every matching recording (dpo): `{reason}` -> 200 `{erased: [id], refused: [{id, error, detail}]}`. */
export const POST: RequestHandler = async ({ locals, params, request }) => {
  const body = await readJsonObject(request);
  return sarHandler(locals, params, 'sar.erase', (ctx, id) =>
    eraseSarRecordings(ctx, id, parseSarErase(body).reason)
  );
};
