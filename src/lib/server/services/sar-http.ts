import { json } from '@sveltejs/kit';
import type { LocalsWithUser } from '../auth/guards';
import { requireAuditedRole } from '../http/audited-guard';
import { jsonError } from '../http/json-error';
import { eraseRecording } from '../recordings/erase-service';
import { RecordingError, recordingErrorStatus } from '../recordings/recording-error';
import { dataKeyOf } from '../recordings/recording-keys';
import { getRecordingContext } from '../recordings/server-recordings';
import type { SarRecordingContext } from './sar-recordings';
import { checkSarId, SarError, sarErrorStatus } from './sar-validation';

const NO_STORE = { 'cache-control': 'no-store' };

/** The SAR context for a DPO, over the server's database, blob store and clock. */
function sarContext(user: { id: number; username: string; role: string }): SarRecordingContext {
  const rc = getRecordingContext();
  const actor = { id: user.id, name: user.username, role: user.role };
  return {
    db: rc.db,
    now: rc.now,
    actor,
    store: rc.store,
    dataKeyOf: (id) => dataKeyOf(rc, id),
    erase: (id, input) => eraseRecording(rc, id, input)
  };
}

/**
 * The frame of every `/api/sar/**` handler: only a DPO gets through (401 anonymous, 403 otherwise, the 403
 * audited), the case id (when the route has one) is parsed, `run` calls one service, and SarError /
 * RecordingError become `{error, detail}` answers. A plain value is sent as JSON with `status`.
 */
export async function sarHandler(
  locals: LocalsWithUser,
  params: { id?: string },
  action: string,
  run: (ctx: SarRecordingContext, caseId: number) => unknown,
  status = 200
): Promise<Response> {
  const target = params.id === undefined ? 'sar' : `sar:${params.id.slice(0, 20)}`;
  const user = requireAuditedRole(locals, ['dpo'], action, target);
  if (user instanceof Response) return user;
  try {
    const caseId = params.id === undefined ? 0 : checkSarId(params.id);
    const result = await run(sarContext(user), caseId);
    return result instanceof Response ? result : json(result, { status, headers: NO_STORE });
  } catch (err) {
    if (err instanceof SarError) return jsonError(sarErrorStatus(err.code), err.code, err.detail);
    if (err instanceof RecordingError) return jsonError(recordingErrorStatus(err.code), err.code, err.detail);
    throw err;
  }
}
