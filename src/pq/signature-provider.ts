// The internal SignatureProvider contract every ML-DSA implementation fulfils (FIPS 204).
// Public types (levels, supports, key pairs) live in provider.ts; this file adds the call shapes.
// Each provider validates its own inputs (sizes per FIPS 204 Table 2, |ctx| ≤ 255) and refuses any
// request outside its `supports` with QuorumkitError('ERR_UNSUPPORTED') — never a wrong answer.

import type { MlDsaKeyPair, MlDsaLevel, ProviderName, ProviderSupports } from './provider.js';

/**
 * Pre-hash functions of HashML-DSA (FIPS 204 §5.4.1), named as NIST ACVP names them.
 * SHAKE-128 means SHAKE128(M, 256) and SHAKE-256 means SHAKE256(M, 512).
 */
export type MlDsaPreHashAlg =
  | 'SHA2-224' | 'SHA2-256' | 'SHA2-384' | 'SHA2-512' | 'SHA2-512/224' | 'SHA2-512/256'
  | 'SHA3-224' | 'SHA3-256' | 'SHA3-384' | 'SHA3-512' | 'SHAKE-128' | 'SHAKE-256';

/** Options a provider's `sign` understands. */
export interface ProviderSignOptions {
  /** FIPS 204 ctx, 0..255 bytes; default empty. Non-empty needs `supports.context`. */
  readonly context?: Uint8Array;
  /** rnd = 0^32 (FIPS 204 §3.4). Needs `supports.deterministic`. */
  readonly deterministic?: boolean;
  /**
   * Caller-chosen 32-byte rnd (FIPS 204 Algorithm 2 line 5), for conformance tests only.
   * Needs `supports.deterministic` (a provider that can fix rnd to zero can fix it to anything).
   */
  readonly rnd?: Uint8Array;
}

/** Options for the internal interface (FIPS 204 Algorithms 7, 8). */
export interface ProviderInternalOptions {
  /** Input is μ (64 bytes, FIPS 204 §6.2 external mu) rather than M'. Needs `supports.externalMu`. */
  readonly externalMu?: boolean;
  /** As {@link ProviderSignOptions.deterministic}. */
  readonly deterministic?: boolean;
  /** As {@link ProviderSignOptions.rnd}. */
  readonly rnd?: Uint8Array;
}

/**
 * One ML-DSA implementation. Secret keys are always the FIPS 204 skEncode bytes (Algorithm 24),
 * so a key made by one provider signs under any other. All methods are async because providers
 * load lazily (WASM instantiation, runtime module lookup).
 */
export interface SignatureProvider {
  /** Stable provider name. */
  readonly name: ProviderName;
  /** What this provider can do; every `true` is tested against NIST ACVP vectors. */
  readonly supports: ProviderSupports;
  /** True when the implementation can run here (module present, runtime new enough). Never throws. */
  isAvailable(): Promise<boolean>;
  /** Availability as known synchronously right now: true/false once probed, undefined before. */
  knownAvailable(): boolean | undefined;
  /** Why the provider is unavailable, or undefined when it is available. */
  unavailableReason(): Promise<string | undefined>;
  /** ML-DSA.KeyGen (Algorithm 1), or KeyGen_internal(ξ) (Algorithm 6) when `seed` is given. */
  keygen(level: MlDsaLevel, seed?: Uint8Array): Promise<MlDsaKeyPair>;
  /** ML-DSA.Sign (Algorithm 2), pure, external interface. */
  sign(level: MlDsaLevel, msg: Uint8Array, secretKey: Uint8Array, opts?: ProviderSignOptions): Promise<Uint8Array>;
  /** ML-DSA.Verify (Algorithm 3). Returns false for any invalid signature, never throws for one. */
  verify(level: MlDsaLevel, sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, opts?: { readonly context?: Uint8Array }): Promise<boolean>;
  /** ML-DSA.Sign_internal (Algorithm 7) on M' or μ. Present when `supports.internal`. */
  signInternal?(level: MlDsaLevel, input: Uint8Array, secretKey: Uint8Array, opts?: ProviderInternalOptions): Promise<Uint8Array>;
  /** ML-DSA.Verify_internal (Algorithm 8) on M' or μ. Present when `supports.internal`. */
  verifyInternal?(level: MlDsaLevel, sig: Uint8Array, input: Uint8Array, publicKey: Uint8Array, opts?: { readonly externalMu?: boolean }): Promise<boolean>;
  /** HashML-DSA.Sign (Algorithm 4). Present when `supports.preHash`. */
  hashSign?(level: MlDsaLevel, hashAlg: MlDsaPreHashAlg, msg: Uint8Array, secretKey: Uint8Array, opts?: ProviderSignOptions): Promise<Uint8Array>;
  /** HashML-DSA.Verify (Algorithm 5). Present when `supports.preHash`. */
  hashVerify?(level: MlDsaLevel, hashAlg: MlDsaPreHashAlg, sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, opts?: { readonly context?: Uint8Array }): Promise<boolean>;
}
