import type { RequestHandler } from '@sveltejs/kit';
import { requireAuditedRole } from '$lib/server/http/audited-guard';
import { jsonBody, noStoreJson, recordingResponse } from '$lib/server/http/recording-response';
import { createRecording } from '$lib/server/recordings/ingest-service';
import { LISTENER_ROLES } from '$lib/server/recordings/recording-context';
import { parseNewRecording } from '$lib/server/recordings/recording-validation';
import { searchRecordings } from '$lib/server/recordings/read-service';
import { parseSearchQuery } from '$lib/server/recordings/search-query';
import { getRecordingContext } from '$lib/server/recordings/server-recordings';

/** Advisor creates a recording: 201 `{id, uploadToken}`; the same id again by them: 200, same token. */
export const POST: RequestHandler = ({ locals, request }) =>
  recordingResponse(async () => {
    const user = requireAuditedRole(locals, ['advisor'], 'recording.create', 'recordings');
    if (user instanceof Response) return user;
    const ctx = getRecordingContext();
    const input = parseNewRecording(await jsonBody(request), ctx.now());
    const created = createRecording(ctx, user, input);
    return noStoreJson({ id: created.id, uploadToken: created.uploadToken }, created.created ? 201 : 200);
  });

/** Search (team leader: own team; supervisor, dpo: all): 200 `{items, nextCursor}`. */
export const GET: RequestHandler = ({ locals, url }) =>
  recordingResponse(() => {
    const user = requireAuditedRole(locals, LISTENER_ROLES, 'recording.search', 'recordings');
    if (user instanceof Response) return user;
    return noStoreJson(searchRecordings(getRecordingContext(), user, parseSearchQuery(url.searchParams)));
  });
