// Injectable clocks and RFC 3339 §5.6 timestamps (UTC on output). Every module that reads time takes
// a `Clock` (DESIGN.md: "every module takes an injectable clock") so tests control time without mocks.

import { EncodingError, QuorumkitError } from './errors.js';

/** A source of the current time. */
export interface Clock {
  /** The current instant. Each call returns a fresh Date the caller may mutate. */
  now(): Date;
}

/** A clock whose time only moves when told to (tests, simulations). */
export interface ManualClock extends Clock {
  /** Moves time forward (or back, with a negative value) by `ms` milliseconds; returns the new time. */
  advance(ms: number): Date;
  /** Jumps to `time`. */
  set(time: string | Date): void;
}

function toMillis(name: string, time: string | Date): number {
  if (time instanceof Date) {
    const ms = time.getTime();
    if (Number.isNaN(ms)) throw new RangeError(`"${name}" expected a valid Date, got Invalid Date`);
    return ms;
  }
  if (typeof time === 'string') return parseRfc3339(time).getTime();
  throw new TypeError(`"${name}" expected an RFC 3339 string or Date, got ${typeof time}`);
}

/** The real wall clock (`Date.now()`). */
export const systemClock: Clock = Object.freeze({ now: (): Date => new Date() });

/**
 * A clock frozen at `time`.
 * @throws QuorumkitError `ERR_ENCODING` for a malformed RFC 3339 string; RangeError for an invalid Date.
 * @example
 * const clock = fixedClock('2026-04-20T12:00:00Z');
 */
export function fixedClock(time: string | Date): Clock {
  const ms = toMillis('time', time);
  return Object.freeze({ now: (): Date => new Date(ms) });
}

/**
 * A clock that reads `base` and shifts it by `offsetMs` milliseconds (e.g. to simulate skew).
 * @throws RangeError when `offsetMs` is not a finite number.
 */
export function offsetClock(base: Clock, offsetMs: number): Clock {
  if (typeof base?.now !== 'function') throw new TypeError('"base" expected a Clock');
  if (typeof offsetMs !== 'number' || !Number.isFinite(offsetMs)) throw new RangeError(`"offsetMs" expected a finite number, got ${offsetMs}`);
  return Object.freeze({ now: (): Date => new Date(base.now().getTime() + offsetMs) });
}

/**
 * A clock starting at `start` that moves only through `advance` / `set`.
 * @throws QuorumkitError `ERR_ENCODING` for a malformed RFC 3339 string; RangeError for an invalid Date.
 * @example
 * const clock = manualClock('2026-04-20T12:00:00Z');
 * clock.advance(60_000); // toRfc3339(clock.now()) === '2026-04-20T12:01:00Z'
 */
export function manualClock(start: string | Date): ManualClock {
  let ms = toMillis('start', start);
  return {
    now: () => new Date(ms),
    advance(delta: number): Date {
      if (typeof delta !== 'number' || !Number.isFinite(delta)) throw new RangeError(`"ms" expected a finite number, got ${delta}`);
      ms += delta;
      return new Date(ms);
    },
    set(time: string | Date): void {
      ms = toMillis('time', time);
    },
  };
}

/**
 * Formats `date` as an RFC 3339 UTC timestamp: `YYYY-MM-DDTHH:MM:SSZ` when the milliseconds are zero,
 * `YYYY-MM-DDTHH:MM:SS.sssZ` otherwise. Round-trips exactly through {@link parseRfc3339}.
 * @throws RangeError for an invalid Date or a year outside 0000..9999; TypeError when not a Date.
 */
export function toRfc3339(date: Date): string {
  if (!(date instanceof Date)) throw new TypeError(`"date" expected Date, got ${typeof date}`);
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError('"date" expected a valid Date, got Invalid Date');
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError(`"date" expected a year in 0000..9999, got ${year}`);
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ for years 0..9999
  return date.getUTCMilliseconds() === 0 ? iso.slice(0, 19) + 'Z' : iso;
}

const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Parses an RFC 3339 `date-time` (§5.6): `T` or `t` separator, `Z`/`z` or a `±HH:MM` offset,
 * optional fraction of 1–9 digits (truncated to milliseconds, the precision of Date).
 * Every field is range-checked (Feb 30 fails). Leap seconds (`:60`) are refused because Date cannot
 * represent them.
 * @throws QuorumkitError `ERR_ENCODING` for anything else; TypeError when `text` is not a string.
 * @example
 * parseRfc3339('2026-04-20T12:00:00+00:00').toISOString(); // '2026-04-20T12:00:00.000Z'
 */
export function parseRfc3339(text: string): Date {
  if (typeof text !== 'string') throw new TypeError(`"text" expected string, got ${typeof text}`);
  const m = RFC3339_RE.exec(text);
  const bad = (why: string): QuorumkitError =>
    new EncodingError(`timestamp ${JSON.stringify(text.slice(0, 40))} is not RFC 3339: ${why}`);
  if (m === null) throw bad('expected YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)');
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12) throw bad('month out of range');
  if (day < 1 || day > daysInMonth(year, month)) throw bad('day out of range');
  if (hour > 23) throw bad('hour out of range');
  if (minute > 59) throw bad('minute out of range');
  if (second > 59) throw bad('second out of range (leap seconds are not supported)');
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  let offsetMin = 0;
  if (m[8] === undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) throw bad('offset out of range');
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0..99 to 1900..1999.
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, millis);
  return new Date(d.getTime() - offsetMin * 60_000);
}
