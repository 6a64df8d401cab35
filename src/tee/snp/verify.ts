// AMD SEV-SNP report verification: the report's ECDSA P-384/SHA-384 signature over bytes
// 0x000–0x29F (ABI spec Table 22 and its chapter "Signature Formats") under the VCEK or VLEK, that key's chain to a
// pinned AMD root (src/tee/snp/chain.ts), the leaf's AMD extensions against the report
// (reported_tcb and chip_id; AMD pub. 57230, VCEK certificate extensions), and the caller's policy
// (src/tee/snp/policy.ts). Browser-safe: WebCrypto and pkijs only. Bad evidence is a result with
// reasons; only unusable input (wrong size, undecodable certificates, wrong argument types) throws.

import { assertOptions, optionKeys } from '../../core/assert.js';
import { constantTimeEqual } from '../../core/bytes.js';
import { decodeSnpCaCertificates, decodeSnpCertificates, readSnpLeafExtensions, type SnpCertificate, type SnpLeafExtensions } from './certs.js';
import { decodeTrustAnchors, verifySnpChain, type SnpCheck } from './chain.js';
import { isHclReport, unwrapHclSnpReport } from './hcl.js';
import { checkSnpPolicy, snpPolicyChecks, type SnpPolicy } from './policy.js';
import { parseSnpReport, SNP_FAMILY_TURIN, type SnpReport } from './report.js';
import { AMD_SNP_INTERMEDIATES } from './intermediates.js';
import { AMD_SNP_ROOTS, type SnpRoot } from './roots.js';
import { importEcdsaPublicKey } from '../x509.js';

/** Options of {@link verifySnpReport}. Exactly one of `vcek` and `vlek` is required. */
export interface VerifySnpOptions {
  /** The VCEK (DER or PEM; a PEM bundle's first certificate is the leaf, the rest join `chain`). */
  readonly vcek?: string | Uint8Array;
  /** The VLEK (DER or PEM), for reports whose SIGNING_KEY is 1. */
  readonly vlek?: string | Uint8Array;
  /**
   * The ASK or ASVK (and optionally ARK) PEM bundle, as AMD KDS `cert_chain` serves it. When absent
   * (and the leaf PEM carries no more certificates), AMD's bundled ASKs and ASVKs are tried.
   */
  readonly chain?: string | Uint8Array;
  /** The time at which certificate validity is checked. Required: certificates expire. */
  readonly now: Date;
  /** What the relying party accepts beyond a genuine report; debug is refused by default. */
  readonly policy?: SnpPolicy;
  /** Trust anchors instead of the pinned AMD ARKs (e.g. a test PKI); never merged with them. */
  readonly trustedRoots?: readonly SnpRoot[];
}

/** The outcome of {@link verifySnpReport}: `valid` is true only when every check passed. */
export interface SnpVerificationResult {
  readonly valid: boolean;
  readonly checks: readonly SnpCheck[];
  /** The details of the failed checks, in order. */
  readonly reasons: readonly string[];
  readonly report: SnpReport;
  /** The product of the trusted root the chain ends at, when it does. */
  readonly product?: string;
}

const OPTION_KEYS = optionKeys<VerifySnpOptions>({ vcek: true, vlek: true, chain: true, now: true, policy: true, trustedRoots: true });

/** Signature algorithm 1: ECDSA P-384 with SHA-384 (ABI spec Table 22 SIGNATURE_ALGO; "Signature Algorithm Encodings"). */
const SIG_ALGO_ECDSA_P384_SHA384 = 1;

