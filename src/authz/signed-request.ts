// Signed authorization requests: the real credential check the seed stubs out (its LCTCredential
// .verify_signature returns True). The requesting agent signs the request as a quorumkit envelope
// (DESIGN.md "Wire formats": DSSE-style, ML-DSA over PAE(payloadType, RFC 8785 body)), payload type
// `authz-request`, body:
//   { type: "authz.request", society, requester (the signer's did:pqaid), action, target, atp_cost,
//     context, delegation_id, timestamp (epoch seconds), nonce (32 hex) }
// The verifier checks the signature (one signer, = requester), the society, freshness (|now −
// timestamp| ≤ maxSkewSeconds) and replay (the nonce, through a ReplayGuard), and returns the request
// with a verified credential for AuthorizationEngine.authorize. Browser-safe.

import { canonicalize } from '../core/canonical-json.js';
import { base64Decode, toHex } from '../core/bytes.js';
import { InvalidArgumentError, UnauthenticatedError } from '../core/errors.js';
import { payloadTypeFor } from '../envelope/payload-type.js';
import { signEnvelope } from '../envelope/sign.js';
import { verifyEnvelope } from '../envelope/verify.js';
import type { Envelope, EnvelopeSigner } from '../envelope/types.js';
import type { ReplayGuard } from '../http/replay-guard.js';
import { isPqaidDid } from '../pq/did.js';
import { issueVerifiedCredential, type LctCredential } from './credential.js';
import type { LctBinding } from './lct-credential.js';
import { sha3_256 } from '../hash/sha3.js';
import { authorizationRequest } from './engine.js';
import type { AuthorizationRequest } from './types.js';

/** The payload type of a signed authorization request. */
export const AUTHZ_REQUEST_PAYLOAD_TYPE = payloadTypeFor('authz-request');
/** The default freshness window (seconds either side of now). */
export const DEFAULT_REQUEST_SKEW_SECONDS = 300;
/** The largest request context, as canonical JSON characters. */
export const MAX_CONTEXT_CHARS = 16_384;

/** What the agent signs (the request without its requester, which is the signer). */
export interface RequestToAuthorize {
  readonly action: string;
  readonly targetResource: string;
  readonly atpCost: number;
  readonly context?: Readonly<Record<string, unknown>>;
  readonly delegationId?: string | null;
}

/** A request's envelope body. */
interface RequestBody {
  type: 'authz.request';
  society: string;
  requester: string;
  action: string;
  target: string;
  atp_cost: number;
  context: Record<string, unknown>;
  delegation_id: string | null;
  timestamp: number;
  nonce: string;
}

const BODY_KEYS = ['type', 'society', 'requester', 'action', 'target', 'atp_cost', 'context', 'delegation_id', 'timestamp', 'nonce'];

function randomNonce(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(16)));
}

/**
 * Signs `request` as `signer` for `societyId`.
 * @param options.now epoch seconds (default now); options.nonce 32 hex digits (default random);
 *   options.requester the LCT the request is for when it is not the signer's did (the signer must hold its LCT credential).
 * @throws InvalidArgumentError for a malformed request or a context over {@link MAX_CONTEXT_CHARS}.
 * @example
 * const env = await signAuthorizationRequest(agent, 'society:demo', { action: 'read', targetResource: 'data:x', atpCost: 5, delegationId: 'deleg:001' });
 */
export async function signAuthorizationRequest(signer: EnvelopeSigner, societyId: string, request: RequestToAuthorize, options: { now?: number; nonce?: string; requester?: string } = {}): Promise<Envelope> {
  const timestamp = options.now ?? Date.now() / 1000;
  const nonce = options.nonce ?? randomNonce();
  if (!/^[0-9a-f]{32}$/.test(nonce)) throw new InvalidArgumentError('"nonce" expected 32 lowercase hex digits');
  const r = authorizationRequest({ requesterLct: options.requester ?? signer.did, action: request.action, targetResource: request.targetResource, atpCost: request.atpCost, context: request.context ?? {}, delegationId: request.delegationId ?? null, timestamp });
  const body: RequestBody = { type: 'authz.request', society: societyId, requester: r.requesterLct, action: r.action, target: r.targetResource, atp_cost: r.atpCost, context: { ...r.context }, delegation_id: r.delegationId, timestamp, nonce };
  if (canonicalize(body.context).length > MAX_CONTEXT_CHARS) throw new InvalidArgumentError(`request context exceeds ${MAX_CONTEXT_CHARS} characters of canonical JSON`);
  return signEnvelope(body, AUTHZ_REQUEST_PAYLOAD_TYPE, [signer]);
}

/** Options of {@link verifyAuthorizationRequest}. */
export interface VerifyAuthorizationRequestOptions {
  /** The society the engine serves; a request signed for another is refused. */
  readonly societyId: string;
  /** Now, epoch seconds (default the system clock). */
  readonly now?: number;
  /** Freshness window, seconds (default 300). */
  readonly maxSkewSeconds?: number;
  /** Remembers nonces; a nonce seen before is a replay. Without one, replays are not detected. */
  readonly nonces?: ReplayGuard;
  /**
   * The LCT credentials the engine knows (lct-credential.ts), for requesters that are not a did:pqaid:
   * the request must be signed by the binding's holder. A requester with no binding gets no credential.
   */
  readonly bindings?: (lctId: string) => LctBinding | undefined;
}

/** A verified request. */
export interface VerifiedAuthorizationRequest {
  readonly request: AuthorizationRequest;
  /** Null when the signature is good but no credential names the requester (the engine denies `invalid_lct`). */
  readonly credential: LctCredential | null;
  /** Why `credential` is null. */
  readonly credentialReason: string | null;
  /** The did that signed. */
  readonly signer: string;
  /** The envelope's nonce. */
  readonly nonce: string;
  /** Hex SHA3-256 of the envelope payload: what witnesses sign (witnesses.ts). */
  readonly digest: string;
}

