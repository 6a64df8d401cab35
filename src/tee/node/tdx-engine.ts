// A TdxQuoteEngine (src/tee/tdx/engine.ts) over node:crypto: the PCK leaf decoded by OpenSSL
// (X509Certificate), its signature by the PCK CA and the two per-quote ECDSA P-256/SHA-256 checks
// (IEEE P1363 r ‖ s, as the quote carries them — Intel TDX DCAP Quoting Library API, A.4) done
// natively and synchronously. verifyTdxQuote's verdicts and reasons are the same as with the
// default WebCrypto + pkijs engine (test/tee/node/tdx-engine.test.ts); the CA certificates, the
// root, CRLs and TCB Info still go through pkijs. Node-only.

import { createPublicKey, verify, X509Certificate, type KeyObject } from 'node:crypto';
import type * as pkijs from 'pkijs';
import { base64urlEncode } from '../../core/bytes.js';
import type { TdxLeafCertificate, TdxQuoteEngine } from '../tdx/engine.js';
import { parseCertificate, pkijsLeaf } from '../tdx/_x509.js';

// CA certificates arrive as the same DER again and again: their X509Certificate is kept per DER
// object identity (the pkijs CA cache hands out the same object), bounded by the CA cache itself.
const issuers = new WeakMap<Uint8Array, X509Certificate | null>();

function issuerX509(der: Uint8Array): X509Certificate | null {
  let x = issuers.get(der);
  if (x === undefined) {
    try {
      x = new X509Certificate(der);
    } catch {
      x = null;
    }
    issuers.set(der, x);
  }
  return x;
}

function isP256(key: KeyObject): boolean {
  return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
}

function p1363Verify(key: KeyObject, signature: Uint8Array, data: Uint8Array): boolean {
  try {
    return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}

function commonName(x: X509Certificate): string {
  const cn = x.subject.split('\n').find((l) => l.startsWith('CN='));
  return cn === undefined ? '(no CN)' : cn.slice(3);
}

function leafOf(der: Uint8Array, what: string): TdxLeafCertificate {
  let x: X509Certificate;
  try {
    x = new X509Certificate(der);
  } catch {
    // OpenSSL refuses some encodings pkijs reads (then refused later, with a reason): decode such a
    // leaf as the default engine does, so the verdict and its reason stay the same
    return pkijsLeaf(parseCertificate(der, what));
  }
  const from = new Date(x.validFrom).getTime();
  const to = new Date(x.validTo).getTime();
  let pk: pkijs.Certificate | undefined;
  return {
    commonName: commonName(x),
    validAt: (now) => from <= now.getTime() && now.getTime() <= to,
    issuedBy: (_issuer, issuerDer) => {
      const i = issuerX509(issuerDer);
      return i !== null && x.issuer === i.subject;
    },
    signedBy: (_issuer, issuerDer) => {
      const i = issuerX509(issuerDer);
      try {
        return Promise.resolve(i !== null && x.verify(i.publicKey));
      } catch {
        return Promise.resolve(false);
      }
    },
    verifyP256: (signature, data) => {
      let key: KeyObject;
      try {
        key = x.publicKey; // OpenSSL decodes the key here: a damaged one throws
      } catch {
        return Promise.resolve(null);
      }
      return Promise.resolve(isP256(key) ? p1363Verify(key, signature, data) : null);
    },
    certificate: () => (pk ??= parseCertificate(der, what)),
  };
}

/**
 * The node:crypto TdxQuoteEngine: pass it as `engine` to verifyTdxQuote (or `tdxEngine` to
 * verifyEvidence / verifyBoundReport) in Node for the same verdicts, faster.
 * @example
 * const r = await verifyTdxQuote(quote, { now: new Date(), engine: nodeTdxEngine() });
 */
export function nodeTdxEngine(): TdxQuoteEngine {
  return NODE_TDX_ENGINE;
}

const NODE_TDX_ENGINE: TdxQuoteEngine = Object.freeze({
  name: 'node:crypto',
  verifyRawP256(point: Uint8Array, signature: Uint8Array, data: Uint8Array): Promise<boolean | null> {
    if (point.length !== 64) return Promise.resolve(null);
    let key: KeyObject;
    try {
      key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: base64urlEncode(point.subarray(0, 32)), y: base64urlEncode(point.subarray(32)) }, format: 'jwk' });
    } catch {
      return Promise.resolve(null);
    }
    return Promise.resolve(p1363Verify(key, signature, data));
  },
  decodeLeaf: leafOf,
});
