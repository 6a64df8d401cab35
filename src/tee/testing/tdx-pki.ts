// A TEST Intel-like PKI for TDX quotes — not Intel's: root CA → PCK Platform CA → PCK certificate
// (ECDSA P-256 with SHA-256, as Intel's SGX PKI; "Intel SGX PCK Certificate and CRL Profile": the
// PCK carries the SGX extensions, OID 1.2.840.113741.1.13.1 — PPID, TCB (16 SGX TCB components,
// PCESVN, CPUSVN), PCE-ID, FMSPC, SGX Type), and root → TCB Signing certificate, which signs Intel
// PCS v4 collateral (TCB Info, QE Identity: ECDSA P-256 over the value's JSON text, r‖s hex).
// Every name says "quorumkit TEST … — not Intel". No verifier trusts it by default: pass
// `pki.rootPem` as `trustedRoot` explicitly. Browser-safe (WebCrypto, pkijs, asn1js).
// The defaults (FMSPC 50806f000000, the SGX TCB components, PCESVN 11) are those of the Intel PCS
// TCB Info sample in the vectors, so that document re-signed by this PKI rates a fake quote.

import * as asn1js from 'asn1js';
import { assertBytes, assertInt, assertOptions, optionKeys } from '../../core/assert.js';
import { fromHex, toHex, utf8Encode } from '../../core/bytes.js';
import { derOf, ecdsaSign, generateEcdsaKey, issueCertificate } from './_x509.js';

/** The platform the test PCK certificate describes. */
export interface TestPckPlatform {
  /** 6 bytes (default 50806f000000). */
  readonly fmspc?: Uint8Array;
  /** 2 bytes (default 0000). */
  readonly pceId?: Uint8Array;
  /** The 16 SGX TCB component SVNs (default 5,5,2,2,3,1,0,3,0…). */
  readonly cpuSvnComponents?: readonly number[];
  /** PCESVN (default 11). */
  readonly pceSvn?: number;
}

/** Options of {@link createTestTdxPki}. */
export interface TestTdxPkiOptions {
  readonly platform?: TestPckPlatform;
  /** Validity of every certificate (default 2020-01-01 – 2049-12-31, independent of the clock). */
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

/** A TEST TDX PKI (see the module header). */
export interface TestTdxPki {
  /** The test root, PEM: `verifyTdxQuote(q, { trustedRoot: pki.rootPem })`, `verifyBoundReport(…, { tdxRoot })`. */
  readonly rootPem: string;
  readonly rootDer: Uint8Array;
  /** PCK ‖ PCK Platform CA ‖ root, PEM: the quote's type-5 certification data. */
  readonly pckChainPem: string;
  /** TCB Signing ‖ root, PEM: the TCB-Info-Issuer-Chain of collateral this PKI signs. */
  readonly tcbSigningChainPem: string;
  /** The platform the PCK certifies (defaults filled in). */
  readonly platform: Required<TestPckPlatform>;
  /** The PCK's private key (non-extractable): signs the fake QE's reports. */
  readonly pckPrivateKey: CryptoKey;
  /**
   * An Intel PCS v4 body `{"<name>":<valueText>,"signature":"<hex r‖s>"}` with `valueText` (raw JSON
   * text, e.g. a TCB Info or QE Identity value) signed by the test TCB Signing key.
   */
  signCollateral(name: string, valueText: string): Promise<string>;
}

const OPTION_KEYS = optionKeys<TestTdxPkiOptions>({ platform: true, notBefore: true, notAfter: true });
const PLATFORM_KEYS = optionKeys<TestPckPlatform>({ fmspc: true, pceId: true, cpuSvnComponents: true, pceSvn: true });
const SGX = '1.2.840.113741.1.13.1';
const ORG: readonly [string, string] = ['2.5.4.10', 'quorumkit TEST PKI — not Intel'];
const cn = (v: string): readonly (readonly [string, string])[] => [['2.5.4.3', v], ORG];

const pairSeq = (oid: string, value: asn1js.AsnType): asn1js.Sequence => new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid }), value] });
const octets = (b: Uint8Array): asn1js.OctetString => new asn1js.OctetString({ valueHex: b.slice().buffer });

/** The SGX extensions of a PCK certificate (PCK Certificate and CRL Profile, §1.3.5). */
function sgxExtension(p: Required<TestPckPlatform>): Uint8Array {
  const cpuSvn = Uint8Array.from(p.cpuSvnComponents);
  const tcb = new asn1js.Sequence({
    value: [
      ...p.cpuSvnComponents.map((svn, i) => pairSeq(`${SGX}.2.${i + 1}`, new asn1js.Integer({ value: svn }))),
      pairSeq(`${SGX}.2.17`, new asn1js.Integer({ value: p.pceSvn })),
      pairSeq(`${SGX}.2.18`, octets(cpuSvn)),
    ],
  });
  return derOf(new asn1js.Sequence({
    value: [
      pairSeq(`${SGX}.1`, octets(new Uint8Array(16).fill(0x7e))), // PPID (fake)
      pairSeq(`${SGX}.2`, tcb),
      pairSeq(`${SGX}.3`, octets(p.pceId)),
      pairSeq(`${SGX}.4`, octets(p.fmspc)),
      pairSeq(`${SGX}.5`, new asn1js.Enumerated({ value: 0 })), // SGX Type: Standard
    ],
  }));
}

