// quorumkit key files: an ML-DSA (FIPS 204) key pair at rest, sealed with scrypt (RFC 7914) and
// AES-256-GCM (NIST SP 800-38D) through WebCrypto. Format, version 1 (all byte strings padded base64):
//
//   { "type": "quorumkit-key", "version": 1, "name": <1..128 chars>, "alg": "ML-DSA-65",
//     "did": "did:pqaid:<hex sha3-256(publicKey)>", "publicKey": <pkEncode>,
//     "encryption": { "kdf": { "name": "scrypt", "N": 131072, "r": 8, "p": 1, "salt": <16 bytes> },
//                     "cipher": { "name": "AES-256-GCM", "iv": <12 bytes> },
//                     "ciphertext": <AES-256-GCM(skEncode) ‖ 16-byte tag> } }
//
// or, only when asked for explicitly, `"encryption": null, "secretKey": <skEncode>` (plaintext).
// The GCM additional data is the RFC 8785 canonical JSON of {type, version, name, alg, did,
// publicKey}, so no header field can be swapped without the decryption failing. scrypt N = 2^17
// takes ~0.4 s here (measured: 2^15 126 ms, 2^16 205 ms, 2^17 415 ms).
//
// The KDF runs before anything in the file is authenticated, so its parameters are capped to what
// encryptKeyFile writes (N ≤ 2^18, r = 8, p = 1: at most twice the default cost) when the file is
// parsed; a file asking for more (say N = 2^21, p = 16: ~55 s) is refused before any work.
//
// Wiping: the password bytes, the derived key and rejected plaintexts are overwritten with zeros.
// JS cannot guarantee more: strings (the password itself) are immutable and may be copied by the
// engine, the GC may have moved buffers, and WebCrypto keeps its own copy of the AES key until
// the CryptoKey is collected.

import { scryptAsync } from '@noble/hashes/scrypt.js';
import { assertInt, assertObject, assertOptions, assertString, describeType, isPlainObject } from '../core/assert.js';
import { QuorumkitError, UnsupportedError } from '../core/errors.js';
import { parseStrict } from '../core/parse-strict.js';
import { base64Decode, base64Encode, utf8Encode } from '../core/bytes.js';
import { canonicalBytes } from '../core/canonical-json.js';
import type { MlDsaAlg, MlDsaLevel } from './provider.js';
import { algFromLevel, checkPublicKey, checkSecretKey, levelFromAlg, PUBLIC_KEY_BYTES, SECRET_KEY_BYTES } from './params.js';
import { didFromPublicKey } from './did.js';
import { checkKeyPairMatches } from './_key-check.js';
import { KeyFileError, KeyPasswordError } from './errors.js';

/** `type` of every key file. */
export const KEY_FILE_TYPE = 'quorumkit-key';
/** The only key file version this code reads and writes. */
export const KEY_FILE_VERSION = 1;
/** Default scrypt cost log2(N) = 17. */
export const DEFAULT_SCRYPT_LOG_N = 17;
/** Largest key name, in UTF-16 code units. */
export const MAX_KEY_NAME_LENGTH = 128;
/** Largest scrypt cost log2(N) written or read (2^18: twice the default work). */
export const MAX_SCRYPT_LOG_N = 18;
/** Largest scrypt block size r read (what encryptKeyFile writes). */
export const MAX_SCRYPT_R = 8;
/** Largest scrypt parallelism p read (what encryptKeyFile writes). */
export const MAX_SCRYPT_P = 1;

const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MAX_JSON_CHARS = 1 << 20;
const MIN_SCRYPT_LOG_N = 15;
const MAX_SCRYPT_MEMORY = 128 * 2 ** MAX_SCRYPT_LOG_N * MAX_SCRYPT_R; // 128·N·r bytes: 256 MiB at the caps
const DECRYPT_FAILED = 'key file decryption failed: wrong password or corrupted file';

/** scrypt parameters as stored. */
export interface KeyFileKdf { readonly name: 'scrypt'; readonly N: number; readonly r: number; readonly p: number; readonly salt: string }
/** Cipher parameters as stored. */
export interface KeyFileCipher { readonly name: 'AES-256-GCM'; readonly iv: string }
/** The `encryption` member of an encrypted key file. */
export interface KeyFileEncryption { readonly kdf: KeyFileKdf; readonly cipher: KeyFileCipher; readonly ciphertext: string }

