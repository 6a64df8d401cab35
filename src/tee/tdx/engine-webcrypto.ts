// The default TdxQuoteEngine (engine.ts): WebCrypto for the two per-quote ECDSA P-256/SHA-256
// checks (the raw attestation key imported as an uncompressed SEC 1 point, SEC 1 §2.3.3), pkijs for
// the PCK leaf. Browser-safe.

import type { TdxQuoteEngine } from './engine.js';
import { ecdsaP256Verify, parseCertificate, pkijsLeaf } from './_x509.js';

async function importRawP256(xy: Uint8Array): Promise<CryptoKey | null> {
  if (xy.length !== 64) return null;
  const raw = new Uint8Array(65);
  raw[0] = 4;
  raw.set(xy, 1);
  try {
    return await globalThis.crypto.subtle.importKey('raw', raw, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  } catch {
    return null;
  }
}

/** WebCrypto + pkijs: what verifyTdxQuote uses unless given another engine. */
export const WEBCRYPTO_TDX_ENGINE: TdxQuoteEngine = Object.freeze({
  name: 'webcrypto',
  async verifyRawP256(point: Uint8Array, signature: Uint8Array, data: Uint8Array): Promise<boolean | null> {
    const key = await importRawP256(point);
    return key === null ? null : ecdsaP256Verify(key, signature, data);
  },
  decodeLeaf: (der: Uint8Array, what: string) => pkijsLeaf(parseCertificate(der, what)),
});
