// Argument checks shared by the engine's entry points (internal; STYLE.md "check once, at the
// boundary"): abscissas, packed element buffers, counts. TypeError for wrong types, RangeError for
// wrong ranges and lengths; messages never quote a share.

import { describeType } from '../../core/assert.js';
import { FIELD_ELEMENT_BYTES, P } from '../../field/constants.js';

/** `x` is a bigint abscissa in [1, p). */
export function checkAbscissa(name: string, x: unknown): asserts x is bigint {
  if (typeof x !== 'bigint') throw new TypeError(`"${name}" expected bigint, got ${describeType(x)}`);
  if (x < 1n || x >= P) throw new RangeError(`"${name}" expected an abscissa in [1, p)`);
}

/** `v` is a Uint8Array of packed elements: exactly `elements` of them when given, else any multiple of 16 bytes. */
export function checkPacked(name: string, v: unknown, elements?: number): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TypeError(`"${name}" expected Uint8Array, got ${describeType(v)}`);
  if (elements !== undefined && v.length !== elements * FIELD_ELEMENT_BYTES) {
    throw new RangeError(`"${name}" expected ${elements} packed elements (${elements * FIELD_ELEMENT_BYTES} bytes), got ${v.length} bytes`);
  }
  if (v.length % FIELD_ELEMENT_BYTES !== 0) throw new RangeError(`"${name}" expected a multiple of 16 bytes, got ${v.length}`);
}

/** `v` is an integer in [min, max]. */
export function checkCount(name: string, v: unknown, min: number, max: number): asserts v is number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new TypeError(`"${name}" expected a safe integer, got ${describeType(v)}`);
  if (v < min || v > max) throw new RangeError(`"${name}" expected an integer in [${min}, ${max}], got ${v}`);
}
