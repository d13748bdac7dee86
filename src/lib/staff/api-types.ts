/**
 * The JSON shapes of the API answers the staff pages show (docs/api.md). Type-only re-exports of the server's
 * own definitions, so the pages and the API cannot drift apart; nothing here reaches the browser bundle.
 */
export type {
  RecordingDetail,
  RecordingPage,
  RecordingSummary,
  SegmentIntegrity
} from '$lib/server/recordings/read-service';
export type { SarCaseView } from '$lib/server/services/sar-cases';
export type { SarRecordingPage } from '$lib/server/services/sar-recordings';
export type { SarRecordingRow } from '$lib/server/repositories/sar-repository';
export type { ActionProblem } from '$lib/server/staff/staff-api';
export type { StaffAreas } from '$lib/server/staff/staff-areas';

/** A legal hold as the recording detail shows it. */
export type LegalHold = NonNullable<
  import('$lib/server/recordings/read-service').RecordingDetail['legalHold']
>;