function checkPlatform(p: TestPckPlatform | undefined): Required<TestPckPlatform> {
  const o = assertOptions('options.platform', p, PLATFORM_KEYS);
  const fmspc = o.fmspc ?? fromHex('50806f000000');
  const pceId = o.pceId ?? fromHex('0000');
  assertBytes('options.platform.fmspc', fmspc, 6);
  assertBytes('options.platform.pceId', pceId, 2);
  const comps = o.cpuSvnComponents ?? [5, 5, 2, 2, 3, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0];
  if (!Array.isArray(comps) || comps.length !== 16) throw new TypeError('"options.platform.cpuSvnComponents" expected 16 numbers');
  comps.forEach((c, i) => assertInt(`options.platform.cpuSvnComponents[${i}]`, c, 0, 255));
  const pceSvn = o.pceSvn ?? 11;
  assertInt('options.platform.pceSvn', pceSvn, 0, 0xffff);
  return { fmspc: fmspc.slice(), pceId: pceId.slice(), cpuSvnComponents: Object.freeze([...comps]), pceSvn };
}

/**
 * Creates a TEST TDX PKI with fresh P-256 keys — NOT Intel's, trusted by nothing unless passed
 * explicitly as `trustedRoot`.
 * @throws TypeError / RangeError for unknown option keys, wrong sizes or out-of-range SVNs.
 * @example
 * const pki = await createTestTdxPki();
 * const quoter = await FakeTdxQuoter.create(pki);
 * await verifyTdxQuote(await quoter.tdxQuote(reportData), { now, trustedRoot: pki.rootPem });
 */
export async function createTestTdxPki(options: TestTdxPkiOptions = {}): Promise<TestTdxPki> {
  const o = assertOptions('options', options, OPTION_KEYS);
  const platform = checkPlatform(o.platform);
  const notBefore = o.notBefore ?? new Date('2020-01-01T00:00:00Z');
  const notAfter = o.notAfter ?? new Date('2049-12-31T23:59:59Z');
  for (const [k, d] of [['notBefore', notBefore], ['notAfter', notAfter]] as const) {
    if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new TypeError(`"options.${k}" expected a valid Date`);
  }
  if (notAfter.getTime() <= notBefore.getTime()) throw new RangeError('"options.notAfter" expected a time after notBefore');
  const [rootKeys, caKeys, pckKeys, tcbKeys] = await Promise.all(['P-256', 'P-256', 'P-256', 'P-256'].map(() => generateEcdsaKey('P-256')));
  const base = { hash: 'SHA-256', notBefore, notAfter } as const;
  const root = await issueCertificate({ ...base, subject: cn('quorumkit TEST SGX Root CA — not Intel'), publicKey: rootKeys!.publicKey, signingKey: rootKeys!.privateKey, serial: 1, ca: true });
  const ca = await issueCertificate({ ...base, subject: cn('quorumkit TEST SGX PCK Platform CA — not Intel'), publicKey: caKeys!.publicKey, issuer: root.cert.subject, signingKey: rootKeys!.privateKey, serial: 2, ca: true });
  const pck = await issueCertificate({
    ...base, subject: cn('quorumkit TEST SGX PCK Certificate — not Intel'), publicKey: pckKeys!.publicKey, issuer: ca.cert.subject, signingKey: caKeys!.privateKey, serial: 3, ca: false,
    extensions: [{ oid: SGX, value: sgxExtension(platform) }],
  });
  const tcb = await issueCertificate({ ...base, subject: cn('quorumkit TEST SGX TCB Signing — not Intel'), publicKey: tcbKeys!.publicKey, issuer: root.cert.subject, signingKey: rootKeys!.privateKey, serial: 4, ca: false });
  const tcbKey = tcbKeys!.privateKey;
  return {
    rootPem: root.pem, rootDer: root.der,
    pckChainPem: pck.pem + ca.pem + root.pem,
    tcbSigningChainPem: tcb.pem + root.pem,
    platform,
    pckPrivateKey: pckKeys!.privateKey,
    async signCollateral(name: string, valueText: string): Promise<string> {
      if (typeof name !== 'string' || !/^[A-Za-z]+$/.test(name)) throw new TypeError('"name" expected a JSON member name of letters');
      if (typeof valueText !== 'string') throw new TypeError('"valueText" expected string');
      const sig = await ecdsaSign(tcbKey, 'SHA-256', utf8Encode(valueText));
      return `{"${name}":${valueText},"signature":"${toHex(sig)}"}`;
    },
  };
}
