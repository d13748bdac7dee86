import type { RequestHandler } from '@sveltejs/kit';
import { jsonBody, noStoreJson, recordingResponse } from '$lib/server/http/recording-response';
import { authorizeUpload, finishRecording } from '$lib/server/recordings/ingest-service';
import { parseFinish } from '$lib/server/recordings/recording-validation';
import { getRecordingContext } from '$lib/server/recordings/server-recordings';

/** `{segmentCount, durationMs}` with the Bearer token: 200 `{complete, missing}`. */
export const POST: RequestHandler = ({ params, request }) =>
  recordingResponse(async () => {
    const ctx = getRecordingContext();
    const recording = authorizeUpload(ctx, params.id ?? '', request.headers.get('authorization'));
    return noStoreJson(finishRecording(ctx, recording, parseFinish(await jsonBody(request))));
  });