async function reportSignatureCheck(report: SnpReport, leaf: SnpCertificate): Promise<SnpCheck> {
  const name = 'report signature';
  if (report.signature_algo !== SIG_ALGO_ECDSA_P384_SHA384) return { name, ok: false, detail: `signature algorithm ${report.signature_algo} is not ECDSA P-384 with SHA-384 (1)` };
  if (report.signatureOversized) return { name, ok: false, detail: 'signature verification failed' };
  let ok = false;
  try {
    const key = await importEcdsaPublicKey(leaf.cert, 'P-384');
    const sig = new Uint8Array(96);
    sig.set(report.signature.r, 0);
    sig.set(report.signature.s, 48);
    ok = await globalThis.crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-384' }, key, sig, new Uint8Array(report.signed));
  } catch {
    return { name, ok: false, detail: 'the leaf certificate does not hold an ECDSA P-384 public key' };
  }
  return { name, ok, detail: ok ? `ECDSA P-384/SHA-384 over 0x000–0x29F verifies under ${leaf.commonName}` : 'signature verification failed' };
}

function signerCheck(report: SnpReport, kind: 'vcek' | 'vlek', leaf: SnpCertificate): SnpCheck {
  const key = report.signer_info.signingKey;
  const cn = kind === 'vcek' ? 'SEV-VCEK' : 'SEV-VLEK';
  const ok = key === kind && leaf.commonName === cn;
  return {
    name: 'signing key',
    ok,
    detail: ok ? `report SIGNING_KEY is ${kind.toUpperCase()}, leaf is ${cn}` : `report SIGNING_KEY is ${key.toUpperCase()}, a ${kind.toUpperCase()} was given (leaf CN ${JSON.stringify(leaf.commonName)})`,
  };
}

function tcbCheck(report: SnpReport, ext: SnpLeafExtensions): SnpCheck {
  const t = report.reported_tcb;
  const turin = report.cpuid?.family === SNP_FAMILY_TURIN;
  const parts = ['bootloader', 'tee', 'snp', 'microcode', ...(turin || ext.fmc !== undefined ? (['fmc'] as const) : [])] as const;
  const bad = parts.filter((k) => ext[k] === undefined || ext[k] !== t[k]).map((k) => `${k} cert ${ext[k] ?? 'absent'} vs report ${t[k] ?? 'absent'}`);
  return { name: 'leaf TCB equals reported_tcb', ok: bad.length === 0, detail: bad.length === 0 ? `${parts.map((k) => `${k} ${t[k]}`).join(', ')}` : bad.join('; ') };
}

function hwIdCheck(report: SnpReport, ext: SnpLeafExtensions): SnpCheck {
  const name = 'hwID equals chip_id';
  if (ext.hwID === undefined) return { name, ok: false, detail: 'the VCEK has no hwID extension' };
  // Turin VCEKs carry an 8-byte hwID, matched against the first 8 bytes of CHIP_ID (as AMD KDS
  // issues Turin VCEKs, and go-sev-guest and virtee/sev check them).
  const expected = ext.hwID.length === 8 ? report.chip_id.subarray(0, 8) : report.chip_id;
  const ok = constantTimeEqual(ext.hwID, expected);
  const masked = report.signer_info.maskChipKey ? ' (MASK_CHIP_KEY is set: the report carries no chip id)' : '';
  return { name, ok, detail: ok ? `${ext.hwID.length}-byte hwID matches` : `hwID differs from chip_id${masked}` };
}

// CPUID family/model of each product (AMD PPRs: Milan 19h/00h–0Fh, Genoa 19h/10h–1Fh and A0h–AFh,
// Turin 1Ah).
function productOfCpuid(family: number, model: number): string {
  if (family === SNP_FAMILY_TURIN) return 'Turin';
  if (family === 0x19) return (model >= 0x10 && model <= 0x1f) || (model >= 0xa0 && model <= 0xaf) ? 'Genoa' : 'Milan';
  return `family ${family.toString(16)}h`;
}

function productCheck(report: SnpReport, root: string, ext: SnpLeafExtensions, kind: 'vcek' | 'vlek'): SnpCheck {
  const problems: string[] = [];
  const name = ext.productName;
  if (name !== undefined && name.split('-')[0] !== root) problems.push(`leaf productName ${JSON.stringify(name)} is not a ${root} part`);
  if (name === undefined && kind === 'vcek') problems.push('the VCEK has no productName extension');
  if (report.cpuid !== undefined) {
    const p = productOfCpuid(report.cpuid.family, report.cpuid.model);
    if (p !== root) problems.push(`report CPUID (${p}) is not ${root}`);
  }
  return { name: 'product', ok: problems.length === 0, detail: problems.length === 0 ? `${root}${name === undefined ? '' : ` (${name})`}` : problems.join('; ') };
}

