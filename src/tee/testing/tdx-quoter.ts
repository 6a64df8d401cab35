// A FAKE TDX guest and Quoting Enclave for tests, signing with a TEST PKI (tdx-pki.ts): what the
// Linux tdx-guest driver's TDX_CMD_GET_REPORT0 returns (a TDREPORT_STRUCT, tdreport-writer.ts) and
// what the QE turns it into (Intel TDX DCAP Quoting Library API, Appendix A: a v4 quote — header
// A.3.1 ‖ TD Quote Body A.3.2 — or v5 — header ‖ body descriptor ‖ TDX 1.0 or 1.5 body A.3.3 — then
// the ECDSA quote signature data A.4: signature by the attestation key over header ‖ body, the
// attestation key, certification data type 6 (A.4.10): QE report (SGX REPORT body A.4.11) whose
// REPORTDATA is SHA-256(attestation key ‖ QE auth data) ‖ 32 zero bytes, signed by the PCK; QE
// auth data; type 5 PCK chain PEM). The attestation key is fresh per quoter. The QE report's
// MRSIGNER, ISVPRODID 2 and ISVSVN 4 are Intel's TD QE values (public measurements, as in the
// vectors' QE Identity sample) so re-signed Intel collateral rates it; nothing else is Intel's.
// Browser-safe (WebCrypto).

import { assertBytes, assertOptions, optionKeys } from '../../core/assert.js';
import { concatBytes, constantTimeEqual, fromHex, utf8Encode } from '../../core/bytes.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { TDX_ATT_KEY_ECDSA_P256, TDX_CERT_PCK_CHAIN, TDX_CERT_QE_REPORT, TDX_QE_REPORT_BYTES, TDX_TEE_TYPE } from '../tdx/quote.js';
import { parseTdReport, type TdReport } from '../tdx/tdreport.js';
import { ecdsaSign, generateEcdsaKey } from './_x509.js';
import { fakeTdReportMac, writeTdReport, type TdReportFields } from './tdreport-writer.js';
import type { TestTdxPki } from './tdx-pki.js';

/** What the fake TD was built with (TDREPORT fields other than REPORTDATA and CPUSVN; all optional). */
export type FakeTd = Partial<Omit<TdReportFields, 'reportData' | 'cpuSvn'>>;

/** Options of {@link FakeTdxQuoter.create}. */
export interface FakeTdxQuoterOptions {
  readonly td?: FakeTd;
  /** Quote version (default 4). */
  readonly version?: 4 | 5;
  /** v5 body type: 2 TDX 1.0 body, 3 TDX 1.5 body (default 3). */
  readonly bodyType?: 2 | 3;
  /** The fake TDREPORT MAC secret, 32 bytes (default random). */
  readonly secret?: Uint8Array;
}

const OPTION_KEYS = optionKeys<FakeTdxQuoterOptions>({ td: true, version: true, bodyType: true, secret: true });
const TD_KEYS = optionKeys<Required<FakeTd>>({
  teeTcbSvn: true, mrSeam: true, mrSignerSeam: true, seamAttributes: true, teeTcbSvn2: true, tdAttributes: true, xfam: true,
  mrTd: true, mrConfigId: true, mrOwner: true, mrOwnerConfig: true, rtmrs: true, servTdHash: true,
});
const INTEL_QE_VENDOR_ID = fromHex('939a7233f79c4ca9940a0db3957f0607');
const TD_QE_MRSIGNER = fromHex('dc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a8c5');

function padded(text: string, n: number): Uint8Array {
  const b = new Uint8Array(n);
  b.set(utf8Encode(text).subarray(0, n));
  return b;
}

function tdDefaults(): Omit<TdReportFields, 'reportData' | 'cpuSvn'> {
  const tcbSvn = new Uint8Array(16);
  tcbSvn.set([3, 0, 5]); // TDX module 3.0, late microcode 5 (the vectors' TCB Info sample, UpToDate)
  return {
    teeTcbSvn: tcbSvn, mrSeam: padded('quorumkit FAKE TDX module (TEST)', 48), mrSignerSeam: new Uint8Array(48), seamAttributes: new Uint8Array(8),
    teeTcbSvn2: tcbSvn.slice(), tdAttributes: new Uint8Array(8), xfam: fromHex('e71a060000000000'),
    mrTd: padded('quorumkit FAKE TD (TEST)', 48), mrConfigId: new Uint8Array(48), mrOwner: new Uint8Array(48), mrOwnerConfig: new Uint8Array(48),
    rtmrs: [padded('rtmr0', 48), padded('rtmr1', 48), padded('rtmr2', 48), new Uint8Array(48)], servTdHash: new Uint8Array(48),
  };
}

