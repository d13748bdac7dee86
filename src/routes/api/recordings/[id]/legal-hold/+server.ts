import type { RequestHandler } from '@sveltejs/kit';
import { requireAuditedRole } from '$lib/server/http/audited-guard';
import {
  jsonBody,
  noStoreJson,
  optionalJsonBody,
  recordingResponse
} from '$lib/server/http/recording-response';
import { RecordingError } from '$lib/server/recordings/recording-error';
import { parseHold, placeLegalHold, releaseLegalHold } from '$lib/server/recordings/hold-service';
import { checkRecordingId, checkText } from '$lib/server/recordings/recording-validation';
import { getRecordingContext } from '$lib/server/recordings/server-recordings';

const HOLDERS = ['supervisor', 'dpo'] as const;

/** Place or replace a hold `{reference, reason, reviewBy}`: 201 new, 200 replaced. */
export const PUT: RequestHandler = ({ locals, params, request }) =>
  recordingResponse(async () => {
    const user = requireAuditedRole(locals, HOLDERS, 'legal-hold.place', params.id ?? '');
    if (user instanceof Response) return user;
    const id = checkRecordingId(params.id);
    const ctx = getRecordingContext();
    const input = parseHold(await jsonBody(request), ctx.now());
    const { hold, created } = placeLegalHold(ctx, user, id, input);
    const { reference, reason, reviewBy, placedAt } = hold;
    return noStoreJson({ recordingId: id, reference, reason, reviewBy, placedAt }, created ? 201 : 200);
  });

/** Release the hold; an optional body `{reason}` goes to the audit log. 204, or 404 when there is none. */
export const DELETE: RequestHandler = ({ locals, params, request }) =>
  recordingResponse(async () => {
    const user = requireAuditedRole(locals, HOLDERS, 'legal-hold.release', params.id ?? '');
    if (user instanceof Response) return user;
    const id = checkRecordingId(params.id);
    const body = await optionalJsonBody(request);
    if (body !== undefined && (body === null || typeof body !== 'object' || Array.isArray(body))) {
      throw new RecordingError('bad_request', 'Send no body or a JSON object {reason}.');
    }
    const raw = body === undefined ? undefined : (body as Record<string, unknown>).reason;
    const reason = raw === undefined ? null : checkText(raw, 'reason', 500);
    releaseLegalHold(getRecordingContext(), user, id, reason);
    return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
  });
