/**
 * The main-thread recorder's state machine (`recorder`), one instance per recording:
 * ```
 *   idle ──start──▶ starting ──started──────▶ capturing ◀──resume── paused
 *                     │  ╲                     │   └──────pause──────▶ │
 *                     │   ╲──startedPaused─────┼─────────────────────▶ │
 *                     │                        └──stop──▶ stopping ◀──stop
 *                     │                                       │
 *                     └─fail─▶ failed ◀──fail── (capturing, paused, stopping)
 *                                                 stopping ──stopped──▶ stopped
 * ```
 * A pause or resume asked for while starting is remembered and applied at `started`/`startedPaused`, so a
 * recording paused before its first sample never lets a sample out. `stopped` and `failed` are final.
 */
import type { TransitionTable } from '../domain/state-machine';

/** Recorder states. */
export type RecorderState = 'idle' | 'starting' | 'capturing' | 'paused' | 'stopping' | 'stopped' | 'failed';

/** Recorder events. */
export type RecorderEvent =
  'start' | 'started' | 'startedPaused' | 'pause' | 'resume' | 'stop' | 'stopped' | 'fail';

/** The transition table of the recorder. */
export const RECORDER_TRANSITIONS: TransitionTable<RecorderState, RecorderEvent> = {
  idle: { start: 'starting' },
  starting: {
    started: 'capturing',
    startedPaused: 'paused',
    pause: 'starting',
    resume: 'starting',
    fail: 'failed'
  },
  capturing: { pause: 'paused', stop: 'stopping', fail: 'failed' },
  paused: { resume: 'capturing', pause: 'paused', stop: 'stopping', fail: 'failed' },
  stopping: { stopped: 'stopped', fail: 'failed' },
  stopped: {},
  failed: {}
};
