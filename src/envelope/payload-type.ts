// Payload types name what a body is and which version of its schema it follows:
// `application/vnd.quorumkit.<kind>+json;v=<n>` (DESIGN.md "Wire formats").

import { describeValue } from '../core/assert.js';

const PAYLOAD_TYPE_RE = /^application\/vnd\.quorumkit\.([a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)*)\+json;v=([1-9][0-9]{0,5})$/;
const KIND_RE = /^[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)*$/;

/**
 * Builds the payload type for a body kind.
 *
 * @throws RangeError when `kind` is not lower-case `[a-z][a-z0-9-]*` segments joined by dots,
 *   or `version` is not a positive integer.
 * @example payloadTypeFor('vote') // 'application/vnd.quorumkit.vote+json;v=1'
 */
export function payloadTypeFor(kind: string, version = 1): string {
  if (typeof kind !== 'string' || !KIND_RE.test(kind)) {
    throw new RangeError(`"kind" expected lower-case [a-z][a-z0-9-]* segments, got ${describeValue(kind)}`);
  }
  if (!Number.isSafeInteger(version) || version < 1 || version > 999_999) {
    throw new RangeError(`"version" expected an integer 1..999999, got ${describeValue(version)}`);
  }
  return `application/vnd.quorumkit.${kind}+json;v=${version}`;
}

/** Splits a payload type into kind and version, or returns null when it is not one of ours. */
export function parsePayloadType(payloadType: string): { kind: string; version: number } | null {
  const m = typeof payloadType === 'string' ? PAYLOAD_TYPE_RE.exec(payloadType) : null;
  if (!m) return null;
  return { kind: m[1]!, version: Number(m[2]) };
}

/**
 * Accepts either a full payload type or a bare kind (expanded to version 1).
 *
 * @throws RangeError when it is neither.
 */
export function normalizePayloadType(typeOrKind: string): string {
  if (parsePayloadType(typeOrKind)) return typeOrKind;
  if (typeof typeOrKind === 'string' && KIND_RE.test(typeOrKind)) return payloadTypeFor(typeOrKind);
  throw new RangeError(
    `"payloadType" expected application/vnd.quorumkit.<kind>+json;v=<n> or a bare kind, got ${describeValue(typeOrKind)}`,
  );
}
