// Intel TDX quote verification (browser-safe: WebCrypto and pkijs only), following Intel's DCAP
// Quote Verification Library order: Intel TDX DCAP Quoting Library API, Appendix A.4 (signature
// data), and "Intel SGX ECDSA Quote Library Reference", §"Quote verification":
//   1. quote signature: ECDSA P-256/SHA-256 over header ‖ body by the attestation key;
//   2. QE report binding (A.4.10): QE REPORTDATA = SHA-256(attestation key ‖ QE auth data) ‖ 32 zero bytes;
//   3. QE report signature by the PCK leaf key;
//   4. PCK leaf ← PCK Platform/Processor CA ← pinned Intel SGX Root CA; CRLs when supplied;
//   5. TCB Info and QE Identity (Intel PCS v4) when supplied, signed by the TCB Signing chain;
//   6. policy: TD debug attribute (refused by default), MRTD, RTMRs, REPORTDATA.
// Never throws on bad evidence: every failure is a check with ok false and a reason.

import type * as pkijs from 'pkijs';
import { sha256 } from '@noble/hashes/sha2.js';
import { assertOptions, optionKeys } from '../../core/assert.js';
import { concatBytes, constantTimeEqual, toHex } from '../../core/bytes.js';
import { isQuorumkitError } from '../../core/errors.js';
import { matchTdxQeIdentity, matchTdxTcbLevel, parseTdxQeIdentity, parseTdxTcbInfo, type SignedCollateral, type TdxTcbMatch, type TdxTcbStatus } from './collateral.js';
import type { TdxLeafCertificate, TdxQuoteEngine } from './engine.js';
import { WEBCRYPTO_TDX_ENGINE } from './engine-webcrypto.js';
import { certificatePublicKey, checkChain, checkCrl, ecdsaP256Verify, parseCaCertificate, parseCertificate, parseCrl, readPckTcb } from './_x509.js';
import { decodePemCertificates } from './pem.js';
import { isTdxDebug, parseTdxQuote, type TdxQuote } from './quote.js';
import { INTEL_SGX_ROOT_CA_PEM } from './roots.js';

/** Intel collateral for one quote (all optional; each supplied piece adds checks). */
export interface TdxCollateral {
  /** DER CRL of the PCK Platform/Processor CA (Intel PCS /pckcrl). */
  readonly pckCrl?: Uint8Array;
  /** DER CRL of the Intel SGX Root CA (revokes intermediates). */
  readonly rootCrl?: Uint8Array;
  /** Intel PCS v4 TDX TCB Info response body text. */
  readonly tcbInfo?: string;
  /** Intel PCS v4 TD QE Identity response body text. */
  readonly qeIdentity?: string;
  /** PEM: Intel SGX TCB Signing certificate then the root (the TCB-Info-Issuer-Chain header). Required with tcbInfo / qeIdentity. */
  readonly tcbSigningChain?: string;
}

/** What the TD must be. Byte fields compare exactly. */
export interface TdxPolicy {
  /** Accept a TD with the DEBUG attribute (default false). */
  readonly allowDebug?: boolean;
  /** Allowed MRTD values (48 bytes each); absent = any. */
  readonly mrTd?: readonly Uint8Array[];
  /** Expected RTMR0..3 (48 bytes each); an undefined entry is not checked. */
  readonly rtmrs?: readonly (Uint8Array | undefined)[];
  /** Expected REPORTDATA (64 bytes). */
  readonly reportData?: Uint8Array;
  /** TCB statuses accepted from TCB Info / QE Identity (default UpToDate, SWHardeningNeeded, ConfigurationNeeded, ConfigurationAndSWHardeningNeeded). */
  readonly acceptedTcbStatuses?: readonly TdxTcbStatus[];
}

/** Options of {@link verifyTdxQuote}. */
export interface VerifyTdxQuoteOptions {
  /** The time certificates, CRLs and collateral must be valid at (required: no hidden clock). */
  readonly now: Date;
  readonly collateral?: TdxCollateral;
  readonly policy?: TdxPolicy;
  /** A root to trust instead of the pinned Intel SGX Root CA (DER or PEM), e.g. a test PKI. */
  readonly trustedRoot?: Uint8Array | string;
  /** Who does the per-quote signature and PCK leaf work (engine.ts; default WebCrypto + pkijs; Node: `nodeTdxEngine()` from quorumkit/tee/node). */
  readonly engine?: TdxQuoteEngine;
}

/** One verification step. */
export interface TdxCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** The result of {@link verifyTdxQuote}. */
export interface TdxVerification {
  /** True when every check passed. */
  readonly valid: boolean;
  readonly checks: readonly TdxCheck[];
  /** The details of the failed checks, in order. */
  readonly reasons: readonly string[];
  /** The parsed quote, or null when it did not parse. */
  readonly quote: TdxQuote | null;
  /** TCB status from TCB Info, when it was evaluated. */
  readonly tcbStatus?: TdxTcbStatus;
  /** QE Identity status, when it was evaluated. */
  readonly qeIdentityStatus?: TdxTcbStatus;
}