/** A key file as JSON (see the module header for the format). */
export interface KeyFile {
  readonly type: typeof KEY_FILE_TYPE;
  readonly version: typeof KEY_FILE_VERSION;
  readonly name: string;
  readonly alg: MlDsaAlg;
  readonly did: string;
  readonly publicKey: string;
  readonly encryption: KeyFileEncryption | null;
  /** Present only in plaintext files (`encryption: null`). */
  readonly secretKey?: string;
}

/** A decoded key pair with its name. */
export interface KeyMaterial {
  readonly name: string;
  readonly level: MlDsaLevel;
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

/** How to protect a key file: a password (scrypt cost 2^15..2^18, default 2^17) or the explicit plaintext flag. */
export type KeyFileProtection = { readonly password: string; readonly scryptLogN?: number } | { readonly insecurePlaintext: true };

/** Every key a {@link KeyFileProtection} may have (either form). */
const KEY_FILE_PROTECTION_KEYS: readonly string[] = Object.freeze(['password', 'scryptLogN', 'insecurePlaintext']);

/**
 * Checks a {@link KeyFileProtection}: a plain object with only its documented keys, and either a
 * password or the plaintext flag, never both. `extraKeys` are further keys the caller handles itself.
 * @throws TypeError for another shape or an unknown key.
 */
export function checkProtection(protection: unknown, extraKeys: readonly string[] = []): KeyFileProtection {
  const keys = extraKeys.length === 0 ? KEY_FILE_PROTECTION_KEYS : [...KEY_FILE_PROTECTION_KEYS, ...extraKeys];
  const p = assertOptions('protection', protection as Record<string, unknown> | undefined, keys);
  if (Object.hasOwn(p, 'insecurePlaintext')) {
    if (p.insecurePlaintext !== true) throw new TypeError(`"insecurePlaintext" expected true, got ${describeType(p.insecurePlaintext)}`);
    if (p.password !== undefined || p.scryptLogN !== undefined) {
      throw new TypeError('"protection" expected { password } or { insecurePlaintext: true }, not both');
    }
  } else if (p.password === undefined) {
    throw new TypeError('"protection" expected { password } or { insecurePlaintext: true }');
  }
  return p as KeyFileProtection;
}

function fail(message: string, cause?: unknown): QuorumkitError {
  return new KeyFileError(`invalid key file: ${message}`, cause === undefined ? undefined : { cause });
}

/** @throws TypeError / RangeError unless `name` is a non-empty string of at most 128 characters. */
export function checkKeyName(name: unknown): asserts name is string {
  assertString('name', name);
  if (name.length === 0 || name.length > MAX_KEY_NAME_LENGTH) {
    throw new RangeError(`"name" expected 1..${MAX_KEY_NAME_LENGTH} characters, got ${name.length}`);
  }
}

function checkPassword(password: unknown): Uint8Array {
  assertString('password', password);
  if (password.length === 0) throw new RangeError('"password" expected a non-empty string');
  return utf8Encode(password.normalize('NFC'));
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (s === undefined) throw new UnsupportedError('key file encryption needs WebCrypto (globalThis.crypto.subtle)');
  return s;
}

function header(f: Pick<KeyFile, 'name' | 'alg' | 'did' | 'publicKey'>): Uint8Array {
  return canonicalBytes({ type: KEY_FILE_TYPE, version: KEY_FILE_VERSION, name: f.name, alg: f.alg, did: f.did, publicKey: f.publicKey });
}

async function aesKey(password: Uint8Array, salt: Uint8Array, N: number, r: number, p: number, usage: KeyUsage): Promise<CryptoKey> {
  const raw = await scryptAsync(password, salt, { N, r, p, dkLen: 32, maxmem: MAX_SCRYPT_MEMORY + (1 << 20) });
  try {
    return await subtle().importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'AES-GCM' }, false, [usage]);
  } finally {
    raw.fill(0);
    password.fill(0);
  }
}

/**
 * Seals a key pair into a key file object (write it with `JSON.stringify`).
 * @throws TypeError / RangeError for a bad name, password or cost, or a protection with an unknown key
 *   (or both a password and `insecurePlaintext`); QuorumkitError `ERR_KEY_INVALID` for wrong key sizes,
 *   `ERR_UNSUPPORTED` without WebCrypto.
 * @example
 * const file = await encryptKeyFile({ name: 'node-1', level: 65, publicKey, secretKey }, { password });
 */