/**
 * Parses the body of a request envelope (without checking its signature).
 * @throws InvalidArgumentError for anything but a well-formed request body.
 */
export function parseRequestBody(body: unknown): { request: AuthorizationRequest; society: string; nonce: string } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new InvalidArgumentError('authorization request: expected an object');
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) if (!BODY_KEYS.includes(k)) throw new InvalidArgumentError(`authorization request: unknown field "${k}"`);
  if (b['type'] !== 'authz.request') throw new InvalidArgumentError('authorization request: "type" must be "authz.request"');
  if (typeof b['society'] !== 'string' || b['society'].length === 0 || b['society'].length > 256) throw new InvalidArgumentError('authorization request: "society" expected a string of 1..256 characters');
  if (typeof b['nonce'] !== 'string' || !/^[0-9a-f]{32}$/.test(b['nonce'])) throw new InvalidArgumentError('authorization request: "nonce" expected 32 lowercase hex digits');
  const ctx = b['context'];
  if (ctx === null || typeof ctx !== 'object' || Array.isArray(ctx)) throw new InvalidArgumentError('authorization request: "context" expected an object');
  if (canonicalize(ctx).length > MAX_CONTEXT_CHARS) throw new InvalidArgumentError(`authorization request: "context" exceeds ${MAX_CONTEXT_CHARS} characters`);
  const d = b['delegation_id'];
  if (d !== null && typeof d !== 'string') throw new InvalidArgumentError('authorization request: "delegation_id" expected a string or null');
  const request = authorizationRequest({
    requesterLct: b['requester'] as string,
    action: b['action'] as string,
    targetResource: b['target'] as string,
    atpCost: b['atp_cost'] as number,
    context: ctx as Record<string, unknown>,
    delegationId: d as string | null,
    timestamp: b['timestamp'] as number,
  });
  return { request, society: b['society'], nonce: b['nonce'] };
}

/**
 * Verifies a signed request: envelope and ML-DSA signature, signer = the requester (its did, or the holder
 * of its LCT credential), society, freshness, replay.
 * @returns the request and a verified credential for it (null, with the reason, when no credential names
 *   the requester — the engine then denies `invalid_lct`).
 * @throws UnauthenticatedError (`ERR_UNAUTHENTICATED`, 401) for a bad or missing signature, a signer other
 *   than the requester, a stale or future timestamp, or a replayed nonce; InvalidArgumentError (400) for a
 *   malformed body or a request for another society. Nothing is recorded unless it verifies.
 */
export async function verifyAuthorizationRequest(envelope: unknown, options: VerifyAuthorizationRequestOptions): Promise<VerifiedAuthorizationRequest> {
  const v = await verifyEnvelope(envelope, { payloadType: AUTHZ_REQUEST_PAYLOAD_TYPE });
  if (!v.valid) throw new UnauthenticatedError(`authorization request: ${v.reasons[0] ?? 'invalid envelope'}`);
  const { request, society, nonce } = parseRequestBody(v.body);
  if (society !== options.societyId) throw new InvalidArgumentError(`authorization request: signed for society ${society}, not ${options.societyId}`);
  // One entry, not merely one valid signer: verifyEnvelope tolerates extra invalid entries beside a met threshold.
  if (v.signers.length !== 1 || v.signatures.length !== 1) throw new UnauthenticatedError('authorization request: it must carry exactly one signature, valid');
  const signer = v.signers[0]!;
  const binding = isPqaidDid(request.requesterLct) ? undefined : options.bindings?.(request.requesterLct);
  if (isPqaidDid(request.requesterLct) ? signer !== request.requesterLct : binding !== undefined && binding.holder !== signer) {
    throw new UnauthenticatedError('authorization request: not signed by the requester\'s key');
  }
  const now = options.now ?? Date.now() / 1000;
  const skew = options.maxSkewSeconds ?? DEFAULT_REQUEST_SKEW_SECONDS;
  if (!(Math.abs(now - request.timestamp) <= skew)) throw new UnauthenticatedError('authorization request: timestamp outside the allowed clock skew');
  if (options.nonces !== undefined) {
    const refused = await options.nonces.add(`authz:${request.requesterLct}:${nonce}`, (request.timestamp + skew) * 1000, now * 1000);
    if (refused === 'replay') throw new UnauthenticatedError('authorization request: nonce already used (replay)');
    if (refused === 'full') throw new UnauthenticatedError('authorization request: too many recent requests to check for replay; retry later');
  }
  const digest = requestDigest(envelope as Envelope);
  if (!isPqaidDid(request.requesterLct) && binding === undefined) {
    return { request, credential: null, credentialReason: `no LCT credential for ${request.requesterLct}`, signer, nonce, digest };
  }
  const sig = (envelope as Envelope).signatures.find((s) => s.keyid === signer);
  const credential = issueVerifiedCredential({
    lctId: request.requesterLct,
    entityType: binding?.entityType ?? 'AI',
    societyId: society,
    birthCertificateHash: binding?.birthCertificateHash ?? signer.slice(signer.lastIndexOf(':') + 1),
    publicKey: sig?.publicKey !== undefined ? toHex(base64Decode(sig.publicKey)) : '',
    hardwareBindingHash: binding?.hardwareBindingHash ?? null,
    verifiedBy: 'ml-dsa',
  });
  return { request, credential, credentialReason: null, signer, nonce, digest };
}

/** Hex SHA3-256 of a request envelope's payload (base64 text decoded): the request's identity for witnesses and receipts. */
export function requestDigest(envelope: Envelope): string {
  return toHex(sha3_256(base64Decode(envelope.payload)));
}

