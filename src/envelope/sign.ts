// Signing quorumkit envelopes: canonical body (RFC 8785) → base64 payload → DSSE PAE → ML-DSA
// (FIPS 204, empty context: PAE already separates domains). Cosigning is native: addSignature.

import { assertBytes, assertOptions, describeValue, optionKeys } from '../core/assert.js';
import { canonicalize } from '../core/canonical-json.js';
import { base64Encode, utf8Encode } from '../core/bytes.js';
import { InvalidArgumentError } from '../core/errors.js';
import { didFromPublicKey } from '../pq/did.js';
import { levelFromAlg } from '../pq/ml-dsa.js';
import { EnvelopeMalformedError } from './errors.js';
import { pae } from './pae.js';
import { checkEnvelopeShape, payloadBytes } from './shape.js';
import { normalizePayloadType } from './payload-type.js';
import type { Envelope, EnvelopeSignature, EnvelopeSigner } from './types.js';

/** Options for signing. */
export interface SignEnvelopeOptions {
  /** Embed each signer's public key in its signature entry (default true). */
  readonly embedPublicKey?: boolean;
}

const SIGN_OPTION_KEYS = optionKeys<SignEnvelopeOptions>({ embedPublicKey: true });

/**
 * Signs `body` as an envelope of `payloadType`, once per signer (async: providers may
 * initialise asynchronously).
 *
 * @param body any I-JSON value; it is canonicalized with RFC 8785.
 * @param payloadType `application/vnd.quorumkit.<kind>+json;v=<n>` or a bare kind (→ v=1).
 * @throws QuorumkitError `ERR_JSON_NOT_IJSON` when the body is not I-JSON;
 *   `ERR_INVALID_ARGUMENT` for no signers, a signer whose did does not match its key, or the
 *   same key twice; `ERR_UNKNOWN_ALG` for an unknown signer alg; TypeError for an unknown option.
 * @example
 * const env = await signEnvelope({ hello: 'world' }, 'note', [alice, bob]);
 */
export async function signEnvelope(
  body: unknown,
  payloadType: string,
  signers: readonly EnvelopeSigner[],
  options?: SignEnvelopeOptions,
): Promise<Envelope> {
  assertOptions('options', options, SIGN_OPTION_KEYS);
  if (!Array.isArray(signers) || signers.length === 0) {
    throw new InvalidArgumentError('"signers" expected at least 1 item, got 0');
  }
  const type = normalizePayloadType(payloadType);
  const payload = base64Encode(utf8Encode(canonicalize(body)));
  let env: Envelope = { payloadType: type, payload, signatures: [] };
  for (const signer of signers) env = await addSignature(env, signer, options);
  return env;
}

/**
 * Returns a copy of `env` with one more signature, by `signer`, over the same PAE.
 * The envelope's existing signatures are not checked here; use `verifyEnvelope`.
 *
 * @throws QuorumkitError `ERR_ENVELOPE_MALFORMED` for a malformed envelope,
 *   `ERR_INVALID_ARGUMENT` when this key already signed it or its did does not match its key;
 *   TypeError for an unknown option.
 */
export async function addSignature(
  env: Envelope,
  signer: EnvelopeSigner,
  options?: SignEnvelopeOptions,
): Promise<Envelope> {
  const { embedPublicKey } = assertOptions('options', options, SIGN_OPTION_KEYS);
  const shapeError = checkEnvelopeShape(env);
  if (shapeError) throw new EnvelopeMalformedError(shapeError);
  checkSigner(signer);
  if (env.signatures.some((s) => s.keyid === signer.did)) {
    throw new InvalidArgumentError(`envelope is already signed by ${signer.did}`);
  }
  const payload = payloadBytes(env);
  if (payload === null) throw new EnvelopeMalformedError('payload is not valid base64');
  const sig = await signer.sign(pae(env.payloadType, payload));
  const entry: EnvelopeSignature = {
    keyid: signer.did,
    alg: signer.alg,
    sig: base64Encode(sig),
    ...(embedPublicKey === false ? {} : { publicKey: base64Encode(signer.publicKey) }),
  };
  return { payloadType: env.payloadType, payload: env.payload, signatures: [...env.signatures, entry] };
}

function checkSigner(signer: EnvelopeSigner): void {
  if (signer === null || typeof signer !== 'object' || typeof signer.sign !== 'function') {
    throw new TypeError('"signer" expected an object with did, alg, publicKey and sign()');
  }
  assertBytes('signer.publicKey', signer.publicKey);
  levelFromAlg(signer.alg);
  if (didFromPublicKey(signer.publicKey) !== signer.did) {
    throw new InvalidArgumentError(`signer did ${describeValue(signer.did)} does not match its public key`);
  }
}
