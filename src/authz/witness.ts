// Witness attestations: a witness's signed statement that it saw one exact authorization request —
// the request digest (hex SHA3-256 of the request envelope's payload, signed-request.ts
// requestDigest). A quorumkit envelope of payload type `authz-witness` (DESIGN.md "Wire formats"),
// signed (ML-DSA, FIPS 204) by exactly the witness's key, body
//   { type: "authz.witness", society, request_digest, witness (its did:pqaid), signed_at (epoch s) }
// Counting is TUF-style (TUF specification §5.4 "threshold of signatures"): a threshold is met by
// that many DISTINCT allowed keys over exactly this digest — a second attestation by one key, an
// attestation over another request or for another society, a bad signature, or a key not allowed
// adds nothing. Browser-safe.

import { isPlainObject } from '../core/assert.js';
import { InvalidArgumentError, UnauthenticatedError } from '../core/errors.js';
import { payloadTypeFor } from '../envelope/payload-type.js';
import { signEnvelope } from '../envelope/sign.js';
import type { Envelope, EnvelopeSigner } from '../envelope/types.js';
import { verifyEnvelope } from '../envelope/verify.js';
import { isPqaidDid } from '../pq/did.js';

/** The payload type of a witness attestation. */
export const AUTHZ_WITNESS_PAYLOAD_TYPE: string = payloadTypeFor('authz-witness');
/** Most attestations {@link countWitnesses} looks at (every cost an input controls is capped). */
export const MAX_WITNESS_ATTESTATIONS = 64;

/** The signed body of a witness attestation. */
export interface WitnessAttestationBody {
  readonly type: 'authz.witness';
  readonly society: string;
  /** 64 lower-case hex digits: the request's digest. */
  readonly request_digest: string;
  /** The witness's did:pqaid (the signer). */
  readonly witness: string;
  /** When it was signed, epoch seconds. */
  readonly signed_at: number;
}

const KEYS = ['type', 'society', 'request_digest', 'witness', 'signed_at'];
const DIGEST_RE = /^[0-9a-f]{64}$/;

/**
 * Checks a witness attestation body and returns it typed.
 * @throws InvalidArgumentError naming the first bad field.
 */
export function parseWitnessBody(body: unknown): WitnessAttestationBody {
  if (!isPlainObject(body)) throw new InvalidArgumentError('witness attestation: expected an object');
  for (const k of Object.keys(body)) if (!KEYS.includes(k)) throw new InvalidArgumentError(`witness attestation: unknown field ${JSON.stringify(k.slice(0, 64))}`);
  if (body['type'] !== 'authz.witness') throw new InvalidArgumentError('witness attestation: "type" must be "authz.witness"');
  const society = body['society'];
  if (typeof society !== 'string' || society.length === 0 || society.length > 256) throw new InvalidArgumentError('witness attestation: "society" expected a string of 1..256 characters');
  if (typeof body['request_digest'] !== 'string' || !DIGEST_RE.test(body['request_digest'])) throw new InvalidArgumentError('witness attestation: "request_digest" expected 64 lower-case hex digits');
  if (typeof body['witness'] !== 'string' || !isPqaidDid(body['witness'])) throw new InvalidArgumentError('witness attestation: "witness" expected a did:pqaid');
  const at = body['signed_at'];
  if (typeof at !== 'number' || !Number.isFinite(at) || at < 0) throw new InvalidArgumentError('witness attestation: "signed_at" expected epoch seconds');
  return body as unknown as WitnessAttestationBody;
}

/**
 * Signs a witness attestation over `requestDigest` for `society` as `witness`.
 * @param options.now epoch seconds (default now).
 * @throws InvalidArgumentError for a malformed digest or society, or a signer that is not a did:pqaid.
 * @example
 * const att = await signWitnessAttestation(witness, pending.digest, 'society:demo');
 */
export async function signWitnessAttestation(witness: EnvelopeSigner, requestDigest: string, society: string, options: { now?: number } = {}): Promise<Envelope> {
  const body: WitnessAttestationBody = { type: 'authz.witness', society, request_digest: requestDigest, witness: witness?.did, signed_at: options.now ?? Date.now() / 1000 };
  parseWitnessBody(body);
  return signEnvelope(body, AUTHZ_WITNESS_PAYLOAD_TYPE, [witness]);
}

/**
 * Verifies one witness attestation: its envelope, exactly one valid signature and it is the
 * `witness` the body names, a well-formed body, and (when given) the society.
 * @returns the body.
 * @throws UnauthenticatedError (401) for a bad, missing or foreign signature; InvalidArgumentError
 *   (400) for a malformed body or another society.
 */
export async function verifyWitnessAttestation(envelope: unknown, options: { society?: string } = {}): Promise<WitnessAttestationBody> {
  const v = await verifyEnvelope(envelope, { payloadType: AUTHZ_WITNESS_PAYLOAD_TYPE });
  if (!v.valid) throw new UnauthenticatedError(`witness attestation: ${v.reasons[0] ?? 'invalid envelope'}`);
  // One entry, not merely one valid signer: verifyEnvelope tolerates extra invalid entries beside a met threshold.
  if (v.signatures.length !== 1) throw new UnauthenticatedError('witness attestation: it must carry exactly one signature');
  const body = parseWitnessBody(v.body);
  if (v.signers.length !== 1 || v.signers[0] !== body.witness) throw new UnauthenticatedError('witness attestation: not signed (only) by the witness it names');
  if (options.society !== undefined && body.society !== options.society) throw new InvalidArgumentError(`witness attestation: for society ${body.society}, not ${options.society}`);
  return body;
}

/** Options of {@link countWitnesses}. */
export interface CountWitnessesOptions {
  /** The request digest the attestations must be over. */
  readonly digest: string;
  /** The witness keys (dids) whose attestations count. */
  readonly allowed: ReadonlySet<string>;
  /** When given, only attestations for this society count. */
  readonly society?: string;
}

/**
 * Counts the distinct allowed witnesses that validly attested exactly `digest` (TUF-style: see the
 * header). Never throws for a bad attestation: it does not count.
 * @returns the count and the witnesses' dids, sorted.
 * @throws InvalidArgumentError for more than {@link MAX_WITNESS_ATTESTATIONS} attestations.
 * @example
 * const { count } = await countWitnesses([a1, a2, a1], { digest, allowed: new Set([w1.did, w2.did]) }); // 2
 */
export async function countWitnesses(attestations: readonly unknown[], options: CountWitnessesOptions): Promise<{ count: number; witnesses: string[] }> {
  if (!Array.isArray(attestations)) throw new InvalidArgumentError('attestations expected an array');
  if (attestations.length > MAX_WITNESS_ATTESTATIONS) throw new InvalidArgumentError(`at most ${MAX_WITNESS_ATTESTATIONS} witness attestations`);
  const seen = new Set<string>();
  for (const a of attestations) {
    let body: WitnessAttestationBody;
    try {
      body = await verifyWitnessAttestation(a, options.society === undefined ? {} : { society: options.society });
    } catch {
      continue;
    }
    if (body.request_digest === options.digest && options.allowed.has(body.witness)) seen.add(body.witness);
  }
  const witnesses = [...seen].sort();
  return { count: witnesses.length, witnesses };
}
