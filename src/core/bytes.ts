// Byte helpers: hex (RFC 4648 §8, base16), base64 and base64url (RFC 4648 §4, §5), strict UTF-8
// (RFC 3629), concatenation and constant-time equality. Every decoder is strict: it accepts exactly
// one spelling per byte string (canonical padding, zero trailing bits) so that a decoded value can
// be re-encoded to the same text, which signed formats depend on.

import { EncodingError, QuorumkitError } from './errors.js';
import { getConstantTimeEqualBackend } from './_ct-backend.js';
import { assertBytes, assertString } from './assert.js';

// ---------------------------------------------------------------- hex

const HEX_CHARS = '0123456789abcdef';
const HEX_TABLE: string[] = Array.from({ length: 256 }, (_, i) => HEX_CHARS[i >> 4]! + HEX_CHARS[i & 15]!);

function hexNibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  return -1;
}

/**
 * Encodes bytes as lowercase hex.
 * @throws TypeError when `bytes` is not a Uint8Array.
 */
export function toHex(bytes: Uint8Array): string {
  assertBytes('bytes', bytes);
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX_TABLE[bytes[i]!];
  return out;
}

/**
 * Decodes hex (either case) to bytes.
 * @throws QuorumkitError `ERR_ENCODING` on odd length or a non-hex character; TypeError when `hex` is not a string.
 */
