import type { RecordingRecord, SegmentRecord } from '../repositories/recording-repository';
import { gaplessInfoFrame } from './mp3-info-frame';

/** The recording fields the prefix depends on. */
export type GaplessRecording = Pick<
  RecordingRecord,
  'encoderDelaySamples' | 'paddingSamples' | 'expectedSegmentCount'
>;

const NONE = new Uint8Array(0);

/**
 * The bytes to put before a recording's stitched segments so it plays exactly what was captured: a gapless
 * info frame (see mp3-info-frame.ts), or nothing when the browser did not report its encoder delay, the first
 * segment is not stored, or a segment predates frame counting. The end padding is stated only when every
 * expected segment is there (otherwise the last stored frame is not the recording's last).
 * `firstSegmentHead` is the first 4 bytes of segment 0.
 */
export function gaplessPrefix(
  recording: GaplessRecording,
  segments: readonly Pick<SegmentRecord, 'seq' | 'size' | 'frameCount'>[],
  firstSegmentHead: Uint8Array | undefined
): Uint8Array {
  if (recording.encoderDelaySamples === null || !firstSegmentHead || segments[0]?.seq !== 0) return NONE;
  let frames = 0;
  let audioBytes = 0;
  for (const s of segments) {
    if (s.frameCount === null) return NONE;
    frames += s.frameCount;
    audioBytes += s.size;
  }
  const whole =
    recording.expectedSegmentCount !== null &&
    segments.length === recording.expectedSegmentCount &&
    segments.every((s, i) => s.seq === i);
  const frame = gaplessInfoFrame(firstSegmentHead, {
    encoderDelaySamples: recording.encoderDelaySamples,
    paddingSamples: whole ? recording.paddingSamples : null,
    frames,
    audioBytes
  });
  return frame ?? NONE;
}

/** Whether {@link gaplessPrefix} could give a frame, i.e. whether segment 0's head is worth reading. */
export function mayHaveGaplessPrefix(
  recording: GaplessRecording,
  segments: readonly Pick<SegmentRecord, 'seq' | 'frameCount'>[]
): boolean {
  return (
    recording.encoderDelaySamples !== null &&
    segments[0]?.seq === 0 &&
    segments.every((s) => s.frameCount !== null)
  );
}
