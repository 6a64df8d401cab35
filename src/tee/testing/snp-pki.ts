// A TEST SEV-SNP PKI — not AMD's: ARK → ASK → VCEK (and ARK → ASVK → VLEK) in the shapes AMD KDS
// issues (AMD "Versioned Chip Endorsement Key (VCEK) Certificate and KDS Interface Specification",
// pub. 57230: ARK and ASK/ASVK RSASSA-PSS with SHA-384, salt 48; the VCEK/VLEK an ECDSA P-384 key
// with AMD's extensions — structVersion, productName, blSPL/teeSPL/snpSPL/spl4–7/ucodeSPL, fmcSPL on
// Turin, hwID = CHIP_ID (64 bytes; 8 on Turin), cspID on a VLEK). Every CA name says "quorumkit TEST
// … — not AMD". No verifier trusts it by default: pass `pki.root` as `trustedRoots` explicitly.
// The RSA CA layer costs ~1 s per 4096-bit key, so it is made once per product, size and validity
// within a process; each call issues a fresh VCEK for its chip id and TCB. Browser-safe.

import * as asn1js from 'asn1js';
import { assertBytes, assertInt, assertOptions, optionKeys } from '../../core/assert.js';
import { AMD_OID } from '../snp/certs.js';
import type { SnpProduct, SnpRoot } from '../snp/roots.js';
import { derOf, generateEcdsaKey, generateRsaPssKey, issueCertificate, type ExtraExtension, type IssuedCertificate } from './_x509.js';

/** The TCB a test VCEK certifies (and the fake signer reports): SPL values 0–255; `fmc` on Turin only. */
export interface TestSnpTcb {
  readonly bootloader: number;
  readonly tee: number;
  readonly snp: number;
  readonly microcode: number;
  readonly fmc?: number;
}

/** Options of {@link createTestSnpPki}. */
export interface TestSnpPkiOptions {
  readonly product: SnpProduct;
  /** RSA modulus of the ARK and ASK/ASVK (default 4096, AMD's; 2048 makes a test PKI ~20× faster). */
  readonly rsaBits?: 2048 | 3072 | 4096;
  /** The VCEK's hwID / the reports' CHIP_ID: 64 bytes (Turin: 8, padded with zeros in CHIP_ID). Default: random. */
  readonly chipId?: Uint8Array;
  /** Default: bootloader 3, tee 0, snp 14, microcode 209 (and fmc 1 on Turin). */
  readonly tcb?: TestSnpTcb;
  /** Validity of every certificate (default 2020-01-01 – 2049-12-31, independent of the clock). */
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /** Also issue ASVK → VLEK (for SIGNING_KEY 1 reports); `cspID` names the provider (default "quorumkit-test-csp"). */
  readonly vlek?: boolean | { readonly cspId?: string };
  /** Reuse this process's CA layer for the same product, size and validity (default true); false makes new CA keys. */
  readonly cache?: boolean;
}

/** The VLEK side of a test PKI. */
export interface TestSnpVlek {
  readonly vlekPem: string;
  readonly vlekDer: Uint8Array;
  readonly asvkPem: string;
  readonly asvkDer: Uint8Array;
  /** ASVK ‖ ARK, PEM (as KDS `vlek/v1/{product}/cert_chain` serves it). */
  readonly chainPem: string;
  readonly cspId: string;
  /** The VLEK's private key (non-extractable): what signs SIGNING_KEY 1 reports. */
  readonly privateKey: CryptoKey;
}

/** A TEST SEV-SNP PKI (see the module header). Pass `root` as `trustedRoots: [pki.root]`. */
export interface TestSnpPki {
  readonly product: SnpProduct;
  /** The VCEK productName, e.g. "Milan-B0". */
  readonly productName: string;
  /** The test ARK as a trust anchor for `verifySnpReport({ trustedRoots })` / `verifyBoundReport({ snpRoots })`. */
  readonly root: SnpRoot;
  readonly arkPem: string;
  readonly arkDer: Uint8Array;
  readonly askPem: string;
  readonly askDer: Uint8Array;
  /** ASK ‖ ARK, PEM (as KDS `vcek/v1/{product}/cert_chain` serves it). */
  readonly chainPem: string;
  readonly vcekPem: string;
  readonly vcekDer: Uint8Array;
  /** CHIP_ID as the reports carry it: 64 bytes (Turin: the 8-byte hwID then zeros). */
  readonly chipId: Uint8Array;
  /** The hwID extension's bytes: 64 (8 on Turin). */
  readonly hwId: Uint8Array;
  readonly tcb: TestSnpTcb;
  /** The VCEK's private key (non-extractable): what signs SIGNING_KEY 0 reports. */
  readonly vcekPrivateKey: CryptoKey;
  readonly vlek?: TestSnpVlek;
}

