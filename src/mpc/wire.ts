// Wire forms of field values in MPC messages (DESIGN.md "Wire formats"): one element as a decimal
// JSON string or an exact integer literal (read with parseStrict `{ bigints: true }`, never through
// a rounded JS number); a vector of elements as base64 of packed 16-byte little-endian elements, so
// the hot path never parses decimals. Every value must be canonical: 0 ≤ v < p. Browser-safe.

import { base64Decode, base64Encode } from '../core/bytes.js';
import { InvalidArgumentError } from '../core/errors.js';
import { P, FIELD_ELEMENT_BYTES } from '../field/constants.js';

/** Most elements one packed vector may hold on the wire (2^24: 256 MiB). */
export const MAX_WIRE_ELEMENTS = 1 << 24;
const MAX_DECIMAL_DIGITS = 39; // p < 10^39

/**
 * Reads one field element from a JSON value: a decimal string (`"42"`), a safe integer or a bigint
 * literal. QuorumVM sends both forms.
 * @throws InvalidArgumentError (400) for anything else, negative values or values ≥ p.
 * @example
 * parseElement('x', '170141183460469231731687303715884105726'); // p − 1
 */
export function parseElement(name: string, v: unknown): bigint {
  let n: bigint;
  if (typeof v === 'bigint') n = v;
  else if (typeof v === 'number' && Number.isSafeInteger(v)) n = BigInt(v);
  else if (typeof v === 'string' && v.length <= MAX_DECIMAL_DIGITS && /^(0|[1-9][0-9]*)$/.test(v)) n = BigInt(v);
  else throw new InvalidArgumentError(`"${name}" expected a field element as a decimal string or an integer`);
  if (n < 0n || n >= P) throw new InvalidArgumentError(`"${name}" expected an integer in [0, p), p = 2^127 − 1`);
  return n;
}

/** Writes a field element as its decimal string. */
export function elementText(v: bigint): string {
  return v.toString();
}

/**
 * Encodes packed elements as base64.
 * @example
 * encodePacked(packElements([1n, 2n])); // 'AQAAAAAAAAAAAAAAAAAAAAIAAAAAAAAAAAAAAAAAAAA='
 */
export function encodePacked(packed: Uint8Array): string {
  return base64Encode(packed);
}

/**
 * Returns `text` when it is strict, canonical padded base64 (what base64Decode accepts), at the
 * decoder's native speed.
 * @throws InvalidArgumentError (400) naming `name` otherwise.
 */
export function checkBase64(name: string, text: string): string {
  try {
    base64Decode(text);
  } catch {
    throw new InvalidArgumentError(`"${name}" is not valid base64`);
  }
  return text;
}

/**
 * Decodes a base64 vector of packed elements, checking its length (a multiple of 16 bytes, and
 * exactly `count` elements when given) and that every element is canonical (< p).
 * @throws InvalidArgumentError (400) naming `name` otherwise.
 */
export function decodePacked(name: string, text: unknown, count?: number): Uint8Array {
  if (typeof text !== 'string') throw new InvalidArgumentError(`"${name}" expected base64 of packed 16-byte elements`);
  if (text.length > Math.ceil((MAX_WIRE_ELEMENTS * FIELD_ELEMENT_BYTES) / 3) * 4) throw new InvalidArgumentError(`"${name}" holds more than ${MAX_WIRE_ELEMENTS} elements`);
  let bytes: Uint8Array;
  try {
    bytes = base64Decode(text);
  } catch {
    throw new InvalidArgumentError(`"${name}" is not valid base64`);
  }
  if (bytes.length % FIELD_ELEMENT_BYTES !== 0) throw new InvalidArgumentError(`"${name}" expected a multiple of ${FIELD_ELEMENT_BYTES} bytes, got ${bytes.length}`);
  const m = bytes.length / FIELD_ELEMENT_BYTES;
  if (count !== undefined && m !== count) throw new InvalidArgumentError(`"${name}" expected ${count} elements, got ${m}`);
  const bad = firstNonCanonical(bytes);
  if (bad >= 0) throw new InvalidArgumentError(`"${name}"[${bad}] is not a canonical field element (< p)`);
  return bytes;
}

/**
 * Index of the first packed element ≥ p = 2^127 − 1, or −1 (an element is ≥ p iff bit 127 is set
 * or all 127 low bits are). For public data and freshly decrypted shares alike: it reads every byte.
 */
export function firstNonCanonical(bytes: Uint8Array): number {
  const m = bytes.length / FIELD_ELEMENT_BYTES;
  for (let i = 0; i < m; i++) {
    const o = i * FIELD_ELEMENT_BYTES;
    const top = bytes[o + 15]!;
    if (top & 0x80) return i;
    if (top === 0x7f) {
      let all = true;
      for (let j = 0; j < 15 && all; j++) all = bytes[o + j] === 0xff;
      if (all) return i;
    }
  }
  return -1;
}
