// compileSchema: draft 2020-12 validators that return the value or throw ERR_SCHEMA_INVALID naming
// the first offending location; string bounds count UTF-16 code units (never looser than the
// code points JSON Schema counts).
import { describe, expect, it } from 'vitest';
import { isQuorumkitError } from '../../src/core/errors.js';
import { compileSchema } from '../../src/http/schema.js';

describe('compileSchema', () => {
  const check = compileSchema<{ name: string }>({ type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', minLength: 2, maxLength: 4 } } });

  it('returns a valid value and names the first bad location otherwise', () => {
    expect(check({ name: 'abcd' })).toEqual({ name: 'abcd' });
    let err: unknown;
    try {
      check({ name: 'abcde' }, 'request');
    } catch (e) {
      err = e;
    }
    expect(isQuorumkitError(err, 'ERR_SCHEMA_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(/^request\/name must NOT have more than 4 characters/);
  });

  it('counts string length in UTF-16 code units, so astral characters weigh two', () => {
    expect(check({ name: '😀😀' })).toEqual({ name: '😀😀' }); // 4 code units
    expect(() => check({ name: '😀😀a' })).toThrow(/more than 4/); // 3 code points, 5 code units
    expect(() => check({ name: '😀' }).name).not.toThrow(); // 1 code point but 2 code units: meets minLength 2
  });
});
