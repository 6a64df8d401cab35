// The X.509 plumbing shared by the SEV-SNP and TDX verifiers: strict PEM (TDX) refuses text around
// the blocks, lax PEM (SEV-SNP) ignores it; exact DER parsing refuses trailing bytes; errors are the
// caller's class with the caller's messages.
import { describe, expect, it } from 'vitest';
import { TeeMalformedCertificateError } from '../../src/tee/errors.js';
import { TdxCollateralMalformedError } from '../../src/tee/tdx/errors.js';
import { INTEL_SGX_ROOT_CA_PEM } from '../../src/tee/tdx/index.js';
import { decodeSnpCertificates } from '../../src/tee/snp/certs.js';
import { verifySnpReport } from '../../src/tee/snp/verify.js';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { AMD_SNP_ROOTS } from '../../src/tee/snp/roots.js';
import { commonNameOf, decodeBer, decodePemBlocks, importEcdsaPublicKey, parseDerCertificate } from '../../src/tee/x509.js';
import { describeVectors, readVectorBytes } from '../_vectors.js';

const strict = { ErrorClass: TdxCollateralMalformedError, strict: true } as const;
const lax = { ErrorClass: TeeMalformedCertificateError, strict: false } as const;

describe('decodePemBlocks', () => {
  it('decodes each block in order, strict or lax', () => {
    const two = INTEL_SGX_ROOT_CA_PEM + '\n' + INTEL_SGX_ROOT_CA_PEM + '\0\0';
    const s = decodePemBlocks(two, 'pem', strict);
    expect(s).toHaveLength(2);
    expect(s[0]![0]).toBe(0x30);
    expect(decodePemBlocks(two, 'pem', lax)).toEqual(s);
  });

  it('strict refuses text around the blocks; lax ignores it', () => {
    const noisy = `subject=Intel\n${INTEL_SGX_ROOT_CA_PEM}trailer`;
    expect(() => decodePemBlocks(noisy, 'chain', strict)).toThrow(new TdxCollateralMalformedError('chain: unexpected bytes between PEM blocks'));
    expect(() => decodePemBlocks(INTEL_SGX_ROOT_CA_PEM + 'x', 'chain', strict)).toThrow('chain: unexpected bytes after the last PEM block');
    expect(decodePemBlocks(noisy, 'chain', lax)).toHaveLength(1);
  });

  it('no block and bad base64 throw the caller class with its messages', () => {
    expect(() => decodePemBlocks('nothing', 'x', strict)).toThrow(TdxCollateralMalformedError);
    expect(() => decodePemBlocks(' \n', 'x', strict)).toThrow('x: no PEM certificate');
    expect(() => decodePemBlocks('nothing', 'x', { ...lax, noneMessage: 'none here' })).toThrow(new TeeMalformedCertificateError('none here'));
    const bad = '-----BEGIN CERTIFICATE-----\nAB=C\n-----END CERTIFICATE-----';
    expect(() => decodePemBlocks(bad, 'x', lax)).toThrow('x: invalid base64 in a PEM block');
    expect(() => decodePemBlocks(bad, 'x', { ...lax, base64Message: 'bad b64' })).toThrow('bad b64');
    expect(() => decodePemBlocks(7 as unknown as string, 'x', lax)).toThrow(TypeError);
  });
});

describe('decodeBer', () => {
  it('decodes BER, and is undefined (never a throw) for bytes that do not decode', () => {
    expect(decodeBer(new Uint8Array([0x02, 0x01, 0x05]))?.offset).toBe(3);
    expect(decodeBer(new Uint8Array([0x02, 0x05, 0x05]))).toBeUndefined();
    expect(decodeBer(new Uint8Array([]))).toBeUndefined();
  });
});

describe('parseDerCertificate and commonNameOf', () => {
  const der = decodePemBlocks(INTEL_SGX_ROOT_CA_PEM, 'root', strict)[0]!;

  it('parses a certificate and reads its common name', () => {
    const c = parseDerCertificate(der, 'root', TdxCollateralMalformedError);
    expect(commonNameOf(c.subject)).toBe('Intel SGX Root CA');
    expect(commonNameOf(c.issuer)).toBe('Intel SGX Root CA');
  });

  it('exact refuses trailing bytes; garbage throws the caller class', () => {
    const longer = new Uint8Array([...der, 0]);
    expect(commonNameOf(parseDerCertificate(longer, 'c', TeeMalformedCertificateError).subject)).toBe('Intel SGX Root CA');
    expect(() => parseDerCertificate(longer, 'c', TeeMalformedCertificateError, true)).toThrow(new TeeMalformedCertificateError('c is not a single DER X.509 certificate'));
    expect(() => parseDerCertificate(new Uint8Array([0x30, 0x03, 1, 2, 3]), 'c', TdxCollateralMalformedError)).toThrow(TdxCollateralMalformedError);
    expect(() => parseDerCertificate(new Uint8Array([0xff]), 'c', TdxCollateralMalformedError)).toThrow('c is not a DER X.509 certificate');
  });
});

describe('importEcdsaPublicKey', () => {
  const root = parseDerCertificate(decodePemBlocks(INTEL_SGX_ROOT_CA_PEM, 'root', strict)[0]!, 'root', TdxCollateralMalformedError);

  it('imports the subject key as received: the Intel root verifies its own signature with it', async () => {
    const key = await importEcdsaPublicKey(root, 'P-256');
    expect(key.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    const sig = pkijs.createECDSASignatureFromCMS(asn1js.fromBER(root.signatureValue.valueBlock.valueHexView).result, 32);
    expect(await globalThis.crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, sig, new Uint8Array(root.tbsView))).toBe(true);
  });

  it('refuses another curve and a non-EC key with a TypeError', async () => {
    await expect(importEcdsaPublicKey(root, 'P-384')).rejects.toThrow(new TypeError('not an ECDSA P-384 key'));
    const ark = decodeSnpCertificates(AMD_SNP_ROOTS[0]!.pem, 'ark')[0]!.cert;
    await expect(importEcdsaPublicKey(ark, 'P-256')).rejects.toThrow(TypeError);
  });
});

describeVectors('a VCEK whose bytes make asn1js throw', () => {
  // Found by the 100,000-input fuzz run: an OID length byte of the snpSPL extension changed from 10
  // to 74 makes asn1js read on into a "GeneralizedTime" and throw a plain Error from fromBER.
  it('decodes to a typed error, never an engine error, and verifySnpReport resolves', async () => {
    for (const file of ['tee/go-sev-guest/vcek.testcer', 'tee/virtee-sev/vcek_milan.der', 'tee/trustee/snp_test-vcek.der']) {
      const der = readVectorBytes(file);
      const at = findSequence(der, [48, 17, 6, 10, 43, 6, 1, 4, 1, 156, 120, 1, 3, 3]);
      expect(at, file).toBeGreaterThan(0);
      der[at + 3] = 74;
      let err: unknown;
      try { decodeSnpCertificates(der); } catch (e) { err = e; }
      expect(err === undefined || err instanceof TeeMalformedCertificateError, `${file}: ${String(err)}`).toBe(true);
      const r = await verifySnpReport(readVectorBytes('tee/go-sev-guest/attestation.bin'), { vcek: der, now: new Date('2026-06-01T00:00:00Z') }).catch((e: unknown) => e);
      expect(r instanceof TeeMalformedCertificateError || (r as { valid?: boolean }).valid === false, `${file}: ${String(r)}`).toBe(true);
    }
  });
});

function findSequence(hay: Uint8Array, needle: readonly number[]): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
