import { describe, expect, it } from 'vitest';
import {
  byteSize,
  clockDuration,
  daysUntil,
  dueStatus,
  recordingStatusLabel,
  spokenDuration,
  utcDateTime
} from './format';

describe('staff formatting', () => {
  it('shows UTC times without the T and milliseconds', () => {
    expect(utcDateTime('2025-03-01T09:00:05.123Z')).toBe('2025-03-01 09:00:05');
    expect(utcDateTime(null)).toBe('—');
    expect(utcDateTime('not a time')).toBe('not a time');
  });

  it('shows durations as a clock', () => {
    expect(clockDuration(0)).toBe('0:00');
    expect(clockDuration(65_999)).toBe('1:05');
    expect(clockDuration(3_725_000)).toBe('1:02:05');
    expect(clockDuration(null)).toBe('—');
    expect(clockDuration(-1)).toBe('—');
  });

  it('says durations in words', () => {
    expect(spokenDuration(400)).toBe('less than a second');
    expect(spokenDuration(65_000)).toBe('1 min 5 s');
    expect(spokenDuration(120_000)).toBe('2 min');
    expect(spokenDuration(3_600_000 + 1000)).toBe('1 h 1 s');
  });

  it('sizes bytes', () => {
    expect(byteSize(512)).toBe('512 B');
    expect(byteSize(1536)).toBe('1.5 KB');
    expect(byteSize(3 * 1024 * 1024)).toBe('3.0 MB');
  });

  it('counts days to a due date across month ends', () => {
    expect(daysUntil('2025-01-31', '2025-02-28')).toBe(28);
    expect(daysUntil('2025-03-02', '2025-02-28')).toBe(-2);
    expect(dueStatus('2025-02-28', '2025-02-28')).toBe('due today');
    expect(dueStatus('2025-02-27', '2025-02-28')).toBe('1 day left');
    expect(dueStatus('2025-03-02', '2025-02-28')).toBe('overdue by 2 days');
  });
});

describe('recordingStatusLabel', () => {
  it('names the stored statuses', () => {
    expect(recordingStatusLabel('open')).toBe('Still uploading');
    expect(recordingStatusLabel('complete')).toBe('Complete');
    expect(recordingStatusLabel('other')).toBe('other');
  });
});