function u16le(v: number): Uint8Array {
  return Uint8Array.of(v & 0xff, v >>> 8);
}

function u32le(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, true);
  return b;
}

/** The TD Quote Body (A.3.2 / A.3.3) of a TDREPORT: SEAMATTRIBUTES is TEE_TCB_INFO.ATTRIBUTES, MRSERVICETD is SERVTD_HASH. */
function quoteBody(r: TdReport, bodyType: 2 | 3): Uint8Array {
  return concatBytes(
    r.teeTcbSvn, r.mrSeam, r.mrSignerSeam, r.seamAttributes, r.tdAttributes, r.xfam, r.mrTd, r.mrConfigId, r.mrOwner, r.mrOwnerConfig,
    ...r.rtmrs, r.reportData, ...(bodyType === 3 ? [r.teeTcbSvn2, r.servTdHash] : []),
  );
}

/**
 * A FAKE TDX guest plus Quoting Enclave signing with a TEST PKI (never Intel's): `tdxReport0`
 * answers TDX_CMD_GET_REPORT0, `tdxQuote` gives the quote a QE makes of that report.
 * @example
 * const quoter = await FakeTdxQuoter.create(await createTestTdxPki());
 * const quote = await quoter.tdxQuote(reportData);
 * await verifyTdxQuote(quote, { now, trustedRoot: quoter.pki.rootPem });
 */
export class FakeTdxQuoter {
  /** The TEST PKI whose PCK signs the QE report. */
  readonly pki: TestTdxPki;
  /** 4 or 5. */
  readonly version: 4 | 5;
  /** 2 or 3 (always 2 for v4). */
  readonly bodyType: 2 | 3;
  /** The attestation public key, raw x‖y (64 bytes). */
  readonly attestationKey: Uint8Array;
  readonly #td: Omit<TdReportFields, 'reportData' | 'cpuSvn'>;
  readonly #attKey: CryptoKey;
  readonly #macKey: CryptoKey;
  /** QE report ‖ its signature ‖ auth data size ‖ auth data ‖ PCK chain certification data: the same for every quote. */
  readonly #qeCertData: Uint8Array;

  private constructor(pki: TestTdxPki, version: 4 | 5, bodyType: 2 | 3, td: Omit<TdReportFields, 'reportData' | 'cpuSvn'>, keys: { att: CryptoKey; attPub: Uint8Array; mac: CryptoKey }, qeCertData: Uint8Array) {
    this.pki = pki;
    this.version = version;
    this.bodyType = bodyType;
    this.#td = td;
    this.#attKey = keys.att;
    this.attestationKey = keys.attPub;
    this.#macKey = keys.mac;
    this.#qeCertData = qeCertData;
  }