const OPTION_KEYS = optionKeys<TestSnpPkiOptions>({ product: true, rsaBits: true, chipId: true, tcb: true, notBefore: true, notAfter: true, vlek: true, cache: true });
const TCB_KEYS = optionKeys<TestSnpTcb>({ bootloader: true, tee: true, snp: true, microcode: true, fmc: true });
const PRODUCT_NAMES: Record<SnpProduct, string> = { Milan: 'Milan-B0', Genoa: 'Genoa', Turin: 'Turin-B0' };
const DEFAULT_NOT_BEFORE = new Date('2020-01-01T00:00:00Z');
const DEFAULT_NOT_AFTER = new Date('2049-12-31T23:59:59Z');
const TEST_ORG: readonly [string, string] = ['2.5.4.10', 'quorumkit TEST PKI — not AMD'];
const CN = '2.5.4.3';

interface CaLayer {
  readonly ark: IssuedCertificate;
  readonly ask: IssuedCertificate;
  readonly askKey: CryptoKey;
  readonly asvk: IssuedCertificate;
  readonly asvkKey: CryptoKey;
}

// Per process: product/bits/validity → the RSA CA layer (the expensive part).
const caCache = new Map<string, Promise<CaLayer>>();

function caName(role: string, product: SnpProduct): readonly (readonly [string, string])[] {
  return [TEST_ORG, [CN, `quorumkit TEST ${role}-${product} — not AMD`]];
}

async function makeCaLayer(product: SnpProduct, bits: number, notBefore: Date, notAfter: Date): Promise<CaLayer> {
  const [arkKeys, askKeys, asvkKeys] = await Promise.all([generateRsaPssKey(bits), generateRsaPssKey(bits), generateRsaPssKey(bits)]);
  const common = { hash: 'SHA-384', notBefore, notAfter, ca: true } as const;
  const ark = await issueCertificate({ ...common, subject: caName('ARK', product), publicKey: arkKeys.publicKey, signingKey: arkKeys.privateKey, serial: 1 });
  const ask = await issueCertificate({ ...common, subject: caName('SEV', product), publicKey: askKeys.publicKey, issuer: ark.cert.subject, signingKey: arkKeys.privateKey, serial: 2 });
  const asvk = await issueCertificate({ ...common, subject: caName('SEV-VLEK', product), publicKey: asvkKeys.publicKey, issuer: ark.cert.subject, signingKey: arkKeys.privateKey, serial: 3 });
  return { ark, ask, askKey: askKeys.privateKey, asvk, asvkKey: asvkKeys.privateKey };
}

function caLayer(product: SnpProduct, bits: number, notBefore: Date, notAfter: Date): Promise<CaLayer> {
  const key = `${product}/${bits}/${notBefore.toISOString()}/${notAfter.toISOString()}`;
  let hit = caCache.get(key);
  if (hit === undefined) {
    hit = makeCaLayer(product, bits, notBefore, notAfter);
    caCache.set(key, hit);
    hit.catch(() => caCache.delete(key));
  }
  return hit;
}

const int = (oid: string, v: number): ExtraExtension => ({ oid, value: derOf(new asn1js.Integer({ value: v })) });

/** AMD's VCEK/VLEK extensions (pub. 57230, "VCEK certificate extensions"). hwID is the raw bytes, unwrapped, as AMD issues it. */
function amdExtensions(productName: string, tcb: TestSnpTcb, turin: boolean, extra: readonly ExtraExtension[]): ExtraExtension[] {
  return [
    int('1.3.6.1.4.1.3704.1.1', 1), // structVersion
    { oid: AMD_OID.productName, value: derOf(new asn1js.IA5String({ value: productName })) },
    int(AMD_OID.blSPL, tcb.bootloader),
    int(AMD_OID.teeSPL, tcb.tee),
    int(AMD_OID.snpSPL, tcb.snp),
    int('1.3.6.1.4.1.3704.1.3.4', 0),
    int('1.3.6.1.4.1.3704.1.3.5', 0),
    int('1.3.6.1.4.1.3704.1.3.6', 0),
    int('1.3.6.1.4.1.3704.1.3.7', 0),
    int(AMD_OID.ucodeSPL, tcb.microcode),
    ...(turin ? [int(AMD_OID.fmcSPL, tcb.fmc ?? 0)] : []),
    ...extra,
  ];
}

function leafName(cn: string): readonly (readonly [string, string])[] {
  return [TEST_ORG, ['2.5.4.11', 'Engineering'], [CN, cn]];
}

function checkTcb(t: TestSnpTcb, turin: boolean): TestSnpTcb {
  assertOptions('options.tcb', t, TCB_KEYS);
  for (const k of ['bootloader', 'tee', 'snp', 'microcode'] as const) assertInt(`options.tcb.${k}`, t[k], 0, 255);
  if (t.fmc !== undefined) {
    if (!turin) throw new RangeError('"options.tcb.fmc" exists on Turin only');
    assertInt('options.tcb.fmc', t.fmc, 0, 255);
  }
  return turin ? { ...t, fmc: t.fmc ?? 0 } : { bootloader: t.bootloader, tee: t.tee, snp: t.snp, microcode: t.microcode };
}

