import type { RequestHandler } from '@sveltejs/kit';
import { requireAuditedRole } from '$lib/server/http/audited-guard';
import { recordingResponse } from '$lib/server/http/recording-response';
import { checkPurpose, readAudio } from '$lib/server/recordings/audio-service';
import { LISTENER_ROLES } from '$lib/server/recordings/recording-context';
import { RecordingError } from '$lib/server/recordings/recording-error';
import { checkRecordingId } from '$lib/server/recordings/recording-validation';
import { getRecordingContext } from '$lib/server/recordings/server-recordings';

/** The stitched MP3 (`?purpose=` required), with Range support: 200, 206, 416. Audited as a play. */
export const GET: RequestHandler = ({ locals, params, url, request }) =>
  recordingResponse(async () => {
    const user = requireAuditedRole(locals, LISTENER_ROLES, 'recording.play', params.id ?? '');
    if (user instanceof Response) return user;
    const id = checkRecordingId(params.id);
    const purpose = checkPurpose(url.searchParams.get('purpose'));
    const headers: Record<string, string> = {
      'content-type': 'audio/mpeg',
      'accept-ranges': 'bytes',
      'cache-control': 'no-store'
    };
    let audio;
    try {
      audio = await readAudio(getRecordingContext(), user, id, purpose, request.headers.get('range'));
    } catch (err) {
      if (err instanceof RecordingError && err.code === 'range_not_satisfiable') {
        const total = /(\d+) bytes/.exec(err.detail)?.[1] ?? '0';
        return new Response(JSON.stringify({ error: err.code, detail: err.detail }), {
          status: 416,
          headers: {
            'content-type': 'application/json',
            'cache-control': 'no-store',
            'content-range': `bytes */${total}`
          }
        });
      }
      throw err;
    }
    headers['content-length'] = String(audio.bytes.length);
    if (audio.range)
      headers['content-range'] = `bytes ${audio.range.start}-${audio.range.end}/${audio.total}`;
    return new Response(audio.bytes as Uint8Array<ArrayBuffer>, { status: audio.range ? 206 : 200, headers });
  });
