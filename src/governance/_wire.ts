// Internal wire helpers for governance artifacts: payload types, strict body field checks, the
// "signed by exactly this did" envelope check (DESIGN.md "Wire formats": one payloadType per kind,
// so a vote can never verify as a proposal), safe value descriptions for error messages and the
// unknown-option check.

import { base64Decode, utf8Decode } from '../core/bytes.js';
import { canonicalize } from '../core/canonical-json.js';
import { assertOptions, describeValue, isPlainObject } from '../core/assert.js';
import { parseStrict } from '../core/parse-strict.js';
import { payloadTypeFor } from '../envelope/payload-type.js';
import { checkEnvelopeShape } from '../envelope/shape.js';
import { verifyEnvelope } from '../envelope/verify.js';
import type { Envelope } from '../envelope/types.js';

/** Payload type of a signed governance proposal. */
export const PROPOSAL_PAYLOAD_TYPE = payloadTypeFor('governance.proposal');
/** Payload type of a signed governance vote. */
export const VOTE_PAYLOAD_TYPE = payloadTypeFor('governance.vote');
/** Payload type of a signed consensus result. */
export const RESULT_PAYLOAD_TYPE = payloadTypeFor('governance.result');

/** Longest accepted id / did / kind-like string field. */
export const MAX_ID_LENGTH = 512;
/** Longest accepted free-text field (title, description, rationale, reason). */
export const MAX_TEXT_LENGTH = 65_536;

/**
 * Checks `body` has exactly `required` keys plus any of `optional`; returns a reason or null.
 */
export function checkKeys(body: Record<string, unknown>, required: readonly string[], optional: readonly string[] = []): string | null {
  for (const k of required) if (!Object.hasOwn(body, k)) return `missing field "${k}"`;
  for (const k of Object.keys(body)) if (!required.includes(k) && !optional.includes(k)) return `unexpected field "${k}"`;
  return null;
}

/** Returns a reason when `v` is not a string of 0..max chars (1..max when `nonEmpty`), else null. */
export function checkString(name: string, v: unknown, max: number, nonEmpty = true): string | null {
  if (typeof v !== 'string') return `"${name}" expected string, got ${v === null ? 'null' : typeof v}`;
  if (nonEmpty && v.length === 0) return `"${name}" expected a non-empty string`;
  if (v.length > max) return `"${name}" expected at most ${max} characters, got ${v.length}`;
  return null;
}

/** Returns a reason when `v` is not an integer weight in 0..2^53-1, else null. */
export function checkWeight(name: string, v: unknown): string | null {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return `"${name}" expected a non-negative safe integer, got ${describeValue(v)}`;
  return null;
}

/**
 * Refuses option keys outside `allowed` (a misspelt or retired option would otherwise be ignored).
 * @throws TypeError for a non-object `options` or an unknown key.
 */
export function checkOptions(options: unknown, allowed: readonly string[], where: string): void {
  assertOptions(`${where} options`, options as object | undefined, allowed);
}

/**
 * Decodes an envelope's JSON body without checking signatures, or returns a reason string.
 * The payload must be RFC 8785 canonical, exactly as `verifyEnvelope` requires.
 */
export function decodeBody(env: unknown, payloadType: string): { body: Record<string, unknown>; env: Envelope } | string {
  const shape = checkEnvelopeShape(env);
  if (shape !== null) return shape;
  const e = env as Envelope;
  if (e.payloadType !== payloadType) return `payloadType ${JSON.stringify(e.payloadType)} is not ${JSON.stringify(payloadType)}`;
  let body: unknown;
  try {
    const text = utf8Decode(base64Decode(e.payload));
    body = parseStrict(text);
    if (canonicalize(body) !== text) return 'payload is not RFC 8785 canonical JSON';
  } catch (err) {
    return `payload is not valid JSON: ${(err as Error).message}`;
  }
  if (!isPlainObject(body)) return 'payload expected a JSON object';
  // A frozen copy: later edits to the caller's object cannot change what was decoded.
  const copy: Envelope = {
    payloadType: e.payloadType,
    payload: e.payload,
    signatures: e.signatures.map((s) => ({ keyid: s.keyid, alg: s.alg, sig: s.sig, ...(s.publicKey === undefined ? {} : { publicKey: s.publicKey }) })),
  };
  return { body, env: deepFreeze(copy) };
}

/**
 * True when `env` is a well-formed envelope of `payloadType` carrying a valid ML-DSA signature by
 * `did` (other signatures are ignored). Never throws for bad input.
 */
export async function isSignedBy(env: Envelope, payloadType: string, did: string): Promise<boolean> {
  try {
    const r = await verifyEnvelope(env, { payloadType, trusted: [did], threshold: 1 });
    return r.valid && r.signers.includes(did);
  } catch {
    return false;
  }
}

/** Deep-freezes a JSON value in place and returns it. */
export function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v as object)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}
