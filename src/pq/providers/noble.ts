// ML-DSA (FIPS 204) via @noble/post-quantum: pure JS, runs everywhere, exposes every interface —
// external pure (Algorithms 2, 3) with context, KeyGen_internal from a seed (Algorithm 6),
// deterministic/hedged signing (§3.4), Sign_internal/Verify_internal (Algorithms 7, 8) with
// external μ (§6.2), and HashML-DSA (Algorithms 4, 5). The slowest provider; the reference one.

import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { sha224, sha256, sha384, sha512, sha512_224, sha512_256 } from '@noble/hashes/sha2.js';
import { sha3_224, sha3_256, sha3_384, sha3_512, shake128_32, shake256_64 } from '@noble/hashes/sha3.js';
import type { MlDsaKeyPair, MlDsaLevel, ProviderSupports } from '../provider.js';
import type { MlDsaPreHashAlg, ProviderInternalOptions, ProviderSignOptions, SignatureProvider } from '../signature-provider.js';
import { assertBytes, describeValue } from '../../core/assert.js';
import { assertLevel, checkPublicKey, checkSeed, checkSecretKey, checkRnd, hasSignatureSize, MU_BYTES } from '../params.js';
import { checkInternalSignOptions, checkInternalVerifyOptions, checkSignInputs, checkVerifyInputs } from './_common.js';
import { KeyInvalidError } from '../errors.js';

const IMPL = { 44: ml_dsa44, 65: ml_dsa65, 87: ml_dsa87 } as const;

interface PreHash {
  (msg: Uint8Array): Uint8Array;
  readonly oid?: Uint8Array;
}

// FIPS 204 §5.4.1: each PH carries its DER OID; SHAKE-128/256 have fixed 256/512-bit outputs.
const PRE_HASHES: Readonly<Record<MlDsaPreHashAlg, PreHash>> = {
  'SHA2-224': sha224, 'SHA2-256': sha256, 'SHA2-384': sha384, 'SHA2-512': sha512,
  'SHA2-512/224': sha512_224, 'SHA2-512/256': sha512_256,
  'SHA3-224': sha3_224, 'SHA3-256': sha3_256, 'SHA3-384': sha3_384, 'SHA3-512': sha3_512,
  'SHAKE-128': shake128_32, 'SHAKE-256': shake256_64,
};

const SUPPORTS: ProviderSupports = Object.freeze({
  context: true, seedKeygen: true, deterministic: true, internal: true, preHash: true, externalMu: true,
});

/** noble's extraEntropy: `false` = deterministic (rnd = 0^32), bytes = that rnd, undefined = fresh. */
function entropy(opts: { deterministic?: boolean; rnd?: Uint8Array | undefined }): Uint8Array | false | undefined {
  if (opts.rnd !== undefined) return opts.rnd;
  return opts.deterministic === true ? false : undefined;
}

function signOrThrow(run: () => Uint8Array): Uint8Array {
  try {
    return run();
  } catch (cause) {
    throw new KeyInvalidError('ML-DSA secret key was rejected by the noble provider', { cause });
  }
}

function verifyOrFalse(run: () => boolean): boolean {
  try {
    return run();
  } catch {
    return false; // a malformed encoding is an invalid signature, never an exception
  }
}

/** HashML-DSA M' = 1 ‖ |ctx| ‖ ctx ‖ OID ‖ PH(M) (FIPS 204 Algorithm 4, lines 10–23). */
function preHashMessage(hashAlg: MlDsaPreHashAlg, msg: Uint8Array, context: Uint8Array): Uint8Array {
  const ph = Object.hasOwn(PRE_HASHES, hashAlg) ? PRE_HASHES[hashAlg] : undefined;
  if (ph === undefined || ph.oid === undefined) throw new RangeError(`"hashAlg" expected a FIPS 204 pre-hash name, got ${describeValue(hashAlg)}`);
  const digest = ph(msg);
  const out = new Uint8Array(2 + context.length + ph.oid.length + digest.length);
  out[0] = 1;
  out[1] = context.length;
  out.set(context, 2);
  out.set(ph.oid, 2 + context.length);
  out.set(digest, 2 + context.length + ph.oid.length);
  return out;
}