export async function encryptKeyFile(material: KeyMaterial, protection: KeyFileProtection): Promise<KeyFile> {
  assertObject('material', material);
  checkKeyName(material.name);
  const alg = algFromLevel(material.level);
  checkPublicKey(material.level, material.publicKey);
  checkSecretKey(material.level, material.secretKey);
  const head = { type: KEY_FILE_TYPE, version: KEY_FILE_VERSION, name: material.name, alg, did: didFromPublicKey(material.publicKey), publicKey: base64Encode(material.publicKey) } as const;
  const p = checkProtection(protection);
  if ('insecurePlaintext' in p) return { ...head, encryption: null, secretKey: base64Encode(material.secretKey) };
  const logN = p.scryptLogN ?? DEFAULT_SCRYPT_LOG_N;
  assertInt('scryptLogN', logN, MIN_SCRYPT_LOG_N, MAX_SCRYPT_LOG_N);
  const pw = checkPassword(p.password);
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const N = 2 ** logN;
  const key = await aesKey(pw, salt, N, 8, 1, 'encrypt');
  const ct = await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: header(head) as Uint8Array<ArrayBuffer>, tagLength: 128 }, key, material.secretKey as Uint8Array<ArrayBuffer>);
  return {
    ...head,
    encryption: {
      kdf: { name: 'scrypt', N, r: 8, p: 1, salt: base64Encode(salt) },
      cipher: { name: 'AES-256-GCM', iv: base64Encode(iv) },
      ciphertext: base64Encode(new Uint8Array(ct)),
    },
  };
}

// ---------------------------------------------------------------- strict parsing

type Obj = Record<string, unknown>;

function object(v: unknown, where: string, keys: readonly string[], optional: readonly string[] = []): Obj {
  if (!isPlainObject(v)) throw fail(`${where} expected an object`);
  const o = v;
  for (const k of Object.keys(o)) if (!keys.includes(k) && !optional.includes(k)) throw fail(`${where} has unknown member "${k.slice(0, 32)}"`);
  for (const k of keys) if (!Object.hasOwn(o, k)) throw fail(`${where} is missing "${k}"`);
  return o;
}

function str(o: Obj, k: string, where: string): string {
  const v = o[k];
  if (typeof v !== 'string') throw fail(`${where}.${k} expected string`);
  return v;
}

function int(o: Obj, k: string, where: string, min: number, max: number): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw fail(`${where}.${k} expected an integer in ${min}..${max}`);
  return v;
}

function b64(o: Obj, k: string, where: string, len: (n: number) => boolean, expected: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = base64Decode(str(o, k, where));
  } catch (cause) {
    if (cause instanceof KeyFileError) throw cause;
    throw fail(`${where}.${k} is not canonical base64`, cause);
  }
  if (!len(bytes.length)) throw fail(`${where}.${k} expected ${expected}, got ${bytes.length} bytes`);
  return bytes;
}

/**
 * Checks the shape of a key file (a JSON string, parsed strictly, or a parsed value) field by field,
 * without decrypting it, and returns it typed. The scrypt parameters must be within the caps
 * (N a power of two in 2^10..2^18, r ≤ 8, p = 1), so opening a file never costs more than twice the default.
 * @throws QuorumkitError `ERR_KEY_FILE` for malformed JSON (duplicate keys included), any wrong
 *   field or KDF parameters beyond the caps, `ERR_UNKNOWN_ALG` for an unknown algorithm.
 */
