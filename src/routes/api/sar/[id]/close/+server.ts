import type { RequestHandler } from '@sveltejs/kit';
import { readJsonObject } from '$lib/server/http/json-error';
import { closeSarCase } from '$lib/server/services/sar-cases';
import { sarHandler } from '$lib/server/services/sar-http';
import { parseSarClose } from '$lib/server/services/sar-validation';

/** Close the case (dpo): `{}` or `{note}` -> 200 the case; its recordings become subject to retention again. */
export const POST: RequestHandler = async ({ locals, params, request }) => {
  const body = await readJsonObject(request);
  return sarHandler(locals, params, 'sar.close', (ctx, id) =>
    closeSarCase(ctx, id, parseSarClose(body).note)
  );
};
