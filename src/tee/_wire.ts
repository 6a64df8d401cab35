// Readers for the JSON forms of TEE evidence and policies (src/attestation/evidence-json.ts,
// src/tee/policy-json.ts): each checks one field of a value parseStrict returned — a plain object
// with only the allowed keys, a bounded string, strict base64 (RFC 4648 §4) or lower/upper-case hex
// of an exact length — and throws the caller's typed error naming the field. Browser-safe.

import { base64Decode, fromHex } from '../core/bytes.js';
import { isPlainObject } from '../core/assert.js';

/** Makes the typed error a reader throws (a QuorumkitError subclass of the caller's domain). */
export type WireFail = (message: string) => Error;

/** The plain object at `what`, refusing any key outside `keys`. */
export function wireObject(v: unknown, what: string, keys: readonly string[], fail: WireFail): Record<string, unknown> {
  if (!isPlainObject(v)) throw fail(`"${what}" expected an object`);
  for (const k of Object.keys(v)) if (!keys.includes(k)) throw fail(`"${what}" has an unknown field ${JSON.stringify(k.slice(0, 64))}`);
  return v;
}

/** A string of 1..`max` characters. */
export function wireString(v: unknown, what: string, max: number, fail: WireFail): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw fail(`"${what}" expected a non-empty string of at most ${max} characters`);
  return v;
}

/** Strict padded base64 of 1..`maxBytes` bytes. */
export function wireBase64(v: unknown, what: string, maxBytes: number, fail: WireFail): Uint8Array {
  const text = wireString(v, what, Math.ceil(maxBytes / 3) * 4, fail);
  let bytes: Uint8Array;
  try {
    bytes = base64Decode(text);
  } catch {
    throw fail(`"${what}" expected padded standard base64`);
  }
  if (bytes.length === 0) throw fail(`"${what}" expected at least one byte`);
  return bytes;
}

/** Hex of exactly `bytes` bytes. */
export function wireHex(v: unknown, what: string, bytes: number, fail: WireFail): Uint8Array {
  if (typeof v !== 'string' || v.length !== bytes * 2 || !/^[0-9a-fA-F]*$/.test(v)) throw fail(`"${what}" expected ${bytes * 2} hex digits`);
  return fromHex(v.toLowerCase());
}

/** An array of at most `max` entries. */
export function wireArray(v: unknown, what: string, max: number, fail: WireFail): readonly unknown[] {
  if (!Array.isArray(v) || v.length > max) throw fail(`"${what}" expected an array of at most ${max} entries`);
  return v;
}

/** A boolean. */
export function wireBoolean(v: unknown, what: string, fail: WireFail): boolean {
  if (typeof v !== 'boolean') throw fail(`"${what}" expected true or false`);
  return v;
}
