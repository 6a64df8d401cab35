// Verified identity credentials (the Web4 reference engine's LCTCredential, authorization_engine.py
// b62c7bee). The seed's credential is a stub whose `verify_signature` returns True; here a credential
// exists only as the product of a check that really happened — `verifySignedRequest` (ML-DSA over the
// request, signed-request.ts) or, for the seed's compatibility path only, `seedStubCredential` — and the
// engine refuses any look-alike object. Browser-safe.

/** A verified identity (seed `LCTCredential`). */
export interface LctCredential {
  /** The entity's LCT id: its `did:pqaid` for ML-DSA credentials. */
  readonly lctId: string;
  /** `AI`, `HUMAN`, `ROLE`, … */
  readonly entityType: string;
  readonly societyId: string;
  /** The entity's birth certificate hash (for did:pqaid credentials: the did's key hash). */
  readonly birthCertificateHash: string;
  /** Hex of the ML-DSA public key, or `stub_pubkey` for the seed's stub credential. */
  readonly publicKey: string;
  readonly hardwareBindingHash: string | null;
  /** How it was verified: `ml-dsa` (a signature checked) or `seed-stub` (nothing checked — compatibility only). */
  readonly verifiedBy: 'ml-dsa' | 'seed-stub';
}

const VERIFIED = new WeakSet<object>();

/** @internal Marks a credential this module's verifiers produced. */
export function issueVerifiedCredential(c: LctCredential): LctCredential {
  const frozen = Object.freeze({ ...c });
  VERIFIED.add(frozen);
  return frozen;
}

/** True when `c` came from a quorumkit verifier (not a hand-made object). */
export function isVerifiedCredential(c: unknown): c is LctCredential {
  return typeof c === 'object' && c !== null && VERIFIED.has(c);
}

/**
 * The seed's stub credential for `lctId` (public key `stub_pubkey`, birth certificate `stub_hash`):
 * what `verify_lct` returns for ANY signature. Compatibility only (the replay tool's signature-only
 * path, `AuthorizationEngine` with `seedCompat.bareSignatures`); it proves nothing.
 */
export function seedStubCredential(lctId: string, societyId: string): LctCredential {
  return issueVerifiedCredential({ lctId, entityType: 'AI', societyId, birthCertificateHash: 'stub_hash', publicKey: 'stub_pubkey', hardwareBindingHash: null, verifiedBy: 'seed-stub' });
}
