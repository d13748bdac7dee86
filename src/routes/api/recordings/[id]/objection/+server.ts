import type { RequestHandler } from '@sveltejs/kit';
import { noStoreJson, recordingResponse } from '$lib/server/http/recording-response';
import { authorizeUpload } from '$lib/server/recordings/ingest-service';
import { recordObjection } from '$lib/server/recordings/objection-service';
import { getRecordingContext } from '$lib/server/recordings/server-recordings';

/** The caller objected: erase this recording's audio, keep the decision on the audit log. Bearer upload token. */
export const POST: RequestHandler = ({ params, request }) =>
  recordingResponse(async () => {
    const ctx = getRecordingContext();
    const recording = authorizeUpload(ctx, params.id ?? '', request.headers.get('authorization'));
    return noStoreJson({ outcome: await recordObjection(ctx, recording) });
  });
