// A delegation hop: one signed link of a delegation chain (UCAN / biscuit-style attenuation, in
// quorumkit's envelope format — DESIGN.md "Wire formats"). A hop is a DSSE-style envelope of payload
// type `application/vnd.quorumkit.authz-delegation+json;v=1` whose payload is the RFC 8785 canonical
// JSON body
//   { societyId, delegationId, parentHopId, delegator, delegate, roleLct, permissions,
//     atpBudget, maxActionsPerHour, validFrom, validUntil, depth }
// signed (ML-DSA, FIPS 204) by exactly one key: the delegator's `did:pqaid`. The hop id is the
// content hash of that body — lower-case hex SHA3-256 (FIPS 202) of the payload bytes — so a child
// names its parent by a value no one can forge, and revocation lists name hops the same way.
// This module reads a hop body strictly: exact key set, typed and capped fields, permissions sorted
// and unique, depth 1..MAX_DELEGATION_DEPTH with `parentHopId` null exactly at depth 1. Browser-safe.

import { isPlainObject } from '../../core/assert.js';
import { base64Decode, isWellFormedString, toHex, utf8Decode } from '../../core/bytes.js';
import { canonicalize } from '../../core/canonical-json.js';
import { parseStrict } from '../../core/parse-strict.js';
import { payloadTypeFor } from '../../envelope/payload-type.js';
import { checkEnvelopeShape } from '../../envelope/shape.js';
import type { Envelope } from '../../envelope/types.js';
import { sha3_256 } from '../../hash/index.js';
import { DELEGATION_LIMITS, MAX_DELEGATION_DEPTH } from '../delegation.js';
import { DelegationChainError } from '../errors.js';

/** The payload type of a delegation hop envelope. */
export const DELEGATION_HOP_PAYLOAD_TYPE: string = payloadTypeFor('authz-delegation');

/**
 * Caps on a hop and a chain (every cost an input controls is capped): id-like strings
 * (`societyId`, `delegationId`, `roleLct`) at most `idChars` characters, at most `permissions`
 * permissions of 1..`permissionChars` printable ASCII characters each, at most `payloadBytes` of
 * payload, and at most `hops` hops per chain (= MAX_DELEGATION_DEPTH).
 */
export const DELEGATION_HOP_LIMITS = {
  idChars: DELEGATION_LIMITS.idChars,
  permissions: DELEGATION_LIMITS.permissions,
  permissionChars: DELEGATION_LIMITS.permissionChars,
  payloadBytes: 16_384,
  hops: MAX_DELEGATION_DEPTH,
} as const;

/** The signed body of a delegation hop (all times epoch seconds, integers). */
export interface DelegationHopBody {
  /** The society (authorization engine) the delegation is for. */
  readonly societyId: string;
  /** The delegation's id, distinct from every other id in its chain; the engine registers it under this id. */
  readonly delegationId: string;
  /** The parent hop's id (hex SHA3-256 of its payload), null for the root hop. */
  readonly parentHopId: string | null;
  /** Who delegates (`did:pqaid`): the client at the root, else the parent hop's delegate. Signs the hop. */
  readonly delegator: string;
  /** Who receives the authority (`did:pqaid`): the agent. */
  readonly delegate: string;
  /** The role the delegate acts in; every hop of a chain keeps the root's role. */
  readonly roleLct: string;
  /** Granted actions, sorted (UTF-16 code-unit order) and unique. */
  readonly permissions: readonly string[];
  /** ATP budget. */
  readonly atpBudget: number;
  /** Actions per hour. */
  readonly maxActionsPerHour: number;
  readonly validFrom: number;
  readonly validUntil: number;
  /** Hops from the client: 1 at the root, parent's depth + 1 below. */
  readonly depth: number;
}

const BODY_KEYS: readonly (keyof DelegationHopBody)[] = [
  'societyId', 'delegationId', 'parentHopId', 'delegator', 'delegate', 'roleLct', 'permissions',
  'atpBudget', 'maxActionsPerHour', 'validFrom', 'validUntil', 'depth',
];
const BODY_KEY_SET: ReadonlySet<string> = new Set(BODY_KEYS);
const DID_RE = /^did:pqaid:[0-9a-f]{64}$/;
const HOP_ID_RE = /^[0-9a-f]{64}$/;
const PERMISSION_RE = /^[\x21-\x7e]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f]/;

function idText(v: unknown, key: string): string | null {
  if (typeof v !== 'string' || v.length === 0 || v.length > DELEGATION_HOP_LIMITS.idChars) return `"${key}" expected a non-empty string of at most ${DELEGATION_HOP_LIMITS.idChars} characters`;
  if (!isWellFormedString(v) || CONTROL_RE.test(v)) return `"${key}" contains a control character or a lone surrogate`;
  return null;
}

function did(v: unknown, key: string): string | null {
  return typeof v === 'string' && DID_RE.test(v) ? null : `"${key}" expected a did:pqaid:<64 hex>`;
}

function integer(v: unknown, key: string): string | null {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? null : `"${key}" expected a non-negative safe integer`;
}

