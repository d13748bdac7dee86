/**
 * Display formatting for the staff pages (pure). Times are shown in UTC, labelled as such, so the pages, the
 * audit log and an export bundle all name the same instant the same way.
 */

/** `2025-03-01T09:00:05.000Z` -> `2025-03-01 09:00:05`; anything else is returned unchanged. */
export function utcDateTime(iso: string | null): string {
  if (iso === null) return '—';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

/** A length as a clock: `65_000` -> `1:05`, `3_725_000` -> `1:02:05`; null -> `—`. Rounds down to seconds. */
export function clockDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '—';
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A length in words, for sentences: `65_000` -> `1 min 5 s`, `400` -> `less than a second`. */
export function spokenDuration(ms: number): string {
  const total = Math.floor(Math.max(0, ms) / 1000);
  if (total === 0) return 'less than a second';
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = [h > 0 ? `${h} h` : '', m > 0 ? `${m} min` : '', s > 0 ? `${s} s` : ''];
  return parts.filter((p) => p !== '').join(' ');
}

/** A byte count: `1536` -> `1.5 KB`. */
export function byteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Whole days from `today` to `due` (both `YYYY-MM-DD`); negative when `due` has passed. */
export function daysUntil(today: string, due: string): number {
  return Math.round((Date.parse(`${due}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** How a due date stands: `due today`, `3 days left`, `overdue by 1 day`. */
export function dueStatus(today: string, due: string): string {
  const days = daysUntil(today, due);
  const plural = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
  if (days === 0) return 'due today';
  return days > 0 ? `${plural(days)} left` : `overdue by ${plural(-days)}`;
}

const STATUS_LABELS: Record<string, string> = {
  open: 'Still uploading',
  complete: 'Complete',
  erased: 'Erased',
  expired: 'Expired'
};

/** A recording's status in words (`open` means segments are still expected). */
export function recordingStatusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}
