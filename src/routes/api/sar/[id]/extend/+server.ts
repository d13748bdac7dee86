import type { RequestHandler } from '@sveltejs/kit';
import { readJsonObject } from '$lib/server/http/json-error';
import { extendSarCase } from '$lib/server/services/sar-cases';
import { sarHandler } from '$lib/server/services/sar-http';
import { parseExtendSar } from '$lib/server/services/sar-validation';

/** Extend the time limit (dpo): `{months: 1|2, reason}` -> 200 the case; 409 closed, too late or not later. */
export const POST: RequestHandler = async ({ locals, params, request }) => {
  const body = await readJsonObject(request);
  return sarHandler(locals, params, 'sar.extend', (ctx, id) => extendSarCase(ctx, id, parseExtendSar(body)));
};