  /**
   * Makes a quoter: a fresh attestation key, and the QE report binding it signed by the PCK.
   * @throws TypeError / RangeError for unknown option keys or fields of the wrong size; RangeError
   *   for body type 3 with version 4.
   */
  static async create(pki: TestTdxPki, options: FakeTdxQuoterOptions = {}): Promise<FakeTdxQuoter> {
    const o = assertOptions('options', options, OPTION_KEYS);
    if (pki === null || typeof pki !== 'object' || typeof pki.pckChainPem !== 'string') throw new TypeError('"pki" expected a TestTdxPki (createTestTdxPki)');
    const version = o.version ?? 4;
    if (version !== 4 && version !== 5) throw new RangeError('"options.version" expected 4 or 5');
    const bodyType = o.bodyType ?? (version === 5 ? 3 : 2);
    if (bodyType !== 2 && bodyType !== 3) throw new RangeError('"options.bodyType" expected 2 or 3');
    if (version === 4 && bodyType !== 2) throw new RangeError('"options.bodyType" 3 needs a v5 quote');
    const td = { ...tdDefaults(), ...assertOptions('options.td', o.td, TD_KEYS) };
    const secret = o.secret ?? globalThis.crypto.getRandomValues(new Uint8Array(32));
    assertBytes('options.secret', secret, 32);
    const mac = await globalThis.crypto.subtle.importKey('raw', secret.slice(), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const att = await generateEcdsaKey('P-256');
    const attPub = new Uint8Array(await globalThis.crypto.subtle.exportKey('raw', att.publicKey)).subarray(1);
    const authData = Uint8Array.from({ length: 32 }, (_, i) => i);
    const qe = new Uint8Array(TDX_QE_REPORT_BYTES);
    const dv = new DataView(qe.buffer);
    qe.set(pki.platform.cpuSvnComponents, 0); // CPUSVN
    qe.set([0x11], 48); // ATTRIBUTES: INIT | MODE64BIT
    qe.set(padded('quorumkit FAKE TD QE (TEST)', 32), 64); // MRENCLAVE
    qe.set(TD_QE_MRSIGNER, 128);
    dv.setUint16(256, 2, true); // ISVPRODID
    dv.setUint16(258, 4, true); // ISVSVN
    const bind = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new Uint8Array(concatBytes(attPub, authData))));
    qe.set(bind, 320);
    const qeSig = await ecdsaSign(pki.pckPrivateKey, 'SHA-256', qe);
    const chain = utf8Encode(pki.pckChainPem);
    const qeCertData = concatBytes(qe, qeSig, u16le(authData.length), authData, u16le(TDX_CERT_PCK_CHAIN), u32le(chain.length), chain);
    // Validate the TD fields once by writing one report.
    const quoter = new FakeTdxQuoter(pki, version, bodyType, td, { att: att.privateKey, attPub, mac }, qeCertData);
    await quoter.tdxReport0(new Uint8Array(64));
    return quoter;
  }

  /**
   * TDX_CMD_GET_REPORT0: the 1024-byte TDREPORT_STRUCT with `reportData` (64 bytes), fake MAC.
   * @throws TypeError / RangeError when `reportData` is not 64 bytes.
   */
  tdxReport0(reportData: Uint8Array): Promise<Uint8Array> {
    assertBytes('reportData', reportData, 64);
    return writeTdReport({ ...this.#td, reportData, cpuSvn: Uint8Array.from(this.pki.platform.cpuSvnComponents) }, this.#macKey);
  }

  /**
   * The quote of a TDREPORT this quoter's TD made (as the QE checks a report's MAC before quoting).
   * @throws TeeMalformedEvidenceError when `tdreport` is not a TDREPORT; InvalidArgumentError
   *   (`ERR_INVALID_ARGUMENT`) when its MAC is not this quoter's.
   */
  async tdxQuoteFromReport(tdreport: Uint8Array): Promise<Uint8Array> {
    const r = parseTdReport(tdreport);
    const mac = await fakeTdReportMac(r.reportMacStruct, this.#macKey);
    if (!constantTimeEqual(mac, r.mac)) throw new InvalidArgumentError('TDREPORT MAC does not verify: not a report of this TD');
    const header = concatBytes(u16le(this.version), u16le(TDX_ATT_KEY_ECDSA_P256), u32le(TDX_TEE_TYPE), new Uint8Array(4), INTEL_QE_VENDOR_ID, new Uint8Array(20));
    const body = quoteBody(r, this.bodyType);
    const signed = this.version === 5 ? concatBytes(header, u16le(this.bodyType), u32le(body.length), body) : concatBytes(header, body);
    const sig = await ecdsaSign(this.#attKey, 'SHA-256', signed);
    const sigData = concatBytes(sig, this.attestationKey, u16le(TDX_CERT_QE_REPORT), u32le(this.#qeCertData.length), this.#qeCertData);
    return concatBytes(signed, u32le(sigData.length), sigData);
  }

  /** A signed quote whose REPORTDATA is `reportData` (64 bytes): `tdxQuoteFromReport(tdxReport0(reportData))`. */
  async tdxQuote(reportData: Uint8Array): Promise<Uint8Array> {
    return this.tdxQuoteFromReport(await this.tdxReport0(reportData));
  }
}

