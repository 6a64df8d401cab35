// A custodian's key card: its ML-KEM-768 channel key, signed with its ML-DSA identity as a
// quorumkit envelope (payload type application/vnd.quorumkit.mpc-key-card+json;v=1), so anyone
// who pins the custodian's did can check that a sealed box goes to that custodian and to no one
// else — in particular not to a coordinator that substituted its own key. Browser-safe.

import { base64Decode, base64Encode } from '../../core/bytes.js';
import { assertObject } from '../../core/assert.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { signEnvelope, verifyEnvelope, type Envelope, type EnvelopeSigner } from '../../envelope/index.js';
import { ML_KEM_768_PUBLIC_KEY_BYTES } from './kem.js';

/** The payload type of key cards. */
export const KEY_CARD_PAYLOAD_TYPE = 'application/vnd.quorumkit.mpc-key-card+json;v=1';

/** A verified key card. */
export interface KeyCard {
  /** The custodian's did (`did:pqaid:…`), the envelope's signer. */
  readonly did: string;
  /** Its 0-based index and Shamir abscissa (index + 1 unless rotated in with another). */
  readonly index: number;
  readonly x: bigint;
  readonly kemPublicKey: Uint8Array;
}

/**
 * Signs a key card for `signer` (the custodian).
 * @example
 * const card = await signKeyCard(identity, { index: 0, x: 1n, kemPublicKey });
 */
export function signKeyCard(signer: EnvelopeSigner, card: Omit<KeyCard, 'did'>): Promise<Envelope> {
  const body = { did: signer.did, index: card.index, x: card.x.toString(), kem: 'ML-KEM-768', kemPublicKey: base64Encode(card.kemPublicKey) };
  return signEnvelope(body, KEY_CARD_PAYLOAD_TYPE, [signer]);
}

/**
 * Verifies a key card envelope: signed by the did it names, and — when `trusted` is given — that
 * did is one of them.
 * @throws InvalidArgumentError (`ERR_INVALID_ARGUMENT`, 400) for anything else.
 */
export async function verifyKeyCard(envelope: unknown, trusted?: ReadonlySet<string>): Promise<KeyCard> {
  const v = await verifyEnvelope(envelope, { payloadType: KEY_CARD_PAYLOAD_TYPE });
  if (!v.valid) throw new InvalidArgumentError(`key card invalid: ${v.reasons.join('; ')}`);
  const body = v.body;
  assertObject('key card', body);
  const { did, index, x, kem, kemPublicKey } = body;
  if (typeof did !== 'string' || !v.signers.includes(did)) throw new InvalidArgumentError('key card is not signed by the did it names');
  if (trusted !== undefined && !trusted.has(did)) throw new InvalidArgumentError(`key card of ${did}, which is not a trusted custodian`);
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0 || index > 1023) throw new InvalidArgumentError('key card index expected 0..1023');
  if (typeof x !== 'string' || !/^[1-9][0-9]{0,6}$/.test(x)) throw new InvalidArgumentError('key card x expected a decimal 1..9999999');
  if (kem !== 'ML-KEM-768' || typeof kemPublicKey !== 'string') throw new InvalidArgumentError('key card expected kem ML-KEM-768 and a kemPublicKey');
  const pk = base64Decode(kemPublicKey);
  if (pk.length !== ML_KEM_768_PUBLIC_KEY_BYTES) throw new InvalidArgumentError(`key card kemPublicKey expected ${ML_KEM_768_PUBLIC_KEY_BYTES} bytes`);
  return { did, index, x: BigInt(x), kemPublicKey: pk };
}
