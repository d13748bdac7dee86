import type { RequestHandler } from '@sveltejs/kit';
import { jsonBody, noStoreJson, recordingResponse } from '$lib/server/http/recording-response';
import {
  MAX_DETAIL_BYTES,
  MAX_EVENTS_PER_REQUEST,
  parseEvents
} from '$lib/server/recordings/event-validation';
import { addEvents, authorizeUpload } from '$lib/server/recordings/ingest-service';
import { getRecordingContext } from '$lib/server/recordings/server-recordings';

/** Largest events body: every event at its largest detail, plus room for the other fields. */
const EVENTS_MAX_BYTES = MAX_EVENTS_PER_REQUEST * (MAX_DETAIL_BYTES + 256);

/** Timeline events with the Bearer token, idempotent by event id: 200 `{added, duplicates}`. */
export const POST: RequestHandler = ({ params, request }) =>
  recordingResponse(async () => {
    const ctx = getRecordingContext();
    const recording = authorizeUpload(ctx, params.id ?? '', request.headers.get('authorization'));
    const events = parseEvents(await jsonBody(request, EVENTS_MAX_BYTES));
    return noStoreJson(addEvents(ctx, recording, events));
  });
