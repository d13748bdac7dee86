/**
 * Turns a recording's stored timeline into sentences a listener can follow (pure): what happened, whether the
 * audio stops or starts again there, where that is in the audio, and for how long audio is missing. The
 * event kinds and detail fields are the recording policy's (`src/lib/domain/recording-policy-types.ts`);
 * details come from the browser, so anything unexpected is shown plainly rather than trusted.
 */

/** A timeline event as `GET /api/recordings/{id}` returns it. */
export interface StoredTimelineEvent {
  id: string;
  type: string;
  at: string;
  detail: Record<string, unknown> | null;
}

/** What an event does to the audio. */
export type AudioEffect = 'starts' | 'stops' | null;

/** One line of the readable timeline. */
export interface TimelineLine {
  id: string;
  at: string;
  /** What happened, in words. */
  text: string;
  audio: AudioEffect;
  /** Position in the recorded audio when the event happened (ms); null before the recording started. */
  audioAtMs: number | null;
  /** For an event that stops the audio: wall-clock time until it starts again (null: it never does). */
  missingMs: number | null;
}

const PAUSE_REASONS: Record<string, string> = {
  payment: 'Paused: the caller is with the card-payment line, so nothing is recorded',
  hold: 'Paused: the call is on hold',
  manual: 'Paused by the advisor (manual pause)'
};

const GAP_CAUSES: Record<string, string> = {
  'page-hide': "Gap: the advisor's page was closed or reloaded",
  reload: 'Gap: the app restarted and found this recording unfinished',
  reconnect: "Gap: the phone's connection to the exchange dropped",
  error: 'Gap: an error in the phone or the recorder',
  'transfer-outcome-unknown': 'Gap: a transfer to the payment line had an unknown outcome'
};

const END_REASONS: Record<string, string> = {
  'call-ended': 'Recording ended: the call ended',
  'not-connected': 'Recording ended: the call never connected',
  'transfer-completed': 'Recording ended: the call was transferred',
  uncertain: 'Recording ended: the app could no longer vouch for the audio, so it stopped (fail closed)'
};

const TRANSFER_KINDS: Record<string, string> = {
  blind: 'Blind transfer',
  attended: 'Attended transfer',
  payment: 'Transfer to the payment line'
};

const PLAIN: Record<string, string> = {
  started: 'Recording started',
  resumed: 'Recording resumed',
  hold: 'Call put on hold',
  unhold: 'Call taken off hold',
  'consultation-connected': 'Consultation connected (recorded while the caller waits)',
  'consultation-ended': 'Consultation ended',
  'transfer-completed': 'Transfer completed',
  'payment-leg-started': 'Payment line joined the call',
  'payment-leg-ended': 'Payment line left the call',
  'manual-pause': 'Advisor pressed pause',
  'manual-resume': 'Advisor pressed resume',
  objection: 'Caller objected to being recorded'
};

function text(detail: Record<string, unknown> | null, key: string): string | null {
  const value = detail?.[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

function known(table: Record<string, string>, value: string | null, fallback: string): string {
  if (value === null) return `${fallback} (not recorded why)`;
  return table[value] ?? `${fallback} (${value})`;
}

/** One event in words. */
export function describeEvent(type: string, detail: Record<string, unknown> | null): string {
  switch (type) {
    case 'paused':
      return known(PAUSE_REASONS, text(detail, 'reason'), 'Paused');
    case 'gap':
      return known(GAP_CAUSES, text(detail, 'cause'), 'Gap in the audio');
    case 'ended':
      return known(END_REASONS, text(detail, 'reason'), 'Recording ended');
    case 'consultation-started':
      return detail?.payment === true
        ? 'Consultation with the payment line started'
        : 'Consultation call started (attended transfer)';
    case 'transfer-requested': {
      const kind = detail?.payment === true ? 'payment' : text(detail, 'transfer');
      return `${kind === null ? 'Transfer' : (TRANSFER_KINDS[kind] ?? 'Transfer')} requested`;
    }
    case 'transfer-accepted':
      return 'Transfer accepted by the exchange';
    case 'transfer-failed':
      return 'Transfer failed; the caller stayed on the call';
    default:
      return PLAIN[type] ?? `Event: ${type}`;
  }
}

/** Whether an event starts or stops the captured audio. */
export function audioEffect(type: string): AudioEffect {
  if (type === 'started' || type === 'resumed') return 'starts';
  if (type === 'paused' || type === 'gap' || type === 'ended' || type === 'objection') return 'stops';
  return null;
}

/**
 * The readable timeline, oldest first. Audio positions add up the time between each start and the next stop
 * (paused time is not in the audio), so a listener can find the place in the player.
 */
export function readableTimeline(events: readonly StoredTimelineEvent[]): TimelineLine[] {
  const sorted = [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const lines: TimelineLine[] = [];
  let capturing = false;
  let started = false;
  let audioMs = 0;
  let last = 0;
  for (const e of sorted) {
    const t = Date.parse(e.at);
    if (capturing) audioMs += Math.max(0, t - last);
    last = t;
    const audio = audioEffect(e.type);
    if (audio === 'starts') started = true;
    lines.push({
      id: e.id,
      at: e.at,
      text: describeEvent(e.type, e.detail),
      audio,
      audioAtMs: started ? audioMs : null,
      missingMs: null
    });
    if (audio !== null) capturing = audio === 'starts';
  }
  for (const [i, line] of lines.entries()) {
    if (line.audio !== 'stops' || !capturingBefore(lines, i)) continue;
    const resume = lines.slice(i + 1).find((l) => l.audio === 'starts');
    line.missingMs = resume ? Date.parse(resume.at) - Date.parse(line.at) : null;
  }
  return lines;
}

/** True when the audio was running just before line `i` (so a stop there really cuts it). */
function capturingBefore(lines: readonly TimelineLine[], i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    const audio = lines[j]?.audio;
    if (audio !== null && audio !== undefined) return audio === 'starts';
  }
  return false;
}
