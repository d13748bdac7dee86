import type { RequestHandler } from '@sveltejs/kit';
import { requireAuditedRole } from '$lib/server/http/audited-guard';
import { jsonBody, noStoreJson, recordingResponse } from '$lib/server/http/recording-response';
import { actorOf, LISTENER_ROLES } from '$lib/server/recordings/recording-context';
import { eraseRecording, parseErase } from '$lib/server/recordings/erase-service';
import { RecordingError } from '$lib/server/recordings/recording-error';
import { checkRecordingId } from '$lib/server/recordings/recording-validation';
import { getRecordingDetail } from '$lib/server/recordings/read-service';
import { getRecordingContext } from '$lib/server/recordings/server-recordings';

/** Metadata, timeline, segments and integrity (audited as a read). */
export const GET: RequestHandler = ({ locals, params }) =>
  recordingResponse(async () => {
    const user = requireAuditedRole(locals, LISTENER_ROLES, 'recording.read', params.id ?? '');
    if (user instanceof Response) return user;
    const id = checkRecordingId(params.id);
    return noStoreJson(await getRecordingDetail(getRecordingContext(), user, id));
  });

/** DPO erases a recording `{reason, reference}`: 204; 409 under legal hold (audited); 410 already gone. */
export const DELETE: RequestHandler = ({ locals, params, request }) =>
  recordingResponse(async () => {
    const user = requireAuditedRole(locals, ['dpo'], 'recording.erase', params.id ?? '');
    if (user instanceof Response) return user;
    const id = checkRecordingId(params.id);
    const input = parseErase(await jsonBody(request));
    const outcome = await eraseRecording(getRecordingContext(), id, { ...input, actor: actorOf(user) });
    if (outcome === 'already_gone') throw new RecordingError('gone', 'The recording was already removed.');
    return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
  });
