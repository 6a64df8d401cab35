// Verifying quorumkit envelopes. Every check that fails adds a reason; nothing throws for a bad
// envelope (STYLE.md: verify* returns a result). Thresholds count distinct keys, never
// signatures (DESIGN.md "Identity"): two entries with one keyid count once.

import { assertOptions, assertString, describeType, describeValue, optionKeys } from '../core/assert.js';
import { canonicalize } from '../core/canonical-json.js';
import { base64Decode, utf8Decode } from '../core/bytes.js';
import { parseStrict } from '../core/parse-strict.js';
import { verifySignature, verifySignatureOffThread } from '../pq/ml-dsa.js';
import { EnvelopeInvalidError } from './errors.js';
import { pae } from './pae.js';
import { checkSignature } from './_signature-check.js';
import { checkEnvelopeShape, payloadBytes } from './shape.js';
import type { SignatureCheck } from './_signature-check.js';
import type { Envelope } from './types.js';

/** What a verifier trusts and requires. */
export interface VerifyEnvelopeOptions {
  /** Only signatures by these dids count toward the threshold (default: every valid signer). */
  readonly trusted?: Iterable<string>;
  /** Distinct valid (trusted) keys required, default 1. */
  readonly threshold?: number;
  /** Required payload type (exact match). */
  readonly payloadType?: string;
  /** Public keys for signature entries that do not embed one, by did. */
  readonly publicKeys?: Readonly<Record<string, Uint8Array>>;
  /**
   * Check signatures off the calling thread where the runtime can (`verifySignatureOffThread`):
   * for servers verifying one envelope per request; slower for checking many in a row. Default false.
   */
  readonly offThread?: boolean;
}

const VERIFY_OPTION_KEYS = optionKeys<VerifyEnvelopeOptions>({ trusted: true, threshold: true, payloadType: true, publicKeys: true, offThread: true });

export type { SignatureCheck } from './_signature-check.js';

/** The result of `verifyEnvelope`. */
export interface EnvelopeVerification {
  /** True only when the envelope is well formed, canonical, of the required type and meets the threshold. */
  readonly valid: boolean;
  /** The decoded body when the payload parsed (also on failure, for diagnostics — do not act on it). */
  readonly body: unknown;
  readonly payloadType: string | null;
  /** Distinct dids whose signatures are valid and trusted, sorted. */
  readonly signers: string[];
  readonly signatures: SignatureCheck[];
  /** Every reason the envelope is not valid (empty when valid). */
  readonly reasons: string[];
}

function invalid(reason: string, body: unknown = undefined, payloadType: string | null = null): EnvelopeVerification {
  return { valid: false, body, payloadType, signers: [], signatures: [], reasons: [reason] };
}

/**
 * Verifies an envelope: shape, canonical payload, payload type, every signature (async), and a
 * threshold of distinct trusted keys.
 *
 * @returns a verdict; never throws for a bad envelope.
 * @throws RangeError for a bad `threshold` option; TypeError for an unknown option or options of the
 *   wrong type (`trusted` not iterable, `payloadType` not a string, `publicKeys` not an object).
 */
export async function verifyEnvelope(env: unknown, options?: VerifyEnvelopeOptions): Promise<EnvelopeVerification> {
  const o = assertOptions('options', options, VERIFY_OPTION_KEYS);
  const { threshold, trusted } = checkOptions(o);

  const shapeError = checkEnvelopeShape(env);
  if (shapeError) return invalid(shapeError);
  const e = env as Envelope;
  const payload = payloadBytes(e);
  if (payload === null) return invalid('payload is not valid base64', undefined, e.payloadType);

  const reasons: string[] = [];
  let body: unknown;
  try {
    const text = utf8Decode(payload);
    body = parseStrict(text);
    if (canonicalize(body) !== text) reasons.push('payload is not RFC 8785 canonical JSON');
  } catch (err) {
    // Keep going: the signature verdicts still tell a caller what was tampered with.
    body = undefined;
    reasons.push(`payload is not valid JSON: ${(err as Error).message}`);
  }
  if (o.payloadType !== undefined && e.payloadType !== o.payloadType) {
    reasons.push(`payloadType ${JSON.stringify(e.payloadType)} is not the required ${JSON.stringify(o.payloadType)}`);
  }
  if (e.signatures.length === 0) reasons.push('envelope has no signatures');

  const message = pae(e.payloadType, payload);
  const signatures: SignatureCheck[] = [];
  for (let i = 0; i < e.signatures.length; i++) {
    signatures.push(await checkSignature(i, e.signatures[i]!, message, o.publicKeys, trusted, o.offThread === true ? verifySignatureOffThread : verifySignature));
  }
  const signers = [...new Set(signatures.filter((s) => s.valid && s.trusted).map((s) => s.keyid))].sort();
  for (const s of signatures) if (!s.valid) reasons.push(`signatures[${s.index}] (${s.keyid}): ${s.reason}`);
  if (signers.length < threshold) {
    reasons.push(`threshold not met: ${signers.length} of ${threshold} distinct ${trusted ? 'trusted ' : ''}signers`);
  }
  // A single invalid signature does not sink an envelope that meets its threshold with valid
  // ones (cosigners may use keys the verifier cannot check), but it is always reported.
  const fatal = reasons.filter((r) => !r.startsWith('signatures['));
  return { valid: fatal.length === 0, body, payloadType: e.payloadType, signers, signatures, reasons };
}

/** The values of the caller's options, checked once (they come from code, not from the envelope). */
function checkOptions(o: VerifyEnvelopeOptions): { threshold: number; trusted: Set<string> | null } {
  const threshold: unknown = o.threshold ?? 1;
  if (typeof threshold !== 'number' || !Number.isSafeInteger(threshold) || threshold < 1) {
    throw new RangeError(`"threshold" expected an integer ≥ 1, got ${describeValue(threshold)}`);
  }
  const t: unknown = o.trusted;
  if (t !== undefined && (t === null || typeof (t as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function')) {
    throw new TypeError(`"trusted" expected an iterable of dids, got ${describeType(t)}`);
  }
  if (o.payloadType !== undefined) assertString('payloadType', o.payloadType);
  const pk: unknown = o.publicKeys;
  if (pk !== undefined && (pk === null || typeof pk !== 'object')) throw new TypeError(`"publicKeys" expected an object, got ${describeType(pk)}`);
  return { threshold, trusted: t === undefined ? null : new Set(o.trusted) };
}

/**
 * Verifies an envelope and returns its body, or throws.
 *
 * @throws QuorumkitError `ERR_ENVELOPE_INVALID` listing every reason.
 */
export async function openEnvelope(env: unknown, options?: VerifyEnvelopeOptions): Promise<unknown> {
  const r = await verifyEnvelope(env, options);
  if (!r.valid) throw new EnvelopeInvalidError(`envelope rejected: ${r.reasons.join('; ')}`);
  return r.body;
}
