/** Why a recording operation was refused; each maps to one HTTP status in {@link recordingErrorStatus}. */
export type RecordingErrorCode =
  | 'bad_request'
  | 'not_mpeg'
  | 'hash_mismatch'
  | 'too_large'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'legal_hold'
  | 'gone'
  | 'range_not_satisfiable';

const STATUS: Record<RecordingErrorCode, number> = {
  bad_request: 400,
  not_mpeg: 400,
  hash_mismatch: 400,
  too_large: 413,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  legal_hold: 409,
  gone: 410,
  range_not_satisfiable: 416
};

/** Thrown by the recording services; nothing was changed (apart from an audit row for a denial). */
export class RecordingError extends Error {
  constructor(
    readonly code: RecordingErrorCode,
    readonly detail: string
  ) {
    super(detail);
    this.name = 'RecordingError';
  }
}

/** The HTTP status of a {@link RecordingError} code. */
export function recordingErrorStatus(code: RecordingErrorCode): number {
  return STATUS[code];
}
