// LCT credentials: a society's signed statement that an LCT id (e.g. `lct:ai:assistant`) is held by an
// ML-DSA key — the real form of the Web4 reference engine's LCTCredential (authorization_engine.py
// b62c7bee, whose public key is "stub_pubkey"). A quorumkit envelope, payload type `authz-lct`,
// signed by a society issuer, body:
//   { type: "authz.lct", society, lct_id, entity_type, holder (the key's did:pqaid),
//     birth_certificate_hash, hardware_binding_hash, issued_at, expires_at (epoch seconds) }
// An agent whose requester id is a did:pqaid needs none (the did is its own key); any other LCT signs
// its requests with the holder key named here. Browser-safe.

import { InvalidArgumentError } from '../core/errors.js';
import { payloadTypeFor } from '../envelope/payload-type.js';
import { signEnvelope } from '../envelope/sign.js';
import { verifyEnvelope } from '../envelope/verify.js';
import type { Envelope, EnvelopeSigner } from '../envelope/types.js';
import { isPqaidDid } from '../pq/did.js';

/** The payload type of an LCT credential. */
export const LCT_CREDENTIAL_PAYLOAD_TYPE = payloadTypeFor('authz-lct');

/** A verified binding of an LCT id to a key. */
export interface LctBinding {
  readonly lctId: string;
  readonly holder: string;
  readonly entityType: string;
  readonly societyId: string;
  readonly birthCertificateHash: string;
  readonly hardwareBindingHash: string | null;
  readonly issuer: string;
  readonly expiresAt: number;
}

const KEYS = ['type', 'society', 'lct_id', 'entity_type', 'holder', 'birth_certificate_hash', 'hardware_binding_hash', 'issued_at', 'expires_at'];
const str = (v: unknown, what: string, max = 256): string => {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw new InvalidArgumentError(`LCT credential: "${what}" expected a string of 1..${max} characters`);
  return v;
};
const secs = (v: unknown, what: string): number => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new InvalidArgumentError(`LCT credential: "${what}" expected epoch seconds`);
  return v;
};

/**
 * Issues an LCT credential for `holder` (a did:pqaid) as `issuer`.
 * @throws InvalidArgumentError for a malformed field or a holder that is not a did:pqaid.
 */
export async function issueLctCredential(issuer: EnvelopeSigner, fields: { societyId: string; lctId: string; holder: string; entityType?: string; birthCertificateHash?: string; hardwareBindingHash?: string | null; issuedAt?: number; validSeconds?: number }): Promise<Envelope> {
  const issuedAt = fields.issuedAt ?? Date.now() / 1000;
  const body = {
    type: 'authz.lct',
    society: str(fields.societyId, 'society'),
    lct_id: str(fields.lctId, 'lct_id'),
    entity_type: str(fields.entityType ?? 'AI', 'entity_type', 32),
    holder: fields.holder,
    birth_certificate_hash: str(fields.birthCertificateHash ?? fields.holder.slice(fields.holder.lastIndexOf(':') + 1), 'birth_certificate_hash'),
    hardware_binding_hash: fields.hardwareBindingHash ?? null,
    issued_at: secs(issuedAt, 'issued_at'),
    expires_at: secs(issuedAt + (fields.validSeconds ?? 365 * 86_400), 'expires_at'),
  };
  parseLctBody(body);
  return signEnvelope(body, LCT_CREDENTIAL_PAYLOAD_TYPE, [issuer]);
}

function parseLctBody(body: unknown): Omit<LctBinding, 'issuer'> & { issuedAt: number } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new InvalidArgumentError('LCT credential: expected an object');
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) if (!KEYS.includes(k)) throw new InvalidArgumentError(`LCT credential: unknown field "${k}"`);
  if (b['type'] !== 'authz.lct') throw new InvalidArgumentError('LCT credential: "type" must be "authz.lct"');
  const holder = str(b['holder'], 'holder');
  if (!isPqaidDid(holder)) throw new InvalidArgumentError('LCT credential: "holder" must be a did:pqaid');
  const hw = b['hardware_binding_hash'];
  if (hw !== null) str(hw, 'hardware_binding_hash');
  const issuedAt = secs(b['issued_at'], 'issued_at');
  const expiresAt = secs(b['expires_at'], 'expires_at');
  if (expiresAt < issuedAt) throw new InvalidArgumentError('LCT credential: "expires_at" is before "issued_at"');
  return { lctId: str(b['lct_id'], 'lct_id'), holder, entityType: str(b['entity_type'], 'entity_type', 32), societyId: str(b['society'], 'society'), birthCertificateHash: str(b['birth_certificate_hash'], 'birth_certificate_hash'), hardwareBindingHash: hw as string | null, issuedAt, expiresAt };
}

/**
 * Verifies an LCT credential: signed by one of `trustedIssuers`, for `societyId`, valid at `now`.
 * @returns the binding, or null and the reason (never throws for a bad credential).
 */
export async function verifyLctCredential(envelope: unknown, options: { societyId: string; trustedIssuers: Iterable<string>; now?: number }): Promise<{ binding: LctBinding | null; reason: string | null }> {
  const v = await verifyEnvelope(envelope, { payloadType: LCT_CREDENTIAL_PAYLOAD_TYPE, trusted: options.trustedIssuers });
  if (!v.valid) return { binding: null, reason: v.reasons[0] ?? 'invalid LCT credential' };
  let b;
  try {
    b = parseLctBody(v.body);
  } catch (e) {
    return { binding: null, reason: (e as Error).message };
  }
  if (b.societyId !== options.societyId) return { binding: null, reason: `LCT credential is for society ${b.societyId}` };
  const now = options.now ?? Date.now() / 1000;
  if (now < b.issuedAt || now > b.expiresAt) return { binding: null, reason: 'LCT credential is outside its validity window' };
  const { issuedAt: _i, ...rest } = b;
  return { binding: Object.freeze({ ...rest, issuer: v.signers[0]! }), reason: null };
}
