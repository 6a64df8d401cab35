// Signed log checkpoints: `{ origin, treeSize, rootHash, timestamp }` in a quorumkit envelope
// (payloadType application/vnd.quorumkit.log-checkpoint+json;v=1), the log's commitment to its
// state at a size (the role of an RFC 6962 §3.5 STH / C2SP tlog-checkpoint). Browser-safe.

import { assertBytes, assertOptions, assertString, isPlainObject, optionKeys } from '../core/assert.js';
import { fromHex, toHex } from '../core/bytes.js';
import { parseRfc3339, toRfc3339, type Clock, systemClock } from '../core/clock.js';
import { signEnvelope } from '../envelope/sign.js';
import type { Envelope, EnvelopeSigner } from '../envelope/types.js';
import { verifyEnvelope } from '../envelope/verify.js';
import { payloadTypeFor } from '../envelope/payload-type.js';
import { LOG_HASH_BYTES } from './_hash.js';

/** Payload type of checkpoint envelopes. */
export const CHECKPOINT_PAYLOAD_TYPE = payloadTypeFor('log-checkpoint');

/** The signed body of a checkpoint. */
export interface Checkpoint {
  /** Names the log (e.g. `quorumkit/governance/node-a`); binds a checkpoint to one log. */
  readonly origin: string;
  readonly treeSize: number;
  /** Lower-case hex of the 32-byte root. */
  readonly rootHash: string;
  /** RFC 3339 UTC. */
  readonly timestamp: string;
}

const ORIGIN_RE = /^[\x21-\x7e]{1,256}$/;

/** Options of {@link verifyCheckpoint}. */
export interface VerifyCheckpointOptions {
  /** Only signatures by these dids count (default: every valid signer). */
  readonly trusted?: Iterable<string>;
  /** Distinct valid (trusted) keys required, default 1. */
  readonly threshold?: number;
  /** Required origin (exact match). */
  readonly origin?: string;
}

const VERIFY_OPTION_KEYS = optionKeys<VerifyCheckpointOptions>({ trusted: true, threshold: true, origin: true });

/** Checks a checkpoint body's fields; returns a reason or null. */
export function checkCheckpointBody(v: unknown): string | null {
  if (!isPlainObject(v)) return 'checkpoint expected an object';
  const o = v;
  const keys = Object.keys(o).sort().join(',');
  if (keys !== 'origin,rootHash,timestamp,treeSize') return `checkpoint expected fields origin, rootHash, timestamp, treeSize; got ${keys}`;
  if (typeof o.origin !== 'string' || !ORIGIN_RE.test(o.origin)) return 'checkpoint origin expected 1..256 printable ASCII characters';
  if (!Number.isSafeInteger(o.treeSize) || (o.treeSize as number) < 0) return 'checkpoint treeSize expected a non-negative integer';
  if (typeof o.rootHash !== 'string' || !/^[0-9a-f]{64}$/.test(o.rootHash)) return 'checkpoint rootHash expected 64 lower-case hex digits';
  try {
    parseRfc3339(o.timestamp as string);
  } catch {
    return 'checkpoint timestamp expected RFC 3339';
  }
  return null;
}

/**
 * Signs a checkpoint for `(origin, treeSize, root)` (async).
 * @throws RangeError for a malformed origin, size or root length; TypeError when `root` is not a Uint8Array.
 */
export async function signCheckpoint(
  origin: string,
  treeSize: number,
  root: Uint8Array,
  signers: readonly EnvelopeSigner[],
  clock: Clock = systemClock,
): Promise<Envelope> {
  assertBytes('root', root, LOG_HASH_BYTES);
  const body: Checkpoint = { origin, treeSize, rootHash: toHex(root), timestamp: toRfc3339(clock.now()) };
  const reason = checkCheckpointBody(body);
  if (reason) throw new RangeError(reason);
  return signEnvelope(body, CHECKPOINT_PAYLOAD_TYPE, signers);
}

/** Result of {@link verifyCheckpoint}. */
export interface CheckpointVerification {
  readonly valid: boolean;
  readonly checkpoint: Checkpoint | null;
  /** Root bytes when the body is well formed. */
  readonly root: Uint8Array | null;
  readonly signers: string[];
  readonly reasons: string[];
}

/**
 * Verifies a checkpoint envelope: signatures (threshold of trusted dids), payload type, body shape,
 * and optionally the origin. Never throws for a bad checkpoint.
 * @throws RangeError for a bad `threshold`; TypeError for a non-string `origin`, an unknown option or
 *   options of the wrong type (as verifyEnvelope).
 */
export async function verifyCheckpoint(env: unknown, options?: VerifyCheckpointOptions): Promise<CheckpointVerification> {
  const o = assertOptions('options', options, VERIFY_OPTION_KEYS);
  if (o.origin !== undefined) assertString('origin', o.origin);
  const r = await verifyEnvelope(env, {
    payloadType: CHECKPOINT_PAYLOAD_TYPE,
    ...(o.trusted !== undefined ? { trusted: o.trusted } : {}),
    ...(o.threshold !== undefined ? { threshold: o.threshold } : {}),
  });
  const extra: string[] = [];
  const shape = r.body === undefined ? 'checkpoint payload missing' : checkCheckpointBody(r.body);
  if (shape) extra.push(shape);
  const cp = shape ? null : (r.body as Checkpoint);
  if (cp && o.origin !== undefined && cp.origin !== o.origin) {
    extra.push(`checkpoint origin ${JSON.stringify(cp.origin)} is not ${JSON.stringify(o.origin)}`);
  }
  return {
    valid: r.valid && extra.length === 0,
    checkpoint: cp,
    root: cp ? fromHex(cp.rootHash) : null,
    signers: r.signers,
    reasons: [...r.reasons, ...extra],
  };
}