function permissions(v: unknown): string | null {
  if (!Array.isArray(v)) return '"permissions" expected an array of strings';
  if (v.length > DELEGATION_HOP_LIMITS.permissions) return `"permissions" expected at most ${DELEGATION_HOP_LIMITS.permissions} items, got ${v.length}`;
  for (let i = 0; i < v.length; i++) {
    const p: unknown = v[i];
    if (typeof p !== 'string' || p.length === 0 || p.length > DELEGATION_HOP_LIMITS.permissionChars || !PERMISSION_RE.test(p)) {
      return `"permissions"[${i}] expected 1..${DELEGATION_HOP_LIMITS.permissionChars} printable ASCII characters`;
    }
    if (i > 0 && !((v[i - 1] as string) < p)) return '"permissions" must be sorted and unique';
  }
  return null;
}

/**
 * Why `v` is not a well-formed hop body, or null when it is one (internal; also used by
 * issueDelegation to check its arguments).
 */
export function hopBodyError(v: unknown): string | null {
  if (!isPlainObject(v)) return 'body expected a JSON object';
  for (const k of Object.keys(v)) if (!BODY_KEY_SET.has(k)) return `body has unexpected field ${JSON.stringify(k.slice(0, 64))}`;
  for (const k of BODY_KEYS) if (!Object.hasOwn(v, k)) return `body is missing "${k}"`;
  const checks = [
    idText(v.societyId, 'societyId'), idText(v.delegationId, 'delegationId'), idText(v.roleLct, 'roleLct'),
    v.parentHopId === null || (typeof v.parentHopId === 'string' && HOP_ID_RE.test(v.parentHopId)) ? null : '"parentHopId" expected null or 64 lower-case hex digits',
    did(v.delegator, 'delegator'), did(v.delegate, 'delegate'), permissions(v.permissions),
    integer(v.atpBudget, 'atpBudget'), integer(v.maxActionsPerHour, 'maxActionsPerHour'),
    integer(v.validFrom, 'validFrom'), integer(v.validUntil, 'validUntil'),
    typeof v.depth === 'number' && Number.isSafeInteger(v.depth) && v.depth >= 1 && v.depth <= MAX_DELEGATION_DEPTH ? null : `"depth" expected an integer 1..${MAX_DELEGATION_DEPTH}`,
  ];
  const first = checks.find((c) => c !== null);
  if (first !== undefined) return first;
  if ((v.validUntil as number) < (v.validFrom as number)) return '"validUntil" is before "validFrom"';
  if ((v.parentHopId === null) !== (v.depth === 1)) return '"parentHopId" must be null exactly when "depth" is 1';
  if (v.delegator === v.delegate) return '"delegate" must differ from "delegator"';
  return null;
}

/**
 * Checks `value` is a delegation hop body and returns it typed (the same object).
 *
 * @throws DelegationChainError (`ERR_AUTHZ_CHAIN`) naming the first fault: a missing or unknown
 *   key, a field of the wrong type or beyond its cap, unsorted or repeated permissions, a window
 *   that ends before it starts, a depth outside 1..3 or a parent link that does not match it.
 */
export function parseDelegationHopBody(value: unknown): DelegationHopBody {
  const why = hopBodyError(value);
  if (why !== null) throw new DelegationChainError(`delegation hop: ${why}`);
  return value as DelegationHopBody;
}

/** A decoded hop: its id and its body (signature not checked). */
export interface DelegationHop {
  /** Hex SHA3-256 of the envelope's payload bytes (its canonical body). */
  readonly hopId: string;
  readonly body: DelegationHopBody;
}

/** Decodes the payload of an envelope-shaped value, or explains why it cannot (internal). */
export function decodeHop(env: unknown): { hop: DelegationHop } | { error: string } {
  const shape = checkEnvelopeShape(env);
  if (shape !== null) return { error: shape };
  const e = env as Envelope;
  if (e.payloadType !== DELEGATION_HOP_PAYLOAD_TYPE) return { error: `payloadType is not ${DELEGATION_HOP_PAYLOAD_TYPE}` };
  // base64 length bounds the decoded size: refuse oversized payloads before decoding them.
  if (e.payload.length > Math.ceil(DELEGATION_HOP_LIMITS.payloadBytes / 3) * 4) return { error: `payload exceeds ${DELEGATION_HOP_LIMITS.payloadBytes} bytes` };
  let bytes: Uint8Array;
  let body: unknown;
  try {
    bytes = base64Decode(e.payload);
    const text = utf8Decode(bytes);
    body = parseStrict(text);
    if (canonicalize(body) !== text) return { error: 'payload is not RFC 8785 canonical JSON' };
  } catch (err) {
    return { error: `payload is not valid JSON: ${(err as Error).message}` };
  }
  const why = hopBodyError(body);
  if (why !== null) return { error: why };
  return { hop: { hopId: toHex(sha3_256(bytes)), body: body as DelegationHopBody } };
}

/**
 * Decodes a hop envelope without checking its signature: its id and strictly parsed body.
 *
 * @throws DelegationChainError (`ERR_AUTHZ_CHAIN`) when `env` is not an envelope, is not of
 *   {@link DELEGATION_HOP_PAYLOAD_TYPE}, its payload is not canonical JSON or not a hop body.
 * @example
 * const { hopId, body } = readDelegationHop(env); // hopId: what a revocation list names
 */
export function readDelegationHop(env: unknown): DelegationHop {
  const r = decodeHop(env);
  if ('error' in r) throw new DelegationChainError(`delegation hop: ${r.error}`);
  return r.hop;
}

/**
 * The id of a hop envelope: lower-case hex SHA3-256 of its payload bytes (see {@link readDelegationHop}).
 *
 * @throws DelegationChainError as {@link readDelegationHop}.
 */
export function delegationHopId(env: unknown): string {
  return readDelegationHop(env).hopId;
}
