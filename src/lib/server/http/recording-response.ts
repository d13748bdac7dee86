import { RecordingError, recordingErrorStatus } from '../recordings/recording-error';
import { jsonError } from './json-error';
import { readBodyLimited, readJsonLimited } from './read-body';

/** Runs a handler body and turns a thrown {@link RecordingError} into its JSON `{error, detail}` answer. */
export async function recordingResponse(run: () => Response | Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof RecordingError) return jsonError(recordingErrorStatus(err.code), err.code, err.detail);
    throw err;
  }
}

/** Largest JSON body of the recording routes other than events. */
export const SMALL_JSON_BYTES = 16 * 1024;

/** Reads a JSON body of at most `maxBytes`. @throws RecordingError too_large | bad_request */
export async function jsonBody(request: Request, maxBytes = SMALL_JSON_BYTES): Promise<unknown> {
  const body = await readJsonLimited(request, maxBytes);
  if (body.ok) return body.value;
  if (body.reason === 'too_large')
    throw new RecordingError('too_large', `The body exceeds ${maxBytes} bytes.`);
  throw new RecordingError('bad_request', 'The body is not valid JSON.');
}

/** JSON with `Cache-Control: no-store`. */
export function noStoreJson(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }
  });
}

/** Like {@link jsonBody}, but an empty body gives undefined. @throws RecordingError too_large | bad_request */
export async function optionalJsonBody(request: Request, maxBytes = SMALL_JSON_BYTES): Promise<unknown> {
  const body = await readBodyLimited(request, maxBytes);
  if (!body.ok && body.reason === 'too_large') {
    throw new RecordingError('too_large', `The body exceeds ${maxBytes} bytes.`);
  }
  if (!body.ok) throw new RecordingError('bad_request', 'The body could not be read.');
  if (body.bytes.length === 0) return undefined;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body.bytes));
  } catch {
    throw new RecordingError('bad_request', 'The body is not valid JSON.');
  }
}
