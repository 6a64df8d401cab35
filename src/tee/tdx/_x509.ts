// X.509 pieces of TDX verification, on pkijs (docs/tee.md): certificate parsing, the PCK chain to a
// pinned root (RFC 5280 §6.1 reduced to what Intel's three-level PKI needs: names chain, signatures,
// validity at `now`, CA basic constraints), CRLs (RFC 5280 §5), and the Intel SGX PCK certificate
// extensions (Intel SGX PCK Certificate and CRL Profile, §1.3.5: OID 1.2.840.113741.1.13.1.*).
// Internal: failures come back as detail strings for the verifier's checks, parse errors typed.

import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { constantTimeEqual } from '../../core/bytes.js';
import { commonNameOf, decodeBer, importEcdsaPublicKey, parseDerCertificate } from '../x509.js';
import { CaCertificateCache } from '../_ca-cache.js';
import type { TdxLeafCertificate } from './engine.js';
import { TdxCollateralMalformedError } from './errors.js';

const SGX_EXTENSIONS_OID = '1.2.840.113741.1.13.1';
const BASIC_CONSTRAINTS_OID = '2.5.29.19';

/** The TCB fields of a PCK certificate's SGX extensions. */
export interface PckTcb {
  /** 6 bytes. */
  readonly fmspc: Uint8Array;
  /** 2 bytes. */
  readonly pceId: Uint8Array;
  /** SGX TCB components 1..16 (the CPUSVN bytes as the PCK states them). */
  readonly cpuSvnComponents: readonly number[];
  readonly pceSvn: number;
}

/** The DER each parsed certificate came from (compared as is, never re-encoded). */
const derOfParsed = new WeakMap<pkijs.Certificate, Uint8Array>();

/** Parses one DER certificate; `what` names it in the error. */
export function parseCertificate(der: Uint8Array, what: string): pkijs.Certificate {
  const copy = new Uint8Array(der);
  // OCTET/BIT STRING contents are not speculatively decoded (src/tee/x509.ts, asn1js parseEmbedded):
  // pkijs decodes the extensions it knows itself, and that pass was most of a PCK leaf's parse time
  const cert = parseDerCertificate(copy, what, TdxCollateralMalformedError);
  derOfParsed.set(cert, copy);
  return cert;
}

const caCache = new CaCertificateCache<pkijs.Certificate>();
const parsedAsCa = new WeakSet<pkijs.Certificate>();

function isCaCached(cert: pkijs.Certificate): boolean {
  return parsedAsCa.has(cert);
}

/** {@link parseCertificate} for CA certificates (roots, PCK CAs): parsed once per distinct DER (src/tee/_ca-cache.ts). Never for leaves. */
export function parseCaCertificate(der: Uint8Array, what: string): pkijs.Certificate {
  return caCache.get(der, (d) => {
    const cert = parseCertificate(d, what);
    parsedAsCa.add(cert);
    return cert;
  });
}

/** Parses one DER CRL. */
export function parseCrl(der: Uint8Array, what: string): pkijs.CertificateRevocationList {
  try {
    return pkijs.CertificateRevocationList.fromBER(new Uint8Array(der));
  } catch (err) {
    throw new TdxCollateralMalformedError(`${what} is not a DER X.509 CRL`, { cause: err });
  }
}

function derOf(cert: pkijs.Certificate): Uint8Array {
  return derOfParsed.get(cert) ?? new Uint8Array(cert.toSchema().toBER(false));
}

// A trusted root's self-signature never changes: checked once per parsed root.
const rootSelfSigned = new WeakMap<pkijs.Certificate, Promise<boolean>>();
// Nor does a cached CA certificate's signature by a cached issuer (the PCK CA by the root): the
// verified CA-to-root links, per pair of parsed CA certificates. A leaf's is checked every time.
const caSignedBy = new WeakMap<pkijs.Certificate, WeakMap<pkijs.Certificate, Promise<boolean>>>();

