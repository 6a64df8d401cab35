// The per-quote work of verifyTdxQuote that a platform can do faster than WebCrypto and pkijs: the
// two ECDSA P-256/SHA-256 checks under keys that arrive with every quote (the attestation key over
// header ‖ body; the PCK leaf key over the QE report — Intel TDX DCAP Quoting Library API, A.4) and
// decoding and chaining the PCK leaf (a new certificate per platform, so never cacheable the way
// the CA certificates are). The default is browser-safe (WebCrypto + pkijs); quorumkit/tee/node
// offers `nodeTdxEngine()` over node:crypto's native X509Certificate and ECDSA. Whatever the
// engine, the CA certificates, the root and the collateral go through pkijs, and the verdicts are
// the same (test/tee/node/tdx-engine.test.ts checks that on every genuine quote and its flips).

import type * as pkijs from 'pkijs';

/** A PCK leaf certificate as an engine decoded it (see the header). */
export interface TdxLeafCertificate {
  /** The subject's common name (for reasons). */
  readonly commonName: string;
  /** notBefore ≤ now ≤ notAfter. */
  validAt(now: Date): boolean;
  /** Is the leaf's issuer name the subject of `issuer` (given as pkijs and as its DER)? */
  issuedBy(issuer: pkijs.Certificate, issuerDer: Uint8Array): boolean;
  /** Is the leaf's signature one by `issuer`'s key? Never rejects. */
  signedBy(issuer: pkijs.Certificate, issuerDer: Uint8Array): Promise<boolean>;
  /** ECDSA P-256/SHA-256 (IEEE P1363 r ‖ s) of `data` by the leaf's key; null when its key is not P-256. Never rejects. */
  verifyP256(signature: Uint8Array, data: Uint8Array): Promise<boolean | null>;
  /** The leaf as a pkijs certificate, decoded on first use (CRL and TCB Info checks need it). */
  certificate(): pkijs.Certificate;
}

/** How verifyTdxQuote does its per-quote signature and leaf work (see the header). */
export interface TdxQuoteEngine {
  /** e.g. `webcrypto`, `node:crypto`. */
  readonly name: string;
  /** ECDSA P-256/SHA-256 (IEEE P1363) of `data` by the raw point x ‖ y (64 bytes); null when it is not a P-256 point. Never rejects. */
  verifyRawP256(point: Uint8Array, signature: Uint8Array, data: Uint8Array): Promise<boolean | null>;
  /**
   * Decodes the PCK leaf (DER). `what` names it in the error.
   * @throws TdxCollateralMalformedError when it is not a DER X.509 certificate.
   */
  decodeLeaf(der: Uint8Array, what: string): TdxLeafCertificate;
}
