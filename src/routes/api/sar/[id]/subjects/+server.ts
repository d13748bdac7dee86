import type { RequestHandler } from '@sveltejs/kit';
import { readJsonObject } from '$lib/server/http/json-error';
import { addSarSubjects } from '$lib/server/services/sar-cases';
import { sarHandler } from '$lib/server/services/sar-http';
import { parseSarSubjects } from '$lib/server/services/sar-validation';

/** Attach the subject's identifiers (dpo): `{phones?: string[], advisors?: string[]}` -> 200 the case. */
export const POST: RequestHandler = async ({ locals, params, request }) => {
  const body = await readJsonObject(request);
  return sarHandler(locals, params, 'sar.subjects', (ctx, id) =>
    addSarSubjects(ctx, id, parseSarSubjects(body))
  );
};