function linkSignature(cert: pkijs.Certificate, issuer: pkijs.Certificate): Promise<boolean> {
  if (!isCaCached(cert) || !isCaCached(issuer)) return signedBy(cert, issuer);
  let byIssuer = caSignedBy.get(cert);
  if (byIssuer === undefined) caSignedBy.set(cert, (byIssuer = new WeakMap()));
  let p = byIssuer.get(issuer);
  if (p === undefined) byIssuer.set(issuer, (p = signedBy(cert, issuer)));
  return p;
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
// The WebCrypto key of a CA certificate (cached parse, see parseCaCertificate), imported once.
const caKeys = new WeakMap<pkijs.Certificate, Promise<CryptoKey | null>>();

function caKey(issuer: pkijs.Certificate): Promise<CryptoKey | null> {
  let k = caKeys.get(issuer);
  if (k === undefined) caKeys.set(issuer, (k = certificatePublicKey(issuer).catch(() => null)));
  return k;
}

// `cert`'s signature by `issuer`. Intel's PKI signs with ECDSA P-256/SHA-256: that case is checked
// with the issuer's key imported once (RFC 5480 §2.1.1 / RFC 5758 §3.2: the signature is the DER
// SEQUENCE { r, s } over the TBSCertificate bytes as received); anything else through pkijs.
async function signedBy(cert: pkijs.Certificate, issuer: pkijs.Certificate): Promise<boolean> {
  try {
    if (cert.signatureAlgorithm.algorithmId !== ECDSA_WITH_SHA256 || !isCaCached(issuer)) return await cert.verify(issuer);
    const key = await caKey(issuer);
    if (key === null) return false;
    const der = asn1js.fromBER(cert.signatureValue.valueBlock.valueHexView);
    if (der.offset === -1) return false;
    const sig = pkijs.createECDSASignatureFromCMS(der.result, 32);
    if (sig.byteLength !== 64) return false;
    return await globalThis.crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, sig, new Uint8Array(cert.tbsView));
  } catch {
    return false;
  }
}

function isCa(cert: pkijs.Certificate): boolean {
  const ext = cert.extensions?.find((e) => e.extnID === BASIC_CONSTRAINTS_OID);
  return ext?.parsedValue instanceof pkijs.BasicConstraints && ext.parsedValue.cA === true;
}

function commonName(cert: pkijs.Certificate): string {
  return commonNameOf(cert.subject) ?? '(no CN)';
}

function validAt(cert: pkijs.Certificate, now: Date): boolean {
  return cert.notBefore.value.getTime() <= now.getTime() && now.getTime() <= cert.notAfter.value.getTime();
}

/** A chain element: a pkijs certificate, or (first only) a PCK leaf an engine decoded (engine.ts). */
export type ChainCertificate = pkijs.Certificate | TdxLeafCertificate;

function nameOf(c: ChainCertificate): string {
  return c instanceof pkijs.Certificate ? commonName(c) : c.commonName;
}

/**
 * Checks `chain` (leaf first, the last one a self-signed root) against `root`: the chain's root must
 * be byte-identical to `root`, each certificate issued (name and signature) by the next, every issuer
 * a CA, every certificate valid at `now`. Only the first element may be an engine's leaf. Returns
 * null when it holds, else why not.
 */
