// Identifiers (DESIGN.md, wire formats): random `urn:quorumkit:<kind>:<uuid>` for mutable things,
// UUID version 4 per RFC 9562 §5.4 inside an RFC 8141 URN. Content-addressed ids of immutable things
// are computed by their owners as the SHA3-256 of the RFC 8785 canonical body (core has no hash).

import { InvalidArgumentError, QuorumkitError, UnsupportedError } from './errors.js';
import { assertString, describeValue } from './assert.js';

const KIND_RE = /^[a-z][a-z0-9-]{0,63}$/;
const URN_RE = /^urn:quorumkit:([a-z][a-z0-9-]{0,63}):([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})$/;

interface MinimalCrypto {
  randomUUID?: () => string;
  getRandomValues?: <T extends ArrayBufferView>(array: T) => T;
}

function uuidV4(): string {
  const c = (globalThis as { crypto?: MinimalCrypto }).crypto;
  // randomUUID needs a secure context in browsers; getRandomValues does not.
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  if (typeof c?.getRandomValues !== 'function') {
    throw new UnsupportedError('no Web Crypto random source (globalThis.crypto) in this runtime');
  }
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40; // version 4
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Returns a fresh random id `urn:quorumkit:<kind>:<uuid v4>` (lowercase).
 * @throws TypeError/RangeError when `kind` is not `[a-z][a-z0-9-]*` (1–64 chars);
 *   QuorumkitError `ERR_UNSUPPORTED` when the runtime has no `globalThis.crypto`.
 * @example
 * randomId('round'); // 'urn:quorumkit:round:3b241101-e2bb-4255-8caf-4136c566a962'
 */
export function randomId(kind: string): string {
  assertString('kind', kind);
  if (!KIND_RE.test(kind)) throw new RangeError(`"kind" expected [a-z][a-z0-9-]* (at most 64 chars), got ${describeValue(kind)}`);
  return `urn:quorumkit:${kind}:${uuidV4()}`;
}

/**
 * True when `s` is a well-formed `urn:quorumkit:<kind>:<uuid v4>` (lowercase), and, when `kind`
 * is given, of that kind.
 */
export function isUrnId(s: unknown, kind?: string): s is string {
  if (typeof s !== 'string') return false;
  const m = URN_RE.exec(s);
  return m !== null && (kind === undefined || m[1] === kind);
}

/**
 * Returns the `<kind>` part of a quorumkit URN id.
 * @throws QuorumkitError `ERR_INVALID_ARGUMENT` when `s` is not a quorumkit URN id.
 */
export function urnIdKind(s: string): string {
  const m = typeof s === 'string' ? URN_RE.exec(s) : null;
  if (m === null) throw new InvalidArgumentError('value is not a urn:quorumkit:<kind>:<uuid> id');
  return m[1]!;
}