const OPTION_KEYS = optionKeys<VerifyTdxQuoteOptions>({ now: true, collateral: true, policy: true, trustedRoot: true, engine: true });
const COLLATERAL_KEYS = optionKeys<TdxCollateral>({ pckCrl: true, rootCrl: true, tcbInfo: true, qeIdentity: true, tcbSigningChain: true });
const POLICY_KEYS = optionKeys<TdxPolicy>({ allowDebug: true, mrTd: true, rtmrs: true, reportData: true, acceptedTcbStatuses: true });
const DEFAULT_ACCEPTED: readonly TdxTcbStatus[] = ['UpToDate', 'SWHardeningNeeded', 'ConfigurationNeeded', 'ConfigurationAndSWHardeningNeeded'];
const SIG_FAILED = 'signature verification failed';

function message(err: unknown): string {
  return isQuorumkitError(err) ? err.message : 'unexpected error';
}

let pinnedRoot: pkijs.Certificate | undefined;

// Roots are CA certificates: parsed once (the pinned one at first use, others per distinct DER).
function rootCertificate(trustedRoot: Uint8Array | string | undefined): pkijs.Certificate {
  if (trustedRoot === undefined) return (pinnedRoot ??= parseCaCertificate(decodePemCertificates(INTEL_SGX_ROOT_CA_PEM, 'Intel SGX Root CA')[0]!, 'Intel SGX Root CA'));
  if (typeof trustedRoot === 'string') {
    const certs = decodePemCertificates(trustedRoot, 'trustedRoot');
    if (certs.length !== 1) throw new RangeError(`"trustedRoot" expected one PEM certificate, got ${certs.length}`);
    return parseCaCertificate(certs[0]!, 'trustedRoot');
  }
  if (!(trustedRoot instanceof Uint8Array)) throw new TypeError('"trustedRoot" expected Uint8Array (DER) or string (PEM)');
  return parseCaCertificate(trustedRoot, 'trustedRoot');
}

function checkOptions(options: VerifyTdxQuoteOptions): void {
  assertOptions('options', options, OPTION_KEYS);
  if (!(options.now instanceof Date) || Number.isNaN(options.now.getTime())) throw new TypeError('"options.now" expected a valid Date');
  const c = assertOptions('options.collateral', options.collateral, COLLATERAL_KEYS);
  for (const k of ['pckCrl', 'rootCrl'] as const) if (c[k] !== undefined && !(c[k] instanceof Uint8Array)) throw new TypeError(`"options.collateral.${k}" expected Uint8Array (DER)`);
  for (const k of ['tcbInfo', 'qeIdentity', 'tcbSigningChain'] as const) if (c[k] !== undefined && typeof c[k] !== 'string') throw new TypeError(`"options.collateral.${k}" expected string`);
  const p = assertOptions('options.policy', options.policy, POLICY_KEYS);
  const bytesOf = (name: string, v: unknown, n: number): void => {
    if (!(v instanceof Uint8Array) || v.length !== n) throw new TypeError(`"${name}" expected a ${n}-byte Uint8Array`);
  };
  if (p.mrTd !== undefined) {
    if (!Array.isArray(p.mrTd)) throw new TypeError('"options.policy.mrTd" expected an array');
    p.mrTd.forEach((m, i) => bytesOf(`options.policy.mrTd[${i}]`, m, 48));
  }
  if (p.rtmrs !== undefined) {
    if (!Array.isArray(p.rtmrs) || p.rtmrs.length > 4) throw new TypeError('"options.policy.rtmrs" expected an array of at most 4');
    p.rtmrs.forEach((m, i) => m === undefined || bytesOf(`options.policy.rtmrs[${i}]`, m, 48));
  }
  if (p.reportData !== undefined) bytesOf('options.policy.reportData', p.reportData, 64);
  if (p.allowDebug !== undefined && typeof p.allowDebug !== 'boolean') throw new TypeError('"options.policy.allowDebug" expected boolean');
  if (p.acceptedTcbStatuses !== undefined && !Array.isArray(p.acceptedTcbStatuses)) throw new TypeError('"options.policy.acceptedTcbStatuses" expected an array');
  const e = options.engine;
  if (e !== undefined && (e === null || typeof e !== 'object' || typeof e.verifyRawP256 !== 'function' || typeof e.decodeLeaf !== 'function')) throw new TypeError('"options.engine" expected a TdxQuoteEngine');
}