export async function checkChain(chain: readonly ChainCertificate[], root: pkijs.Certificate, now: Date): Promise<string | null> {
  if (chain.length < 2) return `certificate chain has ${chain.length} certificate(s), expected a leaf, intermediates and the root`;
  const ca = (c: ChainCertificate | undefined): pkijs.Certificate => {
    if (!(c instanceof pkijs.Certificate)) throw new TypeError('only the first chain element may be an engine-decoded leaf');
    return c;
  };
  const last = ca(chain[chain.length - 1]);
  if (!constantTimeEqual(derOf(last), derOf(root))) return `chain root "${commonName(last)}" is not the trusted root`;
  // every link's signature is started at once (they are independent; signedBy never rejects),
  // then the links are judged in order, so the first failure is the one reported
  const issuerOf = (i: number): pkijs.Certificate => ca(chain[Math.min(i + 1, chain.length - 1)]);
  const sigs = chain.map((cert, i) => {
    const issuer = issuerOf(i);
    if (!(cert instanceof pkijs.Certificate)) return cert.signedBy(issuer, derOf(issuer));
    if (cert !== issuer) return linkSignature(cert, issuer);
    // the last certificate is byte-identical to `root` (checked above): its self-signature once per root
    let p = rootSelfSigned.get(root);
    if (p === undefined) rootSelfSigned.set(root, (p = signedBy(root, root)));
    return p;
  });
  for (let i = 0; i < chain.length; i++) {
    const cert = chain[i]!;
    const issuer = issuerOf(i);
    const pk = cert instanceof pkijs.Certificate ? cert : undefined;
    if (!(pk ? validAt(pk, now) : (cert as TdxLeafCertificate).validAt(now))) return `"${nameOf(cert)}" is not valid at ${now.toISOString()}`;
    if (!(pk ? pk.issuer.isEqual(issuer.subject) : (cert as TdxLeafCertificate).issuedBy(issuer, derOf(issuer)))) return `"${nameOf(cert)}" is not issued by "${commonName(issuer)}"`;
    if (i > 0 && !isCa(ca(cert))) return `"${nameOf(cert)}" is not a CA`;
    if (!(await sigs[i]!)) return `signature of "${nameOf(cert)}" by "${commonName(issuer)}": signature verification failed`;
  }
  return null;
}

/** A pkijs certificate as a {@link TdxLeafCertificate} (the WebCrypto engine's leaf). */
export function pkijsLeaf(cert: pkijs.Certificate): TdxLeafCertificate {
  return {
    commonName: commonName(cert),
    validAt: (now) => validAt(cert, now),
    issuedBy: (issuer) => cert.issuer.isEqual(issuer.subject),
    signedBy: (issuer) => linkSignature(cert, issuer),
    async verifyP256(signature, data) {
      let key: CryptoKey;
      try {
        key = await certificatePublicKey(cert);
      } catch {
        return null;
      }
      return ecdsaP256Verify(key, signature, data);
    },
    certificate: () => cert,
  };
}

/** ECDSA P-256/SHA-256 (IEEE P1363) through WebCrypto; false on any failure. */
export async function ecdsaP256Verify(key: CryptoKey, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  try {
    return await globalThis.crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, new Uint8Array(signature), new Uint8Array(data));
  } catch {
    return false;
  }
}

/**
 * Checks a CRL: signed by `issuer`, current at `now` (thisUpdate ≤ now ≤ nextUpdate), and listing
 * none of `certs` that `issuer` issued. Returns null when it holds, else why not.
 */
export async function checkCrl(crl: pkijs.CertificateRevocationList, issuer: pkijs.Certificate, certs: readonly pkijs.Certificate[], now: Date): Promise<string | null> {
  if (!crl.issuer.isEqual(issuer.subject)) return `CRL issuer is not "${commonName(issuer)}"`;
  let ok = false;
  try {
    ok = await crl.verify({ issuerCertificate: issuer });
  } catch {
    ok = false;
  }
  if (!ok) return `CRL of "${commonName(issuer)}": signature verification failed`;
  if (crl.thisUpdate.value.getTime() > now.getTime()) return `CRL of "${commonName(issuer)}" is not yet valid at ${now.toISOString()}`;
  if (crl.nextUpdate !== undefined && crl.nextUpdate.value.getTime() < now.getTime()) return `CRL of "${commonName(issuer)}" expired at ${crl.nextUpdate.value.toISOString()}`;
  for (const cert of certs) {
    if (cert.issuer.isEqual(issuer.subject) && crl.isCertificateRevoked(cert)) return `"${commonName(cert)}" is revoked`;
  }
  return null;
}

/** The WebCrypto ECDSA P-256 public key of a certificate (src/tee/x509.ts importEcdsaPublicKey). */
export function certificatePublicKey(cert: pkijs.Certificate): Promise<CryptoKey> {
  return importEcdsaPublicKey(cert, 'P-256');
}