export function fromHex(hex: string): Uint8Array {
  assertString('hex', hex);
  if (hex.length % 2 !== 0) throw new EncodingError(`hex string expected even length, got ${hex.length}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexNibble(hex.charCodeAt(2 * i));
    const lo = hexNibble(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) {
      const at = hi < 0 ? 2 * i : 2 * i + 1;
      throw new EncodingError(`hex string has a non-hex character at index ${at}`);
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}

// ---------------------------------------------------------------- base64 / base64url

const B64_STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function decodeTable(alphabet: string): Int16Array {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
}
const B64_STD_TABLE = decodeTable(B64_STD);
const B64_URL_TABLE = decodeTable(B64_URL);

// Node's Buffer codes base64 natively, ~25× faster than the loops below on signature-sized input
// (a 3,309-byte ML-DSA-65 signature: ~3 µs against ~80 µs). It is a global there, so reaching it
// needs no import and this module stays browser-safe; elsewhere the loops do all the work.
interface NativeBuffer {
  from(text: string, encoding: 'base64' | 'base64url'): Uint8Array & { toString(encoding: 'base64' | 'base64url'): string };
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): { toString(encoding: 'base64' | 'base64url'): string };
}
const NATIVE = (globalThis as { Buffer?: NativeBuffer }).Buffer;
/** Below this many bytes (or 4/3 as many characters) the loops are as fast as a native call. */
const NATIVE_MIN_BYTES = 48;

/**
 * Strict native decode: the bytes of `text`, or undefined when the native codec is absent, `text`
 * is short, or `text` is not the one canonical spelling (the caller's loop then names the fault).
 */
function decodeNative(text: string, encoding: 'base64' | 'base64url'): Uint8Array | undefined {
  if (NATIVE === undefined || text.length < (NATIVE_MIN_BYTES * 4) / 3) return undefined;
  const buf = NATIVE.from(text, encoding);
  // Buffer's decoder is lenient (it skips foreign characters and tolerates missing or extra
  // padding and non-zero trailing bits); its encoder writes the canonical spelling. Equality
  // therefore proves `text` was strict, canonical base64 of exactly these bytes.
  if (buf.toString(encoding) !== text) return undefined;
  // A fresh array: small Buffers share a pooled ArrayBuffer with unrelated data.
  const out = new Uint8Array(buf.length);
  out.set(buf);
  return out;
}

function encodeBase64With(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  let out = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += alphabet[v >> 18]! + alphabet[(v >> 12) & 63]! + alphabet[(v >> 6) & 63]! + alphabet[v & 63]!;
  }
  const rest = n - i;
  if (rest === 1) {
    const v = bytes[i]! << 16;
    out += alphabet[v >> 18]! + alphabet[(v >> 12) & 63]! + (pad ? '==' : '');
  } else if (rest === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += alphabet[v >> 18]! + alphabet[(v >> 12) & 63]! + alphabet[(v >> 6) & 63]! + (pad ? '=' : '');
  }
  return out;
}

function decodeBase64With(text: string, table: Int16Array, label: string, padded: boolean): Uint8Array {
  let len = text.length;
  if (padded) {
    if (len % 4 !== 0) throw new EncodingError(`${label} expected a length that is a multiple of 4, got ${len}`);
    if (len > 0 && text.charCodeAt(len - 1) === 61) len--;
    if (len > 0 && text.charCodeAt(len - 1) === 61) len--;
  } else if (len % 4 === 1) {
    throw new EncodingError(`${label} has an impossible length ${len}`);
  }
  const rem = len % 4;
  if (padded && rem === 1) throw new EncodingError(`${label} has bad padding`);
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  // Fast path: whole quads to three bytes at a time. Any invalid character falls through to the
  // character-by-character loop below, which names the offending index.
  const quads = len - rem;
  let q = 0;
  let w = 0;
  for (; q < quads; q += 4) {
    const c0 = text.charCodeAt(q);
    const c1 = text.charCodeAt(q + 1);
    const c2 = text.charCodeAt(q + 2);
    const c3 = text.charCodeAt(q + 3);
    if ((c0 | c1 | c2 | c3) >= 128) break;
    const v0 = table[c0]!;
    const v1 = table[c1]!;
    const v2 = table[c2]!;
    const v3 = table[c3]!;
    if ((v0 | v1 | v2 | v3) < 0) break;
    const v = (v0 << 18) | (v1 << 12) | (v2 << 6) | v3;
    out[w] = v >> 16;
    out[w + 1] = (v >> 8) & 0xff;
    out[w + 2] = v & 0xff;
    w += 3;
  }
  let o = w;
  let acc = 0;
  let bits = 0;
  for (let i = q; i < len; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? table[c]! : -1;
    if (v < 0) {
      const what = c === 61 ? 'misplaced padding' : 'an invalid character';
      throw new EncodingError(`${label} has ${what} at index ${i}`);
    }
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  // Non-zero leftover bits would give a second spelling of the same bytes.
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) {
    throw new EncodingError(`${label} has non-zero trailing bits (non-canonical encoding)`);
  }
  return out;
}

/**
 * Encodes bytes as padded standard base64 (RFC 4648 §4).
 * @throws TypeError when `bytes` is not a Uint8Array.
 */
export function base64Encode(bytes: Uint8Array): string {
  assertBytes('bytes', bytes);
  return NATIVE !== undefined && bytes.length >= NATIVE_MIN_BYTES ? NATIVE.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') : encodeBase64With(bytes, B64_STD, true);
}

/**
 * Decodes padded standard base64 (RFC 4648 §4). Strict: padding is required, no whitespace,
 * no URL-safe characters, and trailing bits must be zero.
 * @throws QuorumkitError `ERR_ENCODING` on any deviation; TypeError when `text` is not a string.
 */
export function base64Decode(text: string): Uint8Array {
  assertString('text', text);
  return decodeNative(text, 'base64') ?? decodeBase64With(text, B64_STD_TABLE, 'base64', true);
}

/**
 * Encodes bytes as unpadded base64url (RFC 4648 §5, as used by JOSE).
 * @throws TypeError when `bytes` is not a Uint8Array.
 */
export function base64urlEncode(bytes: Uint8Array): string {
  assertBytes('bytes', bytes);
  return NATIVE !== undefined && bytes.length >= NATIVE_MIN_BYTES ? NATIVE.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url') : encodeBase64With(bytes, B64_URL, false);
}

/**
 * Decodes unpadded base64url (RFC 4648 §5). Strict: `=` padding, whitespace and the standard
 * `+` `/` characters are rejected, and trailing bits must be zero.
 * @throws QuorumkitError `ERR_ENCODING` on any deviation; TypeError when `text` is not a string.
 */
export function base64urlDecode(text: string): Uint8Array {
  assertString('text', text);
  return decodeNative(text, 'base64url') ?? decodeBase64With(text, B64_URL_TABLE, 'base64url', false);
}

// ---------------------------------------------------------------- UTF-8

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
// With the `u` flag a paired surrogate is one code point, so this matches only lone surrogates.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * True when `s` contains no lone (unpaired) UTF-16 surrogate, i.e. it has an exact UTF-8 encoding.
 * @throws TypeError when `s` is not a string (a regex test would convert it, or crash on it).
 */
export function isWellFormedString(s: string): boolean {
  assertString('s', s);
  return !LONE_SURROGATE.test(s);
}

/**
 * Encodes a string as UTF-8. Unlike `TextEncoder`, refuses lone surrogates instead of silently
 * writing U+FFFD.
 * @throws QuorumkitError `ERR_ENCODING` on a lone surrogate; TypeError when `text` is not a string.
 */
export function utf8Encode(text: string): Uint8Array {
  assertString('text', text);
  if (!isWellFormedString(text)) throw new EncodingError('string contains a lone UTF-16 surrogate');
  return encoder.encode(text);
}

/**
 * Decodes UTF-8 strictly (invalid sequences, overlongs and encoded surrogates are errors). A leading
 * BOM is kept as U+FEFF, never stripped.
 * @throws QuorumkitError `ERR_ENCODING` on malformed UTF-8; TypeError when `bytes` is not a Uint8Array.
 */
export function utf8Decode(bytes: Uint8Array): string {
  assertBytes('bytes', bytes);
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new EncodingError('bytes are not valid UTF-8', { cause });
  }
}

// ---------------------------------------------------------------- concat, constant-time equality

/**
 * Concatenates byte arrays into a new Uint8Array.
 * @throws TypeError when an argument is not a Uint8Array.
 */
export function concatBytes(...arrays: Uint8Array[]): Uint8Array {
  let total = 0;
  for (let i = 0; i < arrays.length; i++) {
    assertBytes(`arrays[${i}]`, arrays[i]);
    total += arrays[i]!.length;
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const a of arrays) {
    out.set(a, off);
    off += a.length;
  }
  return out;
}

/**
 * Pure-TS constant-time equality: OR-accumulates the XOR of every byte pair, so the time taken
 * depends only on the length, never on where (or whether) the arrays differ. A length mismatch
 * returns false at once (lengths are public).
 * @throws TypeError when an argument is not a Uint8Array.
 */
export function constantTimeEqualTs(a: Uint8Array, b: Uint8Array): boolean {
  assertBytes('a', a);
  assertBytes('b', b);
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * Compares digests, MACs and other secrets-adjacent bytes without an early exit on content.
 * Dispatches to the kernel registered with `setConstantTimeEqualBackend` (the WASM layer registers
 * one), else to {@link constantTimeEqualTs}. A length mismatch returns false.
 * @throws TypeError when an argument is not a Uint8Array.
 * @example
 * if (!constantTimeEqual(sha3_256(body), expectedDigest)) throw new Error('digest mismatch');
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  assertBytes('a', a);
  assertBytes('b', b);
  if (a.length !== b.length) return false;
  const backend = getConstantTimeEqualBackend();
  return backend === null ? constantTimeEqualTs(a, b) : backend(a, b);
}