/** Checks a collateral document's signature by the TCB Signing chain and its dates. Null when fine. */
async function checkCollateralSignature(doc: SignedCollateral<{ issueDate: Date; nextUpdate: Date }>, chainPem: string | undefined, root: pkijs.Certificate, now: Date): Promise<string | null> {
  if (chainPem === undefined) return 'collateral.tcbSigningChain is required to verify it';
  const chain = decodePemCertificates(chainPem, 'tcbSigningChain').map((d, i) => parseCertificate(d, `tcbSigningChain[${i}]`));
  const bad = await checkChain(chain, root, now);
  if (bad !== null) return `TCB signing chain: ${bad}`;
  if (!(await ecdsaP256Verify(await certificatePublicKey(chain[0]!), doc.signature, doc.signedBytes))) return SIG_FAILED;
  if (doc.value.issueDate.getTime() > now.getTime()) return `issued ${doc.value.issueDate.toISOString()}, after ${now.toISOString()}`;
  if (doc.value.nextUpdate.getTime() < now.getTime()) return `stale: nextUpdate ${doc.value.nextUpdate.toISOString()} is before ${now.toISOString()}`;
  return null;
}

function statusDetail(m: TdxTcbMatch, accepted: readonly TdxTcbStatus[]): [boolean, string] {
  if (!m.ok) return [false, m.reason];
  const adv = m.advisoryIds.length > 0 ? ` (advisories ${m.advisoryIds.join(', ')})` : '';
  return accepted.includes(m.status) ? [true, `${m.status}${adv}`] : [false, `TCB status ${m.status} is not accepted${adv}`];
}

/**
 * Verifies an Intel TDX quote (v4 or v5) end to end: quote signature, QE report binding and
 * signature, PCK chain to the pinned Intel SGX Root CA (or `trustedRoot`), CRLs, TCB Info and QE
 * Identity when `collateral` has them, and `policy` (debug TDs refused unless `allowDebug`).
 * Bad evidence never throws: it gives `valid: false` with one failed check per problem.
 * @returns `{ valid, checks, reasons, quote, tcbStatus?, qeIdentityStatus? }`.
 * @throws TypeError / RangeError for wrong argument types (not a Uint8Array, no valid `now`, unknown option keys);
 *   `TdxCollateralMalformedError` when `trustedRoot` is not a certificate.
 * @example
 * const r = await verifyTdxQuote(quoteBytes, { now: new Date(), policy: { reportData: expected } });
 * if (!r.valid) console.log(r.reasons);
 */