function sequenceItems(block: asn1js.AsnType, what: string): asn1js.AsnType[] {
  if (!(block instanceof asn1js.Sequence)) throw new TdxCollateralMalformedError(`PCK SGX extension: ${what} is not a SEQUENCE`);
  return block.valueBlock.value;
}

function pair(block: asn1js.AsnType, what: string): [string, asn1js.AsnType] {
  const items = sequenceItems(block, what);
  const oid = items[0];
  if (items.length !== 2 || !(oid instanceof asn1js.ObjectIdentifier)) throw new TdxCollateralMalformedError(`PCK SGX extension: ${what} is not an (OID, value) pair`);
  return [oid.valueBlock.toString(), items[1]!];
}

function octets(v: asn1js.AsnType, what: string, length: number): Uint8Array {
  if (!(v instanceof asn1js.OctetString) || v.valueBlock.valueHexView.length !== length) throw new TdxCollateralMalformedError(`PCK SGX extension: ${what} is not a ${length}-byte OCTET STRING`);
  return v.valueBlock.valueHexView.slice();
}

function integer(v: asn1js.AsnType, what: string): number {
  if (!(v instanceof asn1js.Integer)) throw new TdxCollateralMalformedError(`PCK SGX extension: ${what} is not an INTEGER`);
  const n = v.valueBlock.valueDec;
  if (!Number.isSafeInteger(n) || n < 0 || n > 0xffff) throw new TdxCollateralMalformedError(`PCK SGX extension: ${what} is out of range`);
  return n;
}

/** Reads FMSPC, PCE-ID, the 16 SGX TCB components and PCESVN from a PCK certificate. */
export function readPckTcb(cert: pkijs.Certificate): PckTcb {
  const ext = cert.extensions?.find((e) => e.extnID === SGX_EXTENSIONS_OID);
  if (ext === undefined) throw new TdxCollateralMalformedError('PCK certificate has no SGX extensions (OID 1.2.840.113741.1.13.1)');
  const parsed = decodeBer(ext.extnValue.valueBlock.valueHexView);
  if (parsed === undefined) throw new TdxCollateralMalformedError('PCK SGX extensions are not DER');
  let fmspc: Uint8Array | undefined;
  let pceId: Uint8Array | undefined;
  let cpuSvnComponents: number[] | undefined;
  let pceSvn: number | undefined;
  for (const item of sequenceItems(parsed.result, 'extension')) {
    const [oid, value] = pair(item, 'entry');
    if (oid === `${SGX_EXTENSIONS_OID}.4`) fmspc = octets(value, 'FMSPC', 6);
    else if (oid === `${SGX_EXTENSIONS_OID}.3`) pceId = octets(value, 'PCE-ID', 2);
    else if (oid === `${SGX_EXTENSIONS_OID}.2`) {
      const comps = new Array<number>(16).fill(-1);
      for (const t of sequenceItems(value, 'TCB')) {
        const [toid, tv] = pair(t, 'TCB entry');
        const m = new RegExp(`^${SGX_EXTENSIONS_OID.replace(/\./g, '\\.')}\\.2\\.(\\d+)$`).exec(toid);
        const k = m === null ? 0 : Number(m[1]);
        if (k >= 1 && k <= 16) comps[k - 1] = integer(tv, `TCB component ${k}`);
        else if (k === 17) pceSvn = integer(tv, 'PCESVN');
      }
      if (comps.some((c) => c < 0)) throw new TdxCollateralMalformedError('PCK SGX extension: TCB lacks one of its 16 components');
      cpuSvnComponents = comps;
    }
  }
  if (fmspc === undefined || pceId === undefined || cpuSvnComponents === undefined || pceSvn === undefined) {
    throw new TdxCollateralMalformedError('PCK SGX extensions lack FMSPC, PCE-ID, TCB or PCESVN');
  }
  return { fmspc, pceId, cpuSvnComponents, pceSvn };
}

/** The subject common name of a certificate (for details). */
export function certificateName(cert: pkijs.Certificate): string {
  return commonName(cert);
}
