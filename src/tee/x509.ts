// The X.509 plumbing both TEE verifiers share (SEV-SNP's VCEK/VLEK/ASK/ARK, TDX's PCK chain, TCB
// signing chain and roots): PEM CERTIFICATE blocks (RFC 7468 §5, §2 for the surrounding text) to
// DER, DER to a pkijs certificate, and the subject's common name. Each area passes its own typed
// error class and how strict it is about text around the blocks (TDX evidence carries bare PEM;
// AMD KDS bundles and cloud dumps carry other text, which SEV-SNP ignores). X.509 is read by
// pkijs/asn1js; nothing here parses DER by hand. Browser-safe.

import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { base64Decode, base64Encode } from '../core/bytes.js';

/** A typed error class of a TEE area (constructed with a message and an optional cause). */
export type TeeErrorClass = new (message: string, options?: { cause?: unknown }) => Error;

/** How {@link decodePemBlocks} treats the text around and inside the blocks. */
export interface PemOptions {
  /** The typed error to throw. */
  readonly ErrorClass: TeeErrorClass;
  /**
   * Strict (TDX): only whitespace and NUL padding may surround the blocks, and only CR/LF may
   * break the base64 lines. Lax (SEV-SNP): other text is ignored, any whitespace inside a block.
   */
  readonly strict: boolean;
  /** The message when there is no block (default `${what}: no PEM certificate`). */
  readonly noneMessage?: string;
  /** The message when a block is not base64 (default `${what}: invalid base64 in a PEM block`). */
  readonly base64Message?: string;
}

const STRICT_BLOCK = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\r\n]+)-----END CERTIFICATE-----/g;
const LAX_BLOCK = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*?)-----END CERTIFICATE-----/g;
const PADDING = /^[\s\0]*$/;

/**
 * The DER of each PEM CERTIFICATE block of `text`, in order; `what` names the input in errors.
 * @throws `o.ErrorClass` when there is no block, a block is not base64, or (strict) other text
 *   surrounds the blocks; TypeError when `text` is not a string.
 */
export function decodePemBlocks(text: string, what: string, o: PemOptions): Uint8Array[] {
  if (typeof text !== 'string') throw new TypeError(`"${what}" expected string, got ${typeof text}`);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const m of text.matchAll(o.strict ? STRICT_BLOCK : LAX_BLOCK)) {
    if (o.strict && !PADDING.test(text.slice(last, m.index))) throw new o.ErrorClass(`${what}: unexpected bytes between PEM blocks`);
    try {
      out.push(base64Decode(m[1]!.replace(/\s+/g, '')));
    } catch (err) {
      throw new o.ErrorClass(o.base64Message ?? `${what}: invalid base64 in a PEM block`, { cause: err });
    }
    last = m.index + m[0].length;
  }
  if (o.strict && !PADDING.test(text.slice(last))) throw new o.ErrorClass(`${what}: unexpected bytes after the last PEM block`);
  if (out.length === 0) throw new o.ErrorClass(o.noneMessage ?? `${what}: no PEM certificate`);
  return out;
}

/** PEM text (RFC 7468 §2, base64 in 64-column lines) of one DER certificate. */
export function certificatePem(der: Uint8Array): string {
  const b64 = base64Encode(der);
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

/**
 * Parses one DER certificate with pkijs. `exact` refuses bytes after the outer SEQUENCE (one input,
 * one certificate).
 * @throws `ErrorClass` with `${what} is not a (single) DER X.509 certificate`.
 */
export function parseDerCertificate(der: Uint8Array, what: string, ErrorClass: TeeErrorClass, exact = false): pkijs.Certificate {
  // No speculative decoding of OCTET/BIT STRING contents (asn1js parseEmbedded): pkijs decodes the
  // extensions it knows, readers decode the ones they read; that pass was most of a leaf's parse time.
  const asn1 = decodeBer(der, { parseEmbedded: false });
  if (asn1 === undefined || (exact && asn1.offset !== der.length)) throw new ErrorClass(`${what} is not a ${exact ? 'single ' : ''}DER X.509 certificate`);
  try {
    return new pkijs.Certificate({ schema: asn1.result });
  } catch (err) {
    throw new ErrorClass(`${what} is not a DER X.509 certificate`, { cause: err });
  }
}

/**
 * asn1js.fromBER that never throws: undefined when the bytes do not decode. (fromBER reports most
 * errors in its result, but some value decoders throw plain Errors — a GeneralizedTime whose text
 * is not a time, found by fuzzing a mutated VCEK.)
 */
export function decodeBer(bytes: Uint8Array, options?: { readonly parseEmbedded?: boolean }): { readonly result: asn1js.AsnType; readonly offset: number } | undefined {
  try {
    const r = asn1js.fromBER(new Uint8Array(bytes), options?.parseEmbedded === false ? { parseEmbedded: false } : undefined);
    return r.offset === -1 ? undefined : r;
  } catch {
    return undefined;
  }
}

const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const NAMED_CURVE_OIDS = { 'P-256': '1.2.840.10045.3.1.7', 'P-384': '1.3.132.0.34' } as const;

/**
 * The WebCrypto ECDSA verification key of a certificate (RFC 5480 §2.1.1, §2.2: id-ecPublicKey
 * with the `curve` namedCurve; the subjectPublicKey BIT STRING holds the point), imported from the
 * point as received rather than from a re-encoded SubjectPublicKeyInfo.
 * @throws TypeError when the key is not an ECDSA key on `curve`; WebCrypto's error when the point
 *   is not on the curve.
 */
export async function importEcdsaPublicKey(cert: pkijs.Certificate, curve: keyof typeof NAMED_CURVE_OIDS): Promise<CryptoKey> {
  const info = cert.subjectPublicKeyInfo;
  const params = info.algorithm.algorithmParams;
  const bits = info.subjectPublicKey.valueBlock;
  if (info.algorithm.algorithmId !== EC_PUBLIC_KEY || !(params instanceof asn1js.ObjectIdentifier) || params.valueBlock.toString() !== NAMED_CURVE_OIDS[curve] || bits.unusedBits !== 0) {
    throw new TypeError(`not an ECDSA ${curve} key`);
  }
  return globalThis.crypto.subtle.importKey('raw', new Uint8Array(bits.valueHexView), { name: 'ECDSA', namedCurve: curve }, false, ['verify']);
}

/** The first common name (2.5.4.3) of an X.501 name, or undefined. */
export function commonNameOf(name: pkijs.RelativeDistinguishedNames): string | undefined {
  const cn = name.typesAndValues.find((t) => t.type === '2.5.4.3');
  return cn === undefined ? undefined : String(cn.value.valueBlock.value);
}