export async function verifyTdxQuote(bytes: Uint8Array, options: VerifyTdxQuoteOptions): Promise<TdxVerification> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('"bytes" expected Uint8Array');
  checkOptions(options);
  const { now } = options;
  const collateral = options.collateral ?? {};
  const policy = options.policy ?? {};
  const root = rootCertificate(options.trustedRoot);
  const checks: TdxCheck[] = [];
  const add = (name: string, ok: boolean, detail: string): void => void checks.push({ name, ok, detail });
  const done = (quote: TdxQuote | null, extra: { tcbStatus?: TdxTcbStatus; qeIdentityStatus?: TdxTcbStatus } = {}): TdxVerification => {
    const reasons = checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
    return { valid: reasons.length === 0, checks, reasons, quote, ...extra };
  };

  let quote: TdxQuote;
  try {
    quote = parseTdxQuote(bytes);
  } catch (err) {
    add('parse', false, message(err));
    return done(null);
  }
  add('parse', true, `TDX quote v${quote.header.version}, body type ${quote.body.bodyType}, ${quote.length} bytes`);
  const sd = quote.signatureData;

  // the three signature checks are independent: started together, reported in order
  const engine = options.engine ?? WEBCRYPTO_TDX_ENGINE;
  const quoteSig = (async (): Promise<[boolean, string]> => {
    const ok = await engine.verifyRawP256(sd.attestationKey, sd.signature, quote.signedBytes);
    return [ok === true, ok === true ? 'signed by the attestation key' : ok === null ? 'attestation key is not a P-256 point' : SIG_FAILED];
  })();

  const digest = sha256(concatBytes(sd.attestationKey, sd.qeAuthData));
  const rd = sd.qeReport.reportData;
  const bound = constantTimeEqual(rd.subarray(0, 32), digest) && rd.subarray(32).every((b) => b === 0);

  let leaf: TdxLeafCertificate;
  let cas: pkijs.Certificate[];
  try {
    // the leaf is decoded every time (by the engine); the CA certificates above it once per distinct DER
    leaf = engine.decodeLeaf(sd.pckChain[0] ?? new Uint8Array(0), 'PCK chain[0]');
    cas = sd.pckChain.slice(1).map((d, i) => parseCaCertificate(d, `PCK chain[${i + 1}]`));
  } catch (err) {
    add('quote-signature', ...(await quoteSig));
    add('qe-report-binding', bound, bound ? 'QE REPORTDATA = SHA-256(attestation key ‖ QE auth data)' : 'QE REPORTDATA does not bind the attestation key');
    add('pck-chain', false, message(err));
    return done(quote);
  }
  const chain = [leaf, ...cas];
  // CRL and TCB Info checks read the leaf through pkijs (decoded then, whatever the engine)
  const pkijsChain = (): pkijs.Certificate[] => [leaf.certificate(), ...cas];
  const qeSig = (async (): Promise<[boolean, string]> => {
    const ok = await leaf.verifyP256(sd.qeReportSignature, sd.qeReport.raw);
    return [ok === true, ok === true ? 'QE report signed by the PCK leaf' : ok === null ? 'PCK leaf key is not ECDSA P-256' : SIG_FAILED];
  })();
  const chainCheck = checkChain(chain, root, now);
  add('quote-signature', ...(await quoteSig));
  add('qe-report-binding', bound, bound ? 'QE REPORTDATA = SHA-256(attestation key ‖ QE auth data)' : 'QE REPORTDATA does not bind the attestation key');
  add('qe-report-signature', ...(await qeSig));
  const chainBad = await chainCheck;
  add('pck-chain', chainBad === null, chainBad ?? `PCK chain of ${chain.length} to the trusted root, valid at ${now.toISOString()}`);

  const crlCheck = async (name: string, der: Uint8Array, issuerIndex: number): Promise<void> => {
    try {
      const certs = pkijsChain();
      const bad = await checkCrl(parseCrl(der, name), certs[issuerIndex]!, certs, now);
      add(name, bad === null, bad ?? 'not revoked');
    } catch (err) {
      add(name, false, message(err));
    }
  };
  if (collateral.rootCrl !== undefined) await crlCheck('root-crl', collateral.rootCrl, chain.length - 1);
  if (collateral.pckCrl !== undefined) await crlCheck('pck-crl', collateral.pckCrl, Math.min(1, chain.length - 1));

  const accepted = policy.acceptedTcbStatuses ?? DEFAULT_ACCEPTED;
  const extra: { tcbStatus?: TdxTcbStatus; qeIdentityStatus?: TdxTcbStatus } = {};
  // TCB Info and QE Identity: parse, check the signature by the TCB Signing chain, then match
  const collateralCheck = async <T extends { issueDate: Date; nextUpdate: Date }>(
    name: string, label: string, parse: () => SignedCollateral<T>, match: (value: T) => TdxTcbMatch,
  ): Promise<TdxTcbStatus | undefined> => {
    try {
      const doc = parse();
      const sigBad = await checkCollateralSignature(doc, collateral.tcbSigningChain, root, now);
      if (sigBad !== null) {
        add(name, false, `${label}: ${sigBad}`);
        return undefined;
      }
      const m = match(doc.value);
      const [ok, detail] = statusDetail(m, accepted);
      add(name, ok, detail);
      return m.ok ? m.status : undefined;
    } catch (err) {
      add(name, false, message(err));
      return undefined;
    }
  };
  const tcbInfo = collateral.tcbInfo;
  if (tcbInfo !== undefined) {
    const status = await collateralCheck('tcb-info', 'TCB Info', () => parseTdxTcbInfo(tcbInfo), (v) => matchTdxTcbLevel(v, readPckTcb(leaf.certificate()), quote.body));
    if (status !== undefined) extra.tcbStatus = status;
  }
  const qeIdentity = collateral.qeIdentity;
  if (qeIdentity !== undefined) {
    const status = await collateralCheck('qe-identity', 'QE Identity', () => parseTdxQeIdentity(qeIdentity), (v) => matchTdxQeIdentity(v, sd.qeReport));
    if (status !== undefined) extra.qeIdentityStatus = status;
  }

  const debug = isTdxDebug(quote.body);
  add('policy-debug', !debug || policy.allowDebug === true, debug ? (policy.allowDebug === true ? 'debug TD allowed by policy' : 'TD has the DEBUG attribute') : 'not a debug TD');
  if (policy.mrTd !== undefined) {
    const ok = policy.mrTd.some((m) => constantTimeEqual(m, quote.body.mrTd));
    add('policy-mrtd', ok, ok ? 'MRTD allowed' : `MRTD ${toHex(quote.body.mrTd)} is not allowed`);
  }
  policy.rtmrs?.forEach((want, i) => {
    if (want === undefined) return;
    const ok = constantTimeEqual(want, quote.body.rtmrs[i]!);
    add(`policy-rtmr${i}`, ok, ok ? `RTMR${i} as expected` : `RTMR${i} differs from the policy`);
  });
  if (policy.reportData !== undefined) {
    const ok = constantTimeEqual(policy.reportData, quote.body.reportData);
    add('policy-reportdata', ok, ok ? 'REPORTDATA as expected' : 'REPORTDATA differs from the policy');
  }
  return done(quote, extra);
}
