import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixedClock, manualClock, offsetClock, parseRfc3339, systemClock, toRfc3339 } from '../../src/core/clock.js';
import { isQuorumkitError } from '../../src/core/errors.js';

function expectEncoding(text: string): void {
  let caught: unknown;
  try {
    parseRfc3339(text);
  } catch (e) {
    caught = e;
  }
  expect(isQuorumkitError(caught, 'ERR_ENCODING'), `${JSON.stringify(text)}: ${String(caught)}`).toBe(true);
}

describe('toRfc3339', () => {
  it('writes second precision when ms = 0, else milliseconds, always UTC Z', () => {
    expect(toRfc3339(new Date(Date.UTC(2026, 3, 20, 12, 0, 0)))).toBe('2026-04-20T12:00:00Z');
    expect(toRfc3339(new Date(Date.UTC(2026, 3, 20, 12, 0, 0, 7)))).toBe('2026-04-20T12:00:00.007Z');
    expect(toRfc3339(new Date(0))).toBe('1970-01-01T00:00:00Z');
  });
  it('refuses invalid dates and years outside 0000..9999', () => {
    expect(() => toRfc3339(new Date(NaN))).toThrow(RangeError);
    expect(() => toRfc3339(new Date(Date.UTC(10000, 0, 1)))).toThrow(RangeError);
    expect(() => toRfc3339('2026-01-01' as unknown as Date)).toThrow(TypeError);
  });
});

describe('parseRfc3339', () => {
  it('law: parseRfc3339(toRfc3339(d)) == d for every date in 0000..9999', () => {
    const dates = fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true });
    fc.assert(fc.property(dates, (d) => {
      const s = toRfc3339(d);
      expect(s).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
      expect(parseRfc3339(s).getTime()).toBe(d.getTime());
    }), { numRuns: 500 });
  });
  it('applies offsets, fractions (truncated to ms) and lowercase t/z', () => {
    expect(parseRfc3339('2026-04-20T14:30:00+02:30').toISOString()).toBe('2026-04-20T12:00:00.000Z');
    expect(parseRfc3339('2026-04-20T12:00:00+00:00').toISOString()).toBe('2026-04-20T12:00:00.000Z');
    expect(parseRfc3339('2026-04-19T23:00:00-13:00').toISOString()).toBe('2026-04-20T12:00:00.000Z');
    expect(parseRfc3339('2026-04-20t12:00:00.5z').getUTCMilliseconds()).toBe(500);
    expect(parseRfc3339('2026-04-20T12:00:00.123987654Z').getUTCMilliseconds()).toBe(123);
    expect(parseRfc3339('0050-06-01T00:00:00Z').getUTCFullYear()).toBe(50);
    expect(parseRfc3339('2024-02-29T00:00:00Z').getUTCDate()).toBe(29);
    expect(parseRfc3339('2000-02-29T00:00:00Z').getUTCDate()).toBe(29);
  });
  it('rejects malformed or out-of-range timestamps with ERR_ENCODING', () => {
    for (const bad of [
      '', '2026-04-20', '2026-04-20T12:00:00', '2026-04-20 12:00:00Z', '2026-4-20T12:00:00Z', '2026-04-20T12:00Z',
      '2026-13-01T00:00:00Z', '2026-00-01T00:00:00Z', '2026-02-29T00:00:00Z', '2100-02-29T00:00:00Z', '2026-04-31T00:00:00Z',
      '2026-04-20T24:00:00Z', '2026-04-20T12:60:00Z', '2026-04-20T12:00:60Z', '2026-04-20T12:00:00.Z',
      '2026-04-20T12:00:00+0200', '2026-04-20T12:00:00+24:00', '2026-04-20T12:00:00+02:60', ' 2026-04-20T12:00:00Z',
      '2026-04-20T12:00:00Z\n', '+02026-04-20T12:00:00Z', '2026-04-20T12:00:00.1234567890Z', '２０２６-04-20T12:00:00Z',
    ]) {
      expectEncoding(bad);
    }
    expect(() => parseRfc3339(0 as unknown as string)).toThrow(TypeError);
  });
  it('garbage only ever fails with ERR_ENCODING', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (s) => {
      try {
        parseRfc3339(s);
      } catch (e) {
        expect(isQuorumkitError(e, 'ERR_ENCODING')).toBe(true);
      }
    }));
  });
});

describe('clocks', () => {
  it('systemClock reads the wall clock', () => {
    const before = Date.now();
    const t = systemClock.now().getTime();
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
  });
  it('fixedClock never moves and returns fresh Dates', () => {
    const c = fixedClock('2026-04-20T12:00:00Z');
    const a = c.now();
    a.setUTCFullYear(1999);
    expect(toRfc3339(c.now())).toBe('2026-04-20T12:00:00Z');
    expect(fixedClock(new Date(5)).now().getTime()).toBe(5);
    expect(() => fixedClock('yesterday')).toThrow(/RFC 3339/);
    expect(() => fixedClock(new Date(NaN))).toThrow(RangeError);
  });
  it('manualClock moves only by advance/set', () => {
    const c = manualClock('2026-04-20T12:00:00Z');
    expect(toRfc3339(c.advance(60_000))).toBe('2026-04-20T12:01:00Z');
    expect(toRfc3339(c.now())).toBe('2026-04-20T12:01:00Z');
    c.advance(-120_000);
    expect(toRfc3339(c.now())).toBe('2026-04-20T11:59:00Z');
    c.set(new Date(0));
    expect(c.now().getTime()).toBe(0);
    expect(() => c.advance(NaN)).toThrow(RangeError);
  });
  it('offsetClock shifts its base', () => {
    const base = manualClock('2026-04-20T12:00:00Z');
    const skewed = offsetClock(base, -1500);
    expect(toRfc3339(skewed.now())).toBe('2026-04-20T11:59:58.500Z');
    base.advance(1500);
    expect(toRfc3339(skewed.now())).toBe('2026-04-20T12:00:00Z');
    expect(() => offsetClock(base, Infinity)).toThrow(RangeError);
  });
});
