// Certificate issuing for the TEST PKIs of quorumkit/tee/testing (RFC 5280 §4.1 TBSCertificate,
// §4.2.1.9 basicConstraints, §4.2.1.3 keyUsage), built with pkijs/asn1js and signed through
// WebCrypto: ECDSA (P-256/SHA-256, P-384/SHA-384) and RSASSA-PSS with SHA-384 (salt 48, MGF1
// SHA-384 — the parameters of AMD's ARK and ASK). Browser-safe. Internal: nothing here is trusted
// by any verifier unless a caller passes the resulting root explicitly.

import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { certificatePem } from '../x509.js';

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

/** An extra extension: its OID, criticality and DER value (the OCTET STRING's content). */
export interface ExtraExtension {
  readonly oid: string;
  readonly critical?: boolean;
  readonly value: ArrayBuffer | Uint8Array;
}

/** What {@link issueCertificate} needs. `issuer` is absent for a self-signed certificate. */
export interface IssueRequest {
  /** Subject attributes in order: [OID, value] pairs (CN 2.5.4.3, O 2.5.4.10, OU 2.5.4.11, …). */
  readonly subject: readonly (readonly [string, string])[];
  readonly publicKey: CryptoKey;
  /** The issuer's name (its subject) and signing key; omitted = self-signed with `signingKey`. */
  readonly issuer?: pkijs.RelativeDistinguishedNames;
  readonly signingKey: CryptoKey;
  /** 'SHA-256' or 'SHA-384'; the signature algorithm follows the signing key (ECDSA or RSA-PSS). */
  readonly hash: 'SHA-256' | 'SHA-384';
  readonly serial: number;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** A CA (basicConstraints cA, keyUsage keyCertSign|cRLSign) or a leaf (keyUsage digitalSignature). */
  readonly ca: boolean;
  readonly extensions?: readonly ExtraExtension[];
}

/** A certificate the test PKI issued: pkijs object, DER and PEM. */
export interface IssuedCertificate {
  readonly cert: pkijs.Certificate;
  readonly der: Uint8Array;
  readonly pem: string;
}

/** A relative distinguished name sequence from [OID, UTF8String value] pairs. */
export function distinguishedName(attrs: readonly (readonly [string, string])[]): pkijs.RelativeDistinguishedNames {
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: attrs.map(([type, value]) => new pkijs.AttributeTypeAndValue({ type, value: new asn1js.Utf8String({ value }) })),
  });
}

function keyUsage(ca: boolean): pkijs.Extension {
  // RFC 5280 §4.2.1.3 KeyUsage BIT STRING: bit 0 digitalSignature, bit 5 keyCertSign, bit 6 cRLSign.
  const bits = ca ? new Uint8Array([0x06]) : new Uint8Array([0x80]);
  const unused = ca ? 1 : 7;
  const value = new asn1js.BitString({ valueHex: bits, unusedBits: unused });
  return new pkijs.Extension({ extnID: '2.5.29.15', critical: true, extnValue: value.toBER(false) });
}

/** Issues (signs) one X.509 v3 certificate. */
export async function issueCertificate(req: IssueRequest): Promise<IssuedCertificate> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: req.serial });
  cert.subject = distinguishedName(req.subject);
  cert.issuer = req.issuer ?? distinguishedName(req.subject);
  cert.notBefore.value = req.notBefore;
  cert.notAfter.value = req.notAfter;
  const basic = new pkijs.BasicConstraints({ cA: req.ca });
  cert.extensions = [
    new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: basic.toSchema().toBER(false), parsedValue: basic }),
    keyUsage(req.ca),
    ...(req.extensions ?? []).map((e) => new pkijs.Extension({ extnID: e.oid, critical: e.critical ?? false, extnValue: e.value instanceof Uint8Array ? e.value.slice().buffer : e.value })),
  ];
  await cert.subjectPublicKeyInfo.importKey(req.publicKey);
  await cert.sign(req.signingKey, req.hash);
  const der = new Uint8Array(cert.toSchema().toBER(false));
  return { cert, der, pem: certificatePem(der) };
}

/** A fresh ECDSA key pair on P-256 or P-384 (private key not extractable). */
export function generateEcdsaKey(curve: 'P-256' | 'P-384'): Promise<CryptoKeyPair> {
  return subtle().generateKey({ name: 'ECDSA', namedCurve: curve }, false, ['sign', 'verify']);
}

/** A fresh RSASSA-PSS/SHA-384 key pair (`bits`: 2048, 3072 or 4096; AMD's ARK and ASK are 4096). */
export function generateRsaPssKey(bits: number): Promise<CryptoKeyPair> {
  return subtle().generateKey({ name: 'RSA-PSS', modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-384' }, false, ['sign', 'verify']);
}

/** The DER of an ASN.1 value, as an extension's content. */
export function derOf(v: asn1js.AsnType): Uint8Array {
  return new Uint8Array(v.toBER(false));
}

/** ECDSA r‖s (IEEE P1363, as WebCrypto returns it) over `data`. */
export async function ecdsaSign(key: CryptoKey, hash: 'SHA-256' | 'SHA-384', data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().sign({ name: 'ECDSA', hash }, key, new Uint8Array(data)));
}