let intermediates: SnpCertificate[] | undefined;

function bundledIntermediates(): SnpCertificate[] {
  intermediates ??= AMD_SNP_INTERMEDIATES.flatMap((pem) => decodeSnpCertificates(pem, 'bundled intermediate'));
  return intermediates;
}

/**
 * Verifies an AMD SEV-SNP attestation report (or an Azure HCL report wrapping one) against its
 * VCEK or VLEK, the ASK/ASVK chain to a pinned AMD ARK (Milan, Genoa, Turin) and a policy.
 * Resolves to a result; bad evidence never throws.
 * @throws TypeError / RangeError on wrong arguments (no leaf, both leaves, no `now`, bad policy);
 *   TeeMalformedEvidenceError (`ERR_TEE_MALFORMED_EVIDENCE`) when the report bytes are not a report;
 *   TeeMalformedCertificateError (`ERR_TEE_MALFORMED_CERTIFICATE`) when a certificate cannot be decoded.
 * @example
 * const r = await verifySnpReport(reportBytes, { vcek: vcekDer, chain: askArkPem, now: new Date(), policy: { reportData } });
 * if (!r.valid) console.log(r.reasons.join('; '));
 */
export async function verifySnpReport(bytes: Uint8Array, options: VerifySnpOptions): Promise<SnpVerificationResult> {
  const opts = assertOptions('options', options, OPTION_KEYS);
  if (!(opts.now instanceof Date) || Number.isNaN(opts.now.getTime())) throw new TypeError('"options.now" expected a valid Date');
  if ((opts.vcek === undefined) === (opts.vlek === undefined)) throw new TypeError('"options" expected exactly one of vcek and vlek');
  const policy = checkSnpPolicy(opts.policy);
  const roots = opts.trustedRoots ?? AMD_SNP_ROOTS;
  if (!Array.isArray(roots) || roots.length === 0) throw new TypeError('"options.trustedRoots" expected a non-empty array');
  roots.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || typeof r.pem !== 'string' || typeof r.product !== 'string') {
      throw new TypeError(`"options.trustedRoots[${i}]" expected { product: string, pem: string }`);
    }
  });
  const report = parseSnpReport(bytes instanceof Uint8Array && isHclReport(bytes) ? unwrapHclSnpReport(bytes).report : bytes);
  const kind = opts.vcek !== undefined ? 'vcek' : 'vlek';
  const [leaf, ...extra] = decodeSnpCertificates((opts.vcek ?? opts.vlek)!, kind);
  const given = [...extra, ...(opts.chain === undefined ? [] : decodeSnpCaCertificates(opts.chain, 'chain'))];
  // A chain the caller gave is the only one tried: a wrong chain must fail, not fall back.
  const bundle = given.length > 0 ? given : bundledIntermediates();
  const anchors = decodeTrustAnchors(roots);

  const ext = readSnpLeafExtensions(leaf!);
  // the report signature and the chain are independent: both started, reported in order
  const signature = reportSignatureCheck(report, leaf!);
  const chainWalk = verifySnpChain(leaf!, bundle, anchors, opts.now);
  const checks: SnpCheck[] = [await signature, signerCheck(report, kind, leaf!)];
  const chain = await chainWalk;
  checks.push(...chain.checks);
  checks.push(tcbCheck(report, ext));
  if (kind === 'vcek') checks.push(hwIdCheck(report, ext));
  const product = chain.root?.product;
  if (product !== undefined) checks.push(productCheck(report, product, ext, kind));
  checks.push(...snpPolicyChecks(report, policy));
  const reasons = checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
  return { valid: reasons.length === 0, checks, reasons, report, ...(product === undefined ? {} : { product }) };
}
