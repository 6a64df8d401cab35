// AMD SEV-SNP certificates: decoding of VCEK/VLEK leaves and ASK/ASVK/ARK bundles (PEM as served
// by the AMD KDS `cert_chain` endpoint, or DER), and the AMD X.509 extensions of a VCEK/VLEK —
// AMD "Versioned Chip Endorsement Key (VCEK) Certificate and KDS Interface Specification" (pub.
// 57230), its table of VCEK certificate extensions, and AMD's VLEK specification. X.509 is read by
// pkijs/asn1js; nothing here parses DER by hand.

import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { TeeMalformedCertificateError } from '../errors.js';
import { commonNameOf, decodeBer, decodePemBlocks, parseDerCertificate } from '../x509.js';
import { CaCertificateCache } from '../_ca-cache.js';

/** AMD's OID arc for SEV-SNP certificate extensions (pub. 57230, VCEK certificate extensions). */
export const AMD_OID = Object.freeze({
  productName: '1.3.6.1.4.1.3704.1.2',
  blSPL: '1.3.6.1.4.1.3704.1.3.1',
  teeSPL: '1.3.6.1.4.1.3704.1.3.2',
  snpSPL: '1.3.6.1.4.1.3704.1.3.3',
  ucodeSPL: '1.3.6.1.4.1.3704.1.3.8',
  fmcSPL: '1.3.6.1.4.1.3704.1.3.9',
  hwID: '1.3.6.1.4.1.3704.1.4',
  cspID: '1.3.6.1.4.1.3704.1.5',
} as const);

/** The AMD extensions of a VCEK or VLEK, as read from the certificate. */
export interface SnpLeafExtensions {
  /** e.g. "Milan-B0", "Genoa"; undefined when absent. */
  readonly productName?: string;
  readonly bootloader?: number;
  readonly tee?: number;
  readonly snp?: number;
  readonly microcode?: number;
  /** Turin only. */
  readonly fmc?: number;
  /** 64 bytes (Milan, Genoa) or 8 bytes (Turin); VCEK only. */
  readonly hwID?: Uint8Array;
  /** The cloud service provider a VLEK was issued to. */
  readonly cspID?: string;
}

/** A decoded certificate with the DER it came from. */
export interface SnpCertificate {
  readonly der: Uint8Array;
  readonly cert: pkijs.Certificate;
  /** The subject's common name, e.g. "SEV-VCEK", "SEV-Milan", "ARK-Genoa". */
  readonly commonName: string;
}

function decodeDer(der: Uint8Array, what: string): SnpCertificate {
  const cert = parseDerCertificate(der, what, TeeMalformedCertificateError, true);
  return { der, cert, commonName: commonName(cert.subject) };
}

function commonName(name: pkijs.RelativeDistinguishedNames): string {
  return commonNameOf(name) ?? '';
}

/** The issuer's common name of `c`. */
export function issuerCommonName(c: SnpCertificate): string {
  return commonName(c.cert.issuer);
}

/**
 * Decodes one or more certificates: a PEM text (one or more CERTIFICATE blocks, other text
 * ignored), PEM bytes, or one DER certificate.
 * @throws TypeError when `input` is neither string nor Uint8Array; TeeMalformedCertificateError
 *   (`ERR_TEE_MALFORMED_CERTIFICATE`) when no certificate can be decoded from it.
 * @example
 * const [ask, ark] = decodeSnpCertificates(readFileSync('ask_ark_milan.pem', 'utf8'));
 */
export function decodeSnpCertificates(input: string | Uint8Array, what = 'certificate'): SnpCertificate[] {
  return decodeAll(input, what, decodeDer);
}

const caCache = new CaCertificateCache<SnpCertificate>();

/**
 * {@link decodeSnpCertificates} for CA bundles (ASK/ASVK, ARK): each certificate decoded once per
 * distinct DER (src/tee/_ca-cache.ts). Never for leaves. @internal
 */
export function decodeSnpCaCertificates(input: string | Uint8Array, what: string): SnpCertificate[] {
  return decodeAll(input, what, (der, w) => caCache.get(der, (d) => decodeDer(d, w)));
}

function decodeAll(input: string | Uint8Array, what: string, decode: (der: Uint8Array, what: string) => SnpCertificate): SnpCertificate[] {
  let text: string | undefined;
  if (typeof input === 'string') text = input;
  else if (input instanceof Uint8Array) {
    // DER starts with a SEQUENCE tag; anything else is read as PEM text.
    if (input.length > 0 && input[0] === 0x30) return [decode(input.slice(), what)];
    text = new TextDecoder('utf-8', { fatal: false }).decode(input);
  } else {
    throw new TypeError(`"${what}" expected string or Uint8Array, got ${input === null ? 'null' : typeof input}`);
  }
  const blocks = decodePemBlocks(text, what, {
    ErrorClass: TeeMalformedCertificateError, strict: false,
    noneMessage: `${what} holds no PEM CERTIFICATE block`, base64Message: `${what} holds a PEM block that is not base64`,
  });
  return blocks.map((der) => decode(der, what));
}

function extnInner(ext: pkijs.Extension): asn1js.AsnType | undefined {
  return decodeBer(ext.extnValue.valueBlock.valueHexView)?.result;
}

function intValue(ext: pkijs.Extension): number | undefined {
  const inner = extnInner(ext);
  return inner instanceof asn1js.Integer ? inner.valueBlock.valueDec : undefined;
}

function stringValue(ext: pkijs.Extension): string | undefined {
  const inner = extnInner(ext);
  if (inner instanceof asn1js.IA5String || inner instanceof asn1js.Utf8String || inner instanceof asn1js.PrintableString) return inner.valueBlock.value;
  return undefined;
}

/**
 * Reads the AMD extensions of a VCEK or VLEK (pub. 57230, VCEK certificate extensions): SPL values are DER INTEGERs,
 * productName an IA5String, hwID the raw chip id bytes (the OCTET STRING's content itself).
 * An extension whose value does not decode is left out, so the TCB check then reports it missing.
 */
export function readSnpLeafExtensions(c: SnpCertificate): SnpLeafExtensions {
  const out: { -readonly [K in keyof SnpLeafExtensions]: SnpLeafExtensions[K] } = {};
  for (const ext of c.cert.extensions ?? []) {
    switch (ext.extnID) {
      case AMD_OID.productName: { const v = stringValue(ext); if (v !== undefined) out.productName = v; break; }
      case AMD_OID.blSPL: { const v = intValue(ext); if (v !== undefined) out.bootloader = v; break; }
      case AMD_OID.teeSPL: { const v = intValue(ext); if (v !== undefined) out.tee = v; break; }
      case AMD_OID.snpSPL: { const v = intValue(ext); if (v !== undefined) out.snp = v; break; }
      case AMD_OID.ucodeSPL: { const v = intValue(ext); if (v !== undefined) out.microcode = v; break; }
      case AMD_OID.fmcSPL: { const v = intValue(ext); if (v !== undefined) out.fmc = v; break; }
      case AMD_OID.hwID: out.hwID = ext.extnValue.valueBlock.valueHexView.slice(); break;
      case AMD_OID.cspID: { const v = stringValue(ext); if (v !== undefined) out.cspID = v; break; }
      default: break;
    }
  }
  return out;
}