/** The @noble/post-quantum provider: supports every FIPS 204 interface. */
export const nobleProvider: SignatureProvider = Object.freeze({
  name: 'noble' as const,
  supports: SUPPORTS,
  async isAvailable(): Promise<boolean> {
    return true;
  },
  knownAvailable(): boolean | undefined {
    return true;
  },
  async unavailableReason(): Promise<string | undefined> {
    return undefined;
  },
  async keygen(level: MlDsaLevel, seed?: Uint8Array): Promise<MlDsaKeyPair> {
    assertLevel(level);
    if (seed !== undefined) checkSeed(seed);
    const { publicKey, secretKey } = IMPL[level].keygen(seed);
    return { publicKey, secretKey };
  },
  async sign(level: MlDsaLevel, msg: Uint8Array, secretKey: Uint8Array, opts?: ProviderSignOptions): Promise<Uint8Array> {
    const inp = checkSignInputs(level, msg, secretKey, opts);
    return signOrThrow(() => IMPL[level].sign(msg, secretKey, { context: inp.context, extraEntropy: entropy(inp) }));
  },
  async verify(level: MlDsaLevel, sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, opts?: { readonly context?: Uint8Array }): Promise<boolean> {
    const { context, sizeOk } = checkVerifyInputs(level, sig, msg, publicKey, opts);
    if (!sizeOk) return false;
    return verifyOrFalse(() => IMPL[level].verify(sig, msg, publicKey, { context }));
  },
  async signInternal(level: MlDsaLevel, input: Uint8Array, secretKey: Uint8Array, options?: ProviderInternalOptions): Promise<Uint8Array> {
    const opts = checkInternalSignOptions(options);
    assertLevel(level);
    assertBytes('input', input);
    checkSecretKey(level, secretKey);
    const externalMu = opts.externalMu === true;
    if (externalMu && input.length !== MU_BYTES) throw new RangeError(`"mu" expected ${MU_BYTES} bytes, got ${input.length}`);
    if (opts.rnd !== undefined) checkRnd(opts.rnd);
    return signOrThrow(() => IMPL[level].internal.sign(input, secretKey, { externalMu, extraEntropy: entropy(opts) }));
  },
  async verifyInternal(level: MlDsaLevel, sig: Uint8Array, input: Uint8Array, publicKey: Uint8Array, options?: { readonly externalMu?: boolean }): Promise<boolean> {
    const opts = checkInternalVerifyOptions(options);
    assertLevel(level);
    assertBytes('sig', sig);
    assertBytes('input', input);
    checkPublicKey(level, publicKey);
    const externalMu = opts.externalMu === true;
    if (externalMu && input.length !== MU_BYTES) throw new RangeError(`"mu" expected ${MU_BYTES} bytes, got ${input.length}`);
    if (!hasSignatureSize(level, sig)) return false;
    return verifyOrFalse(() => IMPL[level].internal.verify(sig, input, publicKey, { externalMu }));
  },
  async hashSign(level: MlDsaLevel, hashAlg: MlDsaPreHashAlg, msg: Uint8Array, secretKey: Uint8Array, opts?: ProviderSignOptions): Promise<Uint8Array> {
    const inp = checkSignInputs(level, msg, secretKey, opts);
    const mPrime = preHashMessage(hashAlg, msg, inp.context);
    return signOrThrow(() => IMPL[level].internal.sign(mPrime, secretKey, { extraEntropy: entropy(inp) }));
  },
  async hashVerify(level: MlDsaLevel, hashAlg: MlDsaPreHashAlg, sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, opts?: { readonly context?: Uint8Array }): Promise<boolean> {
    const { context, sizeOk } = checkVerifyInputs(level, sig, msg, publicKey, opts);
    if (!sizeOk) return false;
    const mPrime = preHashMessage(hashAlg, msg, context);
    return verifyOrFalse(() => IMPL[level].internal.verify(sig, mPrime, publicKey));
  },
});

/**
 * The public key of an expanded secret key (FIPS 204: t = A·s1 + s2, then pkEncode(ρ, t1)),
 * computed by noble. Used to check that a loaded secret key belongs to its public key.
 * @throws QuorumkitError `ERR_KEY_INVALID` when the key cannot be decoded.
 */
export function publicKeyFromSecretKey(level: MlDsaLevel, secretKey: Uint8Array): Uint8Array {
  checkSecretKey(level, secretKey);
  return signOrThrow(() => IMPL[level].getPublicKey(secretKey));
}
