// TeeEvidence (bound.ts) on the wire: JSON with byte fields in strict padded base64 (RFC 4648 §4)
// and certificates as PEM text (RFC 7468):
//   { "kind": "sev-snp", "report": b64, "vcek"?: PEM, "vlek"?: PEM, "chain"?: PEM }
//     report: an ATTESTATION_REPORT (AMD SEV-SNP ABI spec Table 22) or an Azure HCL report wrapping one;
//     exactly one of vcek / vlek; chain: the ASK/ASVK (and ARK) bundle of AMD KDS `cert_chain`.
//   { "kind": "tdx", "quote": b64, "collateral"?: { "pck_crl"?: b64 DER, "root_crl"?: b64 DER,
//     "tcb_info"?: text, "qe_identity"?: text, "tcb_signing_chain"?: PEM } }
//     quote: a TDX quote v4/v5 (DCAP Appendix A); collateral as Intel PCS v4 serves it.
// parseEvidence checks every field, refuses unknown ones and caps every size; the verifiers check
// the contents. Read the text with parseStrict. Browser-safe.

import { base64Encode, utf8Decode } from '../core/bytes.js';
import { decodePemCertificates } from '../tee/tdx/pem.js';
import { TdxCollateralMalformedError } from '../tee/tdx/errors.js';
import type { TdxCollateral } from '../tee/tdx/verify.js';
import { wireBase64, wireObject, wireString, type WireFail } from '../tee/_wire.js';
import type { TeeEvidence } from './bound.js';
import { InvalidEvidenceError } from './errors.js';

/** Largest SEV-SNP report / HCL report / TDX quote accepted (bytes; genuine ones are 1184–8000). */
export const MAX_EVIDENCE_BYTES = 64 * 1024;
/** Largest PEM field (characters). */
export const MAX_PEM_CHARS = 64 * 1024;
/** Largest collateral document (characters) or CRL (bytes). */
export const MAX_COLLATERAL_BYTES = 256 * 1024;

/** The JSON form of SEV-SNP evidence. */
export interface SnpEvidenceJson {
  readonly kind: 'sev-snp';
  readonly report: string;
  readonly vcek?: string;
  readonly vlek?: string;
  readonly chain?: string;
}

/** The JSON form of TDX evidence. */
export interface TdxEvidenceJson {
  readonly kind: 'tdx';
  readonly quote: string;
  readonly collateral?: { readonly pck_crl?: string; readonly root_crl?: string; readonly tcb_info?: string; readonly qe_identity?: string; readonly tcb_signing_chain?: string };
}

/** The JSON form of {@link TeeEvidence}. */
export type EvidenceJson = SnpEvidenceJson | TdxEvidenceJson;

const fail: WireFail = (m) => new InvalidEvidenceError(`evidence: ${m}`);