/**
 * Creates a TEST SEV-SNP PKI for one product — NOT AMD's, trusted by nothing unless passed
 * explicitly (`verifySnpReport(report, { vcek: pki.vcekPem, chain: pki.chainPem, trustedRoots: [pki.root] })`).
 * The RSA CA layer is cached per product, `rsaBits` and validity within a process (unless `cache`
 * is false); the VCEK (and VLEK) is issued fresh for `chipId` and `tcb`.
 * @throws TypeError / RangeError for unknown option keys, an unknown product, a chip id of the wrong
 *   size (64 bytes; 8 on Turin), TCB values outside 0–255 or `fmc` off Turin.
 * @example
 * const pki = await createTestSnpPki({ product: 'Genoa', rsaBits: 2048 });
 * const signer = new FakeSnpSigner(pki);
 */
export async function createTestSnpPki(options: TestSnpPkiOptions): Promise<TestSnpPki> {
  const o = assertOptions('options', options, OPTION_KEYS);
  const product = o.product;
  if (!(product in PRODUCT_NAMES)) throw new RangeError(`"options.product" expected Milan, Genoa or Turin, got ${JSON.stringify(product)}`);
  const turin = product === 'Turin';
  const bits = o.rsaBits ?? 4096;
  if (bits !== 2048 && bits !== 3072 && bits !== 4096) throw new RangeError('"options.rsaBits" expected 2048, 3072 or 4096');
  const notBefore = o.notBefore ?? DEFAULT_NOT_BEFORE;
  const notAfter = o.notAfter ?? DEFAULT_NOT_AFTER;
  for (const [k, d] of [['notBefore', notBefore], ['notAfter', notAfter]] as const) {
    if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new TypeError(`"options.${k}" expected a valid Date`);
  }
  if (notAfter.getTime() <= notBefore.getTime()) throw new RangeError('"options.notAfter" expected a time after notBefore');
  const hwLen = turin ? 8 : 64;
  const hwId = o.chipId === undefined ? globalThis.crypto.getRandomValues(new Uint8Array(hwLen)) : o.chipId.slice();
  assertBytes('options.chipId', hwId, hwLen);
  const chipId = new Uint8Array(64);
  chipId.set(hwId);
  const tcb = checkTcb(o.tcb ?? { bootloader: 3, tee: 0, snp: 14, microcode: 209, ...(turin ? { fmc: 1 } : {}) }, turin);
  const productName = PRODUCT_NAMES[product];

  if (o.cache !== undefined && typeof o.cache !== 'boolean') throw new TypeError('"options.cache" expected a boolean');
  const ca = await (o.cache === false ? makeCaLayer(product, bits, notBefore, notAfter) : caLayer(product, bits, notBefore, notAfter));
  const vcekKeys = await generateEcdsaKey('P-384');
  const leaf = { hash: 'SHA-384', notBefore, notAfter, ca: false } as const;
  const vcek = await issueCertificate({
    ...leaf, subject: leafName('SEV-VCEK'), publicKey: vcekKeys.publicKey, issuer: ca.ask.cert.subject, signingKey: ca.askKey, serial: 16,
    extensions: amdExtensions(productName, tcb, turin, [{ oid: AMD_OID.hwID, value: hwId }]),
  });
  let vlek: TestSnpVlek | undefined;
  if (o.vlek !== undefined && o.vlek !== false) {
    const cspId = (typeof o.vlek === 'object' ? o.vlek.cspId : undefined) ?? 'quorumkit-test-csp';
    if (typeof cspId !== 'string' || cspId.length === 0 || cspId.length > 64) throw new TypeError('"options.vlek.cspId" expected a string of 1–64 characters');
    const vlekKeys = await generateEcdsaKey('P-384');
    const cert = await issueCertificate({
      ...leaf, subject: leafName('SEV-VLEK'), publicKey: vlekKeys.publicKey, issuer: ca.asvk.cert.subject, signingKey: ca.asvkKey, serial: 17,
      extensions: amdExtensions(productName, tcb, turin, [{ oid: AMD_OID.cspID, value: derOf(new asn1js.IA5String({ value: cspId })) }]),
    });
    vlek = { vlekPem: cert.pem, vlekDer: cert.der, asvkPem: ca.asvk.pem, asvkDer: ca.asvk.der, chainPem: ca.asvk.pem + ca.ark.pem, cspId, privateKey: vlekKeys.privateKey };
  }
  return {
    product, productName,
    root: Object.freeze({ product, pem: ca.ark.pem }),
    arkPem: ca.ark.pem, arkDer: ca.ark.der, askPem: ca.ask.pem, askDer: ca.ask.der,
    chainPem: ca.ask.pem + ca.ark.pem,
    vcekPem: vcek.pem, vcekDer: vcek.der,
    chipId, hwId, tcb,
    vcekPrivateKey: vcekKeys.privateKey,
    ...(vlek === undefined ? {} : { vlek }),
  };
}

