import type { Migration } from './migration';

/**
 * What the stitched MP3 needs to play exactly the captured audio (see recordings/mp3-info-frame.ts):
 * - `recordings.encoder_delay_samples` / `padding_samples`: decoded samples before the first and after the
 *   last captured sample, as the browser's encoder reports them with `finish` (NULL when not sent).
 * - `recording_segments.frame_count`: MPEG frames in the segment, counted at ingest (NULL for rows stored
 *   before this migration, whose recordings then play without the gapless frame, as before).
 */
export const migration004: Migration = {
  id: 4,
  name: 'gapless-playback',
  sql: `
    ALTER TABLE recordings ADD COLUMN encoder_delay_samples INTEGER
      CHECK (encoder_delay_samples IS NULL OR encoder_delay_samples >= 0);
    ALTER TABLE recordings ADD COLUMN padding_samples INTEGER
      CHECK (padding_samples IS NULL OR padding_samples >= 0);
    ALTER TABLE recording_segments ADD COLUMN frame_count INTEGER
      CHECK (frame_count IS NULL OR frame_count > 0);
  `
};
