// Encodings of F_p elements (p = 2^127 − 1): 16-byte little-endian words, decimal strings
// (DESIGN.md "Big integers"), packing of bigint arrays, byte secrets as 15-byte chunks, and
// rejection-sampled random elements.

import { assertBytes, assertString, describeType } from '../core/assert.js';
import { EncodingError, InvalidArgumentError } from '../core/errors.js';
import { FIELD_ELEMENT_BYTES, P, SECRET_CHUNK_BYTES } from './constants.js';
import { assertElement, firstNonCanonical } from './_validate.js';
import { FieldNotCanonicalError, ShamirInvalidError } from './errors.js';
import type { RandomFill } from './types.js';

const MASK64 = (1n << 64n) - 1n;

/**
 * Decodes 16 little-endian bytes into a canonical element.
 * @throws TypeError / RangeError for a non-Uint8Array or a length ≠ 16; QuorumkitError
 * `ERR_FIELD_NOT_CANONICAL` when the value is ≥ p.
 */
export function elementFromBytes(bytes: Uint8Array): bigint {
  assertBytes('bytes', bytes, FIELD_ELEMENT_BYTES);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, 16);
  const v = dv.getBigUint64(0, true) | (dv.getBigUint64(8, true) << 64n);
  if (v >= P) throw new FieldNotCanonicalError('"bytes" encode a value ≥ p = 2^127 − 1');
  return v;
}

/** Encodes a canonical element as 16 little-endian bytes. @throws as `assertElement`. */
export function elementToBytes(a: bigint): Uint8Array {
  assertElement('a', a);
  const out = new Uint8Array(FIELD_ELEMENT_BYTES);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, a & MASK64, true);
  dv.setBigUint64(8, a >> 64n, true);
  return out;
}

/**
 * Parses a decimal string (no sign, no spaces, no leading zeros except "0") into a canonical element.
 * @throws TypeError for a non-string; QuorumkitError `ERR_ENCODING` for a malformed string,
 * `ERR_FIELD_NOT_CANONICAL` for a value ≥ p.
 */
export function elementFromString(text: string): bigint {
  assertString('text', text);
  if (!/^(0|[1-9][0-9]{0,38})$/.test(text)) {
    throw new EncodingError(`"text" expected a decimal integer of at most 39 digits, got ${text.length} characters`);
  }
  const v = BigInt(text);
  if (v >= P) throw new FieldNotCanonicalError('"text" is ≥ p = 2^127 − 1');
  return v;
}

/**
 * Packs canonical bigints into 16-byte little-endian elements.
 * @throws as `assertElement` for any item (naming its index).
 * @example
 * packElements([1n, 2n]).length; // 32
 */
export function packElements(values: readonly bigint[]): Uint8Array {
  if (!Array.isArray(values)) throw new TypeError(`"values" expected an array, got ${describeType(values)}`);
  const out = new Uint8Array(values.length * FIELD_ELEMENT_BYTES);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    assertElement(`values[${i}]`, v);
    dv.setBigUint64(i * 16, v & MASK64, true);
    dv.setBigUint64(i * 16 + 8, v >> 64n, true);
  }
  return out;
}

/**
 * Unpacks 16-byte little-endian elements into bigints.
 * @throws RangeError for a length not a multiple of 16; `ERR_FIELD_NOT_CANONICAL` for a value ≥ p.
 */
export function unpackElements(bytes: Uint8Array): bigint[] {
  assertBytes('bytes', bytes);
  if (bytes.length % FIELD_ELEMENT_BYTES !== 0) throw new RangeError(`"bytes" expected a multiple of 16 bytes, got ${bytes.length}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: bigint[] = new Array(bytes.length / FIELD_ELEMENT_BYTES);
  for (let i = 0; i < out.length; i++) {
    const v = dv.getBigUint64(i * 16, true) | (dv.getBigUint64(i * 16 + 8, true) << 64n);
    if (v >= P) throw new FieldNotCanonicalError(`"bytes" element ${i} is ≥ p = 2^127 − 1`);
    out[i] = v;
  }
  return out;
}

/** The default random source: Web Crypto `getRandomValues`, 64 KiB per call at most. */
export function defaultRandomFill(bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, Math.min(bytes.length, i + 65536)));
}

/**
 * `count` uniform random canonical elements, packed: 127 random bits per element (top bit cleared),
 * redrawing the single value p itself (probability 2^−127 per element), so the result is uniform on [0, p).
 */
export function randomElements(count: number, rng: RandomFill = defaultRandomFill): Uint8Array {
  if (typeof rng !== 'function') throw new TypeError(`"rng" expected a function, got ${describeType(rng)}`);
  const out = new Uint8Array(count * FIELD_ELEMENT_BYTES);
  rng(out);
  for (let i = 15; i < out.length; i += 16) out[i]! &= 0x7f;
  for (let guard = 0; ; guard++) {
    const bad = firstNonCanonical(out);
    if (bad < 0) return out;
    if (guard > 64) throw new InvalidArgumentError('"rng" keeps returning the same bytes (2^127 − 1 drawn 64 times)');
    const e = out.subarray(bad * 16, bad * 16 + 16);
    rng(e);
    e[15]! &= 0x7f;
  }
}

/**
 * Encodes a byte secret as packed elements: the bytes, a 0x80 marker, zero padding to a multiple of 15
 * (ISO/IEC 7816-4 padding), then one element per 15-byte chunk (high byte 0, so always < p).
 */
export function secretBytesToElements(secret: Uint8Array): Uint8Array {
  const chunks = Math.floor(secret.length / SECRET_CHUNK_BYTES) + 1;
  const padded = new Uint8Array(chunks * SECRET_CHUNK_BYTES);
  padded.set(secret);
  padded[secret.length] = 0x80;
  const out = new Uint8Array(chunks * FIELD_ELEMENT_BYTES);
  for (let c = 0; c < chunks; c++) out.set(padded.subarray(c * 15, c * 15 + 15), c * 16);
  padded.fill(0);
  return out;
}

/** Inverse of {@link secretBytesToElements}. @throws `ERR_SHAMIR_INVALID` when the padding is malformed. */
export function elementsToSecretBytes(elements: Uint8Array): Uint8Array {
  const chunks = elements.length / FIELD_ELEMENT_BYTES;
  const padded = new Uint8Array(chunks * SECRET_CHUNK_BYTES);
  let high = 0;
  for (let c = 0; c < chunks; c++) {
    padded.set(elements.subarray(c * 16, c * 16 + 15), c * 15);
    high |= elements[c * 16 + 15]!;
  }
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (high !== 0 || end < 0 || padded[end] !== 0x80) {
    padded.fill(0);
    throw new ShamirInvalidError('reconstructed secret has malformed padding (inconsistent or foreign shares)');
  }
  const out = padded.slice(0, end);
  padded.fill(0);
  return out;
}