export function parseKeyFile(json: unknown): KeyFile {
  let v = json;
  if (typeof json === 'string') {
    if (json.length > MAX_JSON_CHARS) throw fail(`larger than ${MAX_JSON_CHARS} characters`);
    try {
      v = parseStrict(json);
    } catch (cause) {
      throw fail('not JSON', cause);
    }
  }
  const top = object(v, 'key file', ['type', 'version', 'name', 'alg', 'did', 'publicKey', 'encryption'], ['secretKey']);
  if (top.type !== KEY_FILE_TYPE) throw fail(`type expected "${KEY_FILE_TYPE}"`);
  if (top.version !== KEY_FILE_VERSION) throw fail(`version expected ${KEY_FILE_VERSION}`);
  const name = str(top, 'name', 'key file');
  if (name.length === 0 || name.length > MAX_KEY_NAME_LENGTH) throw fail(`name expected 1..${MAX_KEY_NAME_LENGTH} characters`);
  const level = levelFromAlg(str(top, 'alg', 'key file'));
  const pk = b64(top, 'publicKey', 'key file', (n) => n === PUBLIC_KEY_BYTES[level], `${PUBLIC_KEY_BYTES[level]} bytes`);
  if (str(top, 'did', 'key file') !== didFromPublicKey(pk)) throw fail('did does not match publicKey');
  const skLen = SECRET_KEY_BYTES[level];
  if (top.encryption === null) {
    if (!Object.hasOwn(top, 'secretKey')) throw fail('plaintext key file is missing "secretKey"');
    b64(top, 'secretKey', 'key file', (n) => n === skLen, `${skLen} bytes`).fill(0);
  } else {
    if (Object.hasOwn(top, 'secretKey')) throw fail('encrypted key file must not carry "secretKey"');
    const enc = object(top.encryption, 'encryption', ['kdf', 'cipher', 'ciphertext']);
    const kdf = object(enc.kdf, 'encryption.kdf', ['name', 'N', 'r', 'p', 'salt']);
    if (kdf.name !== 'scrypt') throw fail('encryption.kdf.name expected "scrypt"');
    const N = int(kdf, 'N', 'encryption.kdf', 2 ** 10, 2 ** MAX_SCRYPT_LOG_N);
    int(kdf, 'r', 'encryption.kdf', 1, MAX_SCRYPT_R);
    int(kdf, 'p', 'encryption.kdf', 1, MAX_SCRYPT_P);
    if ((N & (N - 1)) !== 0) throw fail(`encryption.kdf.N expected a power of two in 2^10..2^${MAX_SCRYPT_LOG_N}`);
    b64(kdf, 'salt', 'encryption.kdf', (n) => n >= 16 && n <= 64, '16..64 bytes');
    const cipher = object(enc.cipher, 'encryption.cipher', ['name', 'iv']);
    if (cipher.name !== 'AES-256-GCM') throw fail('encryption.cipher.name expected "AES-256-GCM"');
    b64(cipher, 'iv', 'encryption.cipher', (n) => n === IV_BYTES, `${IV_BYTES} bytes`);
    b64(enc, 'ciphertext', 'encryption', (n) => n === skLen + TAG_BYTES, `${skLen + TAG_BYTES} bytes`);
  }
  return top as unknown as KeyFile;
}

/**
 * Opens a key file: checks its shape, decrypts it (when encrypted), and checks that the secret key
 * belongs to the public key (FIPS 204 skEncode carries ρ and tr = H(pk); the public key is also
 * recomputed from s1, s2 and a probe signature must verify).
 * @throws QuorumkitError `ERR_KEY_PASSWORD` (wrong password, tampered file, password missing),
 *   `ERR_KEY_FILE` (malformed, or secret key not matching), `ERR_UNKNOWN_ALG`.
 */
export async function decryptKeyFile(json: unknown, password?: string): Promise<KeyMaterial> {
  const file = parseKeyFile(json);
  const level = levelFromAlg(file.alg);
  const publicKey = base64Decode(file.publicKey);
  let secretKey: Uint8Array;
  if (file.encryption === null) {
    secretKey = base64Decode(file.secretKey!);
  } else {
    if (password === undefined) throw new KeyPasswordError('key file is encrypted: a password is required');
    const pw = checkPassword(password);
    const { kdf, cipher, ciphertext } = file.encryption;
    const key = await aesKey(pw, base64Decode(kdf.salt), kdf.N, kdf.r, kdf.p, 'decrypt');
    try {
      const iv = base64Decode(cipher.iv) as Uint8Array<ArrayBuffer>;
      const pt = await subtle().decrypt({ name: 'AES-GCM', iv, additionalData: header(file) as Uint8Array<ArrayBuffer>, tagLength: 128 }, key, base64Decode(ciphertext) as Uint8Array<ArrayBuffer>);
      secretKey = new Uint8Array(pt);
    } catch (cause) {
      throw new KeyPasswordError(DECRYPT_FAILED, { cause });
    }
  }
  try {
    await checkKeyPairMatches(level, publicKey, secretKey);
  } catch (err) {
    secretKey.fill(0);
    throw err;
  }
  return { name: file.name, level, publicKey, secretKey };
}

