// Structural checks of an envelope before any cryptography: exact field set, string types,
// strict base64. Unsigned extra fields are refused so nothing unsigned can ride along. The payload
// type must be well-formed UTF-16, since the PAE that signatures cover carries its UTF-8 bytes.

import { isPlainObject } from '../core/assert.js';
import { base64Decode, isWellFormedString } from '../core/bytes.js';
import type { Envelope } from './types.js';

const ENVELOPE_KEYS = new Set(['payloadType', 'payload', 'signatures']);
const SIGNATURE_KEYS = new Set(['keyid', 'alg', 'sig', 'publicKey']);
/** Upper bound on signatures per envelope: bounds verification work on hostile input. */
export const MAX_SIGNATURES = 256;

/** Returns a one-line reason when `env` is not a well-formed envelope, else null. */
export function checkEnvelopeShape(env: unknown): string | null {
  if (!isPlainObject(env)) return 'envelope expected a JSON object';
  for (const k of Object.keys(env)) if (!ENVELOPE_KEYS.has(k)) return `envelope has unexpected field "${k}"`;
  if (typeof env.payloadType !== 'string' || env.payloadType.length === 0) return 'envelope "payloadType" expected a non-empty string';
  if (!isWellFormedString(env.payloadType)) return 'envelope "payloadType" contains a lone UTF-16 surrogate (it has no UTF-8 form)';
  if (typeof env.payload !== 'string') return 'envelope "payload" expected a base64 string';
  if (!Array.isArray(env.signatures)) return 'envelope "signatures" expected an array';
  if (env.signatures.length > MAX_SIGNATURES) return `envelope "signatures" expected at most ${MAX_SIGNATURES} items, got ${env.signatures.length}`;
  for (let i = 0; i < env.signatures.length; i++) {
    const s: unknown = env.signatures[i];
    if (!isPlainObject(s)) return `signatures[${i}] expected an object`;
    for (const k of Object.keys(s)) if (!SIGNATURE_KEYS.has(k)) return `signatures[${i}] has unexpected field "${k}"`;
    for (const k of ['keyid', 'alg', 'sig'] as const) {
      if (typeof s[k] !== 'string') return `signatures[${i}].${k} expected a string`;
    }
    if (s.publicKey !== undefined && typeof s.publicKey !== 'string') return `signatures[${i}].publicKey expected a base64 string`;
  }
  return null;
}

/** Decodes the payload, or null when it is not strict base64. */
export function payloadBytes(env: Envelope): Uint8Array | null {
  try {
    return base64Decode(env.payload);
  } catch {
    return null;
  }
}
