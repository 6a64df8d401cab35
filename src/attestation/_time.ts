// Timestamps as the seed writes them: Python's `datetime.now(timezone.utc).isoformat()` —
// `YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00` (microseconds only when non-zero; a JS Date has milliseconds,
// so they end in 000) — and read back as RFC 3339 (core/clock.ts). Internal.

import { parseRfc3339 } from '../core/clock.js';

/** `date` in UTC as Python's `isoformat()` writes it. */
export function pythonIsoformat(date: Date): string {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const ms = date.getUTCMilliseconds();
  return `${iso.slice(0, 19)}${ms === 0 ? '' : `.${String(ms).padStart(3, '0')}000`}+00:00`;
}

/** An `isoformat()` / RFC 3339 timestamp as a Date, or null when it is not one. */
export function parseTimestamp(text: string): Date | null {
  try {
    return parseRfc3339(text);
  } catch {
    return null;
  }
}
