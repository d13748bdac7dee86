import type { RequestHandler } from '@sveltejs/kit';
import { readJsonObject } from '$lib/server/http/json-error';
import { listSarCaseViews, openSarCase } from '$lib/server/services/sar-cases';
import { sarHandler } from '$lib/server/services/sar-http';
import { parseOpenSar, SarError } from '$lib/server/services/sar-validation';

/** Cases (dpo): `?status=open|closed` -> 200 `{cases}`. */
export const GET: RequestHandler = ({ locals, url }) =>
  sarHandler(locals, {}, 'sar.list', (ctx) => {
    const status = url.searchParams.get('status');
    if (status !== null && status !== 'open' && status !== 'closed') {
      throw new SarError('bad_request', 'status must be open or closed.');
    }
    return { cases: listSarCaseViews(ctx, status ?? undefined) };
  });

/** Open a case (dpo): `{reference, receivedOn}` -> 201 the case with its due date; 409 duplicate reference. */
export const POST: RequestHandler = async ({ locals, request }) => {
  const body = await readJsonObject(request);
  return sarHandler(locals, {}, 'sar.open', (ctx) => openSarCase(ctx, parseOpenSar(body, ctx.now())), 201);
};
