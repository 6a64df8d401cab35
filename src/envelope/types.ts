// Wire shape of a quorumkit signed artifact (DESIGN.md "Wire formats"): a DSSE-style envelope
// whose payload is base64 of the RFC 8785 canonical JSON body.

/** One signature over PAE(payloadType, payload). */
export interface EnvelopeSignature {
  /** The signer's `did:pqaid:<hex SHA3-256(publicKey)>`. */
  readonly keyid: string;
  /** `ML-DSA-44 | ML-DSA-65 | ML-DSA-87`. */
  readonly alg: string;
  /** Standard base64 of the raw FIPS 204 signature. */
  readonly sig: string;
  /** Standard base64 of the raw public key; when present it must hash to `keyid`. */
  readonly publicKey?: string;
}

/** A signed envelope. */
export interface Envelope {
  /** `application/vnd.quorumkit.<kind>+json;v=<n>`. */
  readonly payloadType: string;
  /** Standard base64 of the canonical JSON body. */
  readonly payload: string;
  readonly signatures: readonly EnvelopeSignature[];
}

/** Anything that can sign for an identity: `Identity` from `quorumkit/pq` satisfies it. */
export interface EnvelopeSigner {
  readonly did: string;
  readonly alg: string;
  readonly publicKey: Uint8Array;
  /** Signs `msg` with ML-DSA, empty context. May be async. */
  sign(msg: Uint8Array): Promise<Uint8Array> | Uint8Array;
}
