// The SignatureProvider interface: one shape for every ML-DSA (FIPS 204) implementation.
// Providers differ in what they expose (DESIGN.md); each declares `supports` and refuses an
// unsupported request with QuorumkitError('ERR_UNSUPPORTED') — never a wrong answer.

/** ML-DSA parameter sets (FIPS 204 Table 1). */
export type MlDsaLevel = 44 | 65 | 87;

/** Algorithm names as they appear on the wire (`alg` in envelopes and key files). */
export type MlDsaAlg = 'ML-DSA-44' | 'ML-DSA-65' | 'ML-DSA-87';

/** The ML-DSA implementations quorumkit can use. */
export type ProviderName = 'liboqs' | 'node' | 'noble';

/** Which FIPS 204 interfaces a provider exposes. */
export interface ProviderSupports {
  /** External pure ML-DSA with a non-empty context string (FIPS 204 Algorithm 2, ctx ≠ ε). */
  readonly context: boolean;
  /** Deterministic key generation from a 32-byte seed ξ (FIPS 204 Algorithm 6). */
  readonly seedKeygen: boolean;
  /** Deterministic signing (rnd = {0}^32, FIPS 204 §3.4). */
  readonly deterministic: boolean;
  /** ML-DSA.Sign_internal / Verify_internal on a pre-formatted M' (FIPS 204 Algorithms 7, 8). */
  readonly internal: boolean;
  /** HashML-DSA (FIPS 204 Algorithms 4, 5). */
  readonly preHash: boolean;
  /** Signing/verifying a caller-supplied μ (FIPS 204 §6.2 external mu). */
  readonly externalMu: boolean;
}

/** A key pair. Secret keys are the FIPS 204 `skEncode` form (Algorithm 24) for every provider. */
export interface MlDsaKeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

/** Options shared by sign and verify. */
export interface MlDsaContextOptions {
  /** FIPS 204 context string ctx, 0..255 bytes; default empty. */
  readonly context?: Uint8Array;
}

/** Options for signing. */
export interface MlDsaSignOptions extends MlDsaContextOptions {
  /** Deterministic variant (rnd = 0^32). Default: hedged (fresh randomness). */
  readonly deterministic?: boolean;
}
