// DER codecs for ML-DSA keys in PKCS#8 (RFC 5958) and SubjectPublicKeyInfo (RFC 5280 §4.1.2.7),
// per draft-ietf-lamps-dilithium-certificates: OIDs id-ml-dsa-44/65/87 = 2.16.840.1.101.3.4.3.17/18/19,
// no parameters; the public key is the raw pkEncode bytes in the BIT STRING; the private key is
//   ML-DSA-PrivateKey ::= CHOICE { seed [0] IMPLICIT OCTET STRING (SIZE (32)),
//                                  expandedKey OCTET STRING (SIZE (2560 | 4032 | 4896)),
//                                  both SEQUENCE { seed OCTET STRING, expandedKey OCTET STRING } }
// Only the fixed shapes node:crypto (OpenSSL 3.5) reads and writes are produced or accepted.

import type { MlDsaLevel } from '../provider.js';
import { PUBLIC_KEY_BYTES, SECRET_KEY_BYTES, SEED_BYTES } from '../params.js';

const OID_PREFIX = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03];
const OID_ARC: Readonly<Record<MlDsaLevel, number>> = { 44: 0x11, 65: 0x12, 87: 0x13 };

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  return [0x82, n >> 8, n & 0xff];
}

function tlv(tag: number, ...content: (number[] | Uint8Array)[]): number[] {
  const body: number[] = [];
  for (const c of content) for (const b of c) body.push(b);
  return [tag, ...derLength(body.length), ...body];
}

function algorithmIdentifier(level: MlDsaLevel): number[] {
  return tlv(0x30, [...OID_PREFIX, OID_ARC[level]]);
}

function privateKeyInfo(level: MlDsaLevel, choice: number[], tail: Uint8Array): Uint8Array {
  // Built as header + tail so the secret bytes are copied exactly once into the result.
  const innerLen = choice.length + tail.length;
  const octet = [0x04, ...derLength(innerLen)];
  const head = [0x02, 0x01, 0x00, ...algorithmIdentifier(level), ...octet, ...choice];
  const total = head.length + tail.length;
  const out = new Uint8Array(1 + derLength(total).length + total);
  const prefix = [0x30, ...derLength(total), ...head];
  out.set(prefix, 0);
  out.set(tail, prefix.length);
  return out;
}

/** PKCS#8 with the seed-only private key choice: `80 20 <ξ>`. */
export function pkcs8FromSeed(level: MlDsaLevel, seed: Uint8Array): Uint8Array {
  return privateKeyInfo(level, [0x80, SEED_BYTES], seed);
}

/** PKCS#8 with the expandedKey-only private key choice: `04 82 LLLL <skEncode>`. */
export function pkcs8FromExpanded(level: MlDsaLevel, secretKey: Uint8Array): Uint8Array {
  return privateKeyInfo(level, [0x04, ...derLength(secretKey.length)], secretKey);
}

/** SubjectPublicKeyInfo DER of a raw ML-DSA public key. */
export function spkiFromPublicKey(level: MlDsaLevel, publicKey: Uint8Array): Uint8Array {
  return Uint8Array.from(tlv(0x30, algorithmIdentifier(level), tlv(0x03, [0x00], publicKey)));
}

/** Reads one DER TLV at `off`; returns the content bounds or null when malformed. */
function readTlv(der: Uint8Array, off: number): { tag: number; start: number; end: number } | null {
  if (off + 2 > der.length) return null;
  const tag = der[off]!;
  let len = der[off + 1]!;
  let start = off + 2;
  if (len >= 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 3 || start + n > der.length) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i]!;
    start += n;
  }
  const end = start + len;
  return end <= der.length ? { tag, start, end } : null;
}

// A fresh plain Uint8Array: node Buffers' slice() is a view, and callers wipe the DER afterwards.
function copyOut(der: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  out.set(der.subarray(start, end));
  return out;
}

function sameBytes(der: Uint8Array, start: number, end: number, expected: number[]): boolean {
  if (end - start !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (der[start + i] !== expected[i]) return false;
  return true;
}

/**
 * Extracts the expanded secret key from PKCS#8 DER (expandedKey or both choice). Returns
 * `'seed-only'` when the encoding carries only ξ, null when the DER is not an ML-DSA key of `level`.
 */
export function expandedFromPkcs8(level: MlDsaLevel, der: Uint8Array): Uint8Array | 'seed-only' | null {
  const outer = readTlv(der, 0);
  if (outer === null || outer.tag !== 0x30 || outer.end !== der.length) return null;
  const version = readTlv(der, outer.start);
  if (version === null || version.tag !== 0x02) return null;
  const alg = readTlv(der, version.end);
  if (alg === null || !sameBytes(der, alg.start, alg.end, [...OID_PREFIX, OID_ARC[level]])) return null;
  const priv = readTlv(der, alg.end);
  if (priv === null || priv.tag !== 0x04) return null;
  const choice = readTlv(der, priv.start);
  if (choice === null || choice.end !== priv.end) return null;
  const skLen = SECRET_KEY_BYTES[level];
  if (choice.tag === 0x80) return 'seed-only';
  if (choice.tag === 0x04) return choice.end - choice.start === skLen ? copyOut(der, choice.start, choice.end) : null;
  if (choice.tag !== 0x30) return null;
  const seed = readTlv(der, choice.start);
  if (seed === null || seed.tag !== 0x04 || seed.end - seed.start !== SEED_BYTES) return null;
  const expanded = readTlv(der, seed.end);
  if (expanded === null || expanded.tag !== 0x04 || expanded.end !== choice.end || expanded.end - expanded.start !== skLen) return null;
  return copyOut(der, expanded.start, expanded.end);
}

/** Extracts the raw public key from SPKI DER of `level`, or null when it is anything else. */
export function publicKeyFromSpki(level: MlDsaLevel, der: Uint8Array): Uint8Array | null {
  const pkLen = PUBLIC_KEY_BYTES[level];
  const expectedHead = spkiFromPublicKey(level, new Uint8Array(pkLen)).subarray(0, -pkLen);
  if (der.length !== expectedHead.length + pkLen) return null;
  for (let i = 0; i < expectedHead.length; i++) if (der[i] !== expectedHead[i]) return null;
  return copyOut(der, expectedHead.length, der.length);
}
