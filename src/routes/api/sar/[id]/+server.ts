import type { RequestHandler } from '@sveltejs/kit';
import { getSarCase } from '$lib/server/services/sar-cases';
import { sarHandler } from '$lib/server/services/sar-http';

/** One case with its subjects (dpo) -> 200; 404 unknown. */
export const GET: RequestHandler = ({ locals, params }) =>
  sarHandler(locals, params, 'sar.view', (ctx, id) => getSarCase(ctx, id));
