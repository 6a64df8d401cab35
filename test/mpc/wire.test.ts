// Wire forms of field elements: decimal strings or exact integers in [0, p); packed base64 vectors
// of canonical elements with checked lengths.
import { describe, expect, it } from 'vitest';
import { P } from '../../src/field/constants.js';
import { packElements } from '../../src/field/index.js';
import { decodePacked, elementText, encodePacked, parseElement } from '../../src/mpc/wire.js';
import { base64Encode } from '../../src/core/bytes.js';

describe('parseElement', () => {
  it('accepts decimal strings, safe integers and bigints below p', () => {
    expect(parseElement('x', '0')).toBe(0n);
    expect(parseElement('x', (P - 1n).toString())).toBe(P - 1n);
    expect(parseElement('x', 42)).toBe(42n);
    expect(parseElement('x', P - 1n)).toBe(P - 1n);
    expect(elementText(P - 1n)).toBe('170141183460469231731687303715884105726');
  });
  it.each([[P.toString()], [P], [-1], ['-1'], ['01'], ['1e3'], [1.5], [2 ** 60], [null], [''], ['9'.repeat(40)]])('refuses %s', (v) => {
    expect(() => parseElement('x', v)).toThrow(/"x" expected/);
  });
});

describe('packed vectors', () => {
  it('round-trips and checks counts', () => {
    const packed = packElements([1n, P - 1n, 0n]);
    expect(decodePacked('v', encodePacked(packed), 3)).toEqual(packed);
    expect(() => decodePacked('v', encodePacked(packed), 2)).toThrow('expected 2 elements, got 3');
  });
  it('refuses non-canonical elements, odd lengths and bad base64', () => {
    const p = new Uint8Array(32);
    p.fill(0xff, 16, 31);
    p[31] = 0x7f; // element 1 = p
    expect(() => decodePacked('v', base64Encode(p))).toThrow('"v"[1] is not a canonical');
    const hi = new Uint8Array(16);
    hi[15] = 0x80;
    expect(() => decodePacked('v', base64Encode(hi))).toThrow('"v"[0]');
    expect(() => decodePacked('v', base64Encode(new Uint8Array(15)))).toThrow('multiple of 16');
    expect(() => decodePacked('v', '***')).toThrow('not valid base64');
    expect(() => decodePacked('v', 5)).toThrow('expected base64');
  });
});