/** PEM text of a certificate given as PEM text, PEM bytes or DER. */
function pemText(cert: string | Uint8Array): string {
  if (typeof cert === 'string') return cert;
  if (cert.length > 0 && (cert[0] === 0x2d || cert[0] === 0x0a || cert[0] === 0x0d || cert[0] === 0x20)) return utf8Decode(cert); // "-----BEGIN" or leading whitespace
  return `-----BEGIN CERTIFICATE-----\n${base64Encode(cert).replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

/**
 * The JSON form of `e` (see the header): bytes as base64, certificates as PEM text.
 * @throws TypeError for an unknown kind.
 */
export function evidenceToJson(e: TeeEvidence): EvidenceJson {
  if (e.kind === 'sev-snp') {
    return {
      kind: 'sev-snp', report: base64Encode(e.report),
      ...(e.vcek === undefined ? {} : { vcek: pemText(e.vcek) }), ...(e.vlek === undefined ? {} : { vlek: pemText(e.vlek) }), ...(e.chain === undefined ? {} : { chain: pemText(e.chain) }),
    };
  }
  if (e.kind === 'tdx') {
    const c = e.collateral;
    if (c === undefined) return { kind: 'tdx', quote: base64Encode(e.quote) };
    return {
      kind: 'tdx', quote: base64Encode(e.quote),
      collateral: {
        ...(c.pckCrl === undefined ? {} : { pck_crl: base64Encode(c.pckCrl) }), ...(c.rootCrl === undefined ? {} : { root_crl: base64Encode(c.rootCrl) }),
        ...(c.tcbInfo === undefined ? {} : { tcb_info: c.tcbInfo }), ...(c.qeIdentity === undefined ? {} : { qe_identity: c.qeIdentity }),
        ...(c.tcbSigningChain === undefined ? {} : { tcb_signing_chain: c.tcbSigningChain }),
      },
    };
  }
  throw new TypeError(`"evidence.kind" expected "sev-snp" or "tdx", got ${JSON.stringify((e as { kind?: unknown }).kind)}`);
}

function pemField(v: unknown, what: string): string {
  const text = wireString(v, what, MAX_PEM_CHARS, fail);
  try {
    decodePemCertificates(text, what);
  } catch (e) {
    if (e instanceof TdxCollateralMalformedError) throw fail(`"${what}" expected PEM certificates (${e.message})`);
    throw e;
  }
  return text;
}

function parseCollateral(v: unknown): TdxCollateral {
  const o = wireObject(v, 'collateral', ['pck_crl', 'root_crl', 'tcb_info', 'qe_identity', 'tcb_signing_chain'], fail);
  return {
    ...(o['pck_crl'] === undefined ? {} : { pckCrl: wireBase64(o['pck_crl'], 'collateral.pck_crl', MAX_COLLATERAL_BYTES, fail) }),
    ...(o['root_crl'] === undefined ? {} : { rootCrl: wireBase64(o['root_crl'], 'collateral.root_crl', MAX_COLLATERAL_BYTES, fail) }),
    ...(o['tcb_info'] === undefined ? {} : { tcbInfo: wireString(o['tcb_info'], 'collateral.tcb_info', MAX_COLLATERAL_BYTES, fail) }),
    ...(o['qe_identity'] === undefined ? {} : { qeIdentity: wireString(o['qe_identity'], 'collateral.qe_identity', MAX_COLLATERAL_BYTES, fail) }),
    ...(o['tcb_signing_chain'] === undefined ? {} : { tcbSigningChain: pemField(o['tcb_signing_chain'], 'collateral.tcb_signing_chain') }),
  };
}

/**
 * Evidence from its JSON value (see the header): every field checked, unknown fields refused.
 * @throws InvalidEvidenceError (`ERR_INVALID_EVIDENCE`) naming the first bad field.
 * @example
 * const evidence = parseEvidence(parseStrict(text));
 * const v = await verifyBoundReport(report, evidence, { now: new Date() });
 */
export function parseEvidence(value: unknown): TeeEvidence {
  const kind = wireObject(value, 'evidence', ['kind', 'report', 'vcek', 'vlek', 'chain', 'quote', 'collateral'], fail)['kind'];
  if (kind === 'sev-snp') {
    const o = wireObject(value, 'evidence', ['kind', 'report', 'vcek', 'vlek', 'chain'], fail);
    if ((o['vcek'] === undefined) === (o['vlek'] === undefined)) throw fail('SEV-SNP evidence expected exactly one of "vcek" and "vlek"');
    return {
      kind, report: wireBase64(o['report'], 'report', MAX_EVIDENCE_BYTES, fail),
      ...(o['vcek'] === undefined ? {} : { vcek: pemField(o['vcek'], 'vcek') }), ...(o['vlek'] === undefined ? {} : { vlek: pemField(o['vlek'], 'vlek') }),
      ...(o['chain'] === undefined ? {} : { chain: pemField(o['chain'], 'chain') }),
    };
  }
  if (kind === 'tdx') {
    const o = wireObject(value, 'evidence', ['kind', 'quote', 'collateral'], fail);
    return { kind, quote: wireBase64(o['quote'], 'quote', MAX_EVIDENCE_BYTES, fail), ...(o['collateral'] === undefined ? {} : { collateral: parseCollateral(o['collateral']) }) };
  }
  throw fail('"kind" expected "sev-snp" or "tdx"');
}
