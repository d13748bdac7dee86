import type { RequestHandler } from '@sveltejs/kit';
import { readBodyLimited } from '$lib/server/http/read-body';
import { noStoreJson, recordingResponse } from '$lib/server/http/recording-response';
import { authorizeUpload, storeSegment } from '$lib/server/recordings/ingest-service';
import { RecordingError } from '$lib/server/recordings/recording-error';
import { checkSeq, parseSegmentHeaders } from '$lib/server/recordings/recording-validation';
import { getRecordingContext } from '$lib/server/recordings/server-recordings';

/** Upload one MP3 segment with the recording's Bearer token: 201 stored, 200 identical bytes already stored. */
export const PUT: RequestHandler = ({ params, request }) =>
  recordingResponse(async () => {
    const ctx = getRecordingContext();
    const recording = authorizeUpload(ctx, params.id ?? '', request.headers.get('authorization'));
    const seq = checkSeq(params.seq ?? '');
    const headers = parseSegmentHeaders(request.headers);
    const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'audio/mpeg') throw new RecordingError('bad_request', 'Content-Type must be audio/mpeg.');
    const body = await readBodyLimited(request, ctx.config.segmentMaxBytes);
    if (!body.ok) {
      if (body.reason === 'too_large') {
        throw new RecordingError(
          'too_large',
          `A segment may have at most ${ctx.config.segmentMaxBytes} bytes.`
        );
      }
      throw new RecordingError('bad_request', 'The body could not be read.');
    }
    const stored = await storeSegment(ctx, recording, seq, headers, body.bytes);
    return noStoreJson(stored, stored.created ? 201 : 200);
  });
