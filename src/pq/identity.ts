// An ML-DSA (FIPS 204) identity: a named key pair whose id is did:pqaid (DESIGN.md "Identity").
// The secret key lives in a private field: it is never enumerable, never serialised by
// JSON.stringify, and not shown by util.inspect. Key files: see key-file.ts.

import { IoError, QuorumkitError } from '../core/errors.js';
import { base64Encode, base64urlEncode } from '../core/bytes.js';
import type { MlDsaAlg, MlDsaContextOptions, MlDsaLevel, MlDsaSignOptions } from './provider.js';
import { assertBytes, assertOptions, assertString, optionKeys } from '../core/assert.js';
import { algFromLevel, checkPublicKey, checkSecretKey } from './params.js';
import { didFromPublicKey } from './did.js';
import { mlDsa, type MlDsa, type ProviderChoice } from './ml-dsa.js';
import { checkKeyName, checkProtection, decryptKeyFile, encryptKeyFile, type KeyFile, type KeyFileProtection } from './key-file.js';
import { checkKeyPairMatches } from './_key-check.js';

/** Options of {@link Identity.create}. */
export interface IdentityCreateOptions {
  /** Parameter set; default 65. */
  readonly level?: MlDsaLevel;
  /** Provider choice for every operation of this identity; default `'auto'`. */
  readonly provider?: ProviderChoice;
  /** 32-byte seed ξ for a reproducible key pair (FIPS 204 Algorithm 6); default random. */
  readonly seed?: Uint8Array;
}

/** Options when loading an identity. */
export interface IdentityLoadOptions {
  /** Provider choice for every operation of the loaded identity; default `'auto'`. */
  readonly provider?: ProviderChoice;
}

/** Options of {@link Identity.saveKeyFile}: the protection, plus whether to replace an existing file. */
export type SaveKeyFileOptions = KeyFileProtection & { readonly overwrite?: boolean };

const CREATE_OPTION_KEYS = optionKeys<IdentityCreateOptions>({ level: true, provider: true, seed: true });
const LOAD_OPTION_KEYS = optionKeys<IdentityLoadOptions>({ provider: true });

interface FsLike {
  promises: {
    readFile(path: string, encoding: 'utf8'): Promise<string>;
    writeFile(path: string, data: string, options: { mode: number; flag: string }): Promise<void>;
    stat(path: string): Promise<{ size: number; isFile(): boolean }>;
    rename(from: string, to: string): Promise<void>;
    rm(path: string, options: { force: boolean }): Promise<void>;
  };
}

const MAX_KEY_FILE_BYTES = 1 << 20;

function fs(action: string): FsLike {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = proc?.getBuiltinModule?.('node:fs') as FsLike | undefined;
  if (mod === undefined) throw new IoError(`cannot ${action}: node:fs is not available in this runtime (use the *Json methods)`);
  return mod;
}

function ioError(action: string, path: string, cause: unknown): QuorumkitError {
  const code = (cause as { code?: unknown } | null)?.code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EEXIST' ? 'file exists (pass overwrite: true to replace it)' : code === 'EACCES' ? 'permission denied' : typeof code === 'string' ? code : 'I/O error';
  return new IoError(`cannot ${action} "${path}": ${why}`, { cause });
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

function checkPath(path: unknown): asserts path is string {
  assertString('path', path);
  if (path.length === 0) throw new TypeError('"path" expected a non-empty string');
}

/**
 * A named ML-DSA key pair. Public fields: `name`, `did`, `alg`, `level`, `provider`, `publicKey`
 * (a copy on each read). The secret key never leaves the object except through a key file.
 * @example
 * const me = await Identity.create('node-1');
 * const sig = await me.sign(msg);
 * await me.verify(sig, msg); // true
 * await me.saveKeyFile('node-1.key.json', { password });
 */
export class Identity {
  /** Human name, 1..128 characters. */
  readonly name: string;
  /** `did:pqaid:<hex sha3-256(publicKey)>`. */
  readonly did: string;
  /** Wire algorithm name, e.g. `'ML-DSA-65'`. */
  readonly alg: MlDsaAlg;
  /** Parameter set. */
  readonly level: MlDsaLevel;
  /** Provider choice used for this identity's operations. */
  readonly provider: ProviderChoice;
  readonly #publicKey: Uint8Array;
  readonly #secretKey: Uint8Array;
  readonly #dsa: MlDsa;

  private constructor(name: string, dsa: MlDsa, provider: ProviderChoice, publicKey: Uint8Array, secretKey: Uint8Array) {
    this.name = name;
    this.level = dsa.level;
    this.alg = algFromLevel(dsa.level);
    this.provider = provider;
    this.#publicKey = publicKey;
    this.#secretKey = secretKey;
    this.#dsa = dsa;
    this.did = didFromPublicKey(publicKey);
    Object.freeze(this);
  }

  /** The raw public key (FIPS 204 pkEncode); a fresh copy each time. */
  get publicKey(): Uint8Array {
    return this.#publicKey.slice();
  }

  /**
   * Generates a new identity.
   * @throws TypeError / RangeError for a bad name, level, seed or an unknown option; QuorumkitError
   *   `ERR_PROVIDER_UNAVAILABLE`, or `ERR_UNSUPPORTED` for a seed with a provider lacking seed keygen.
   */
  static async create(name: string, options?: IdentityCreateOptions): Promise<Identity> {
    const o = assertOptions('options', options, CREATE_OPTION_KEYS);
    checkKeyName(name);
    const provider = o.provider ?? 'auto';
    const dsa = await mlDsa(o.level ?? 65, { provider }).ready();
    const { publicKey, secretKey } = await dsa.keygen(o.seed);
    return new Identity(name, dsa, provider, publicKey, secretKey);
  }

  /**
   * An identity from an existing key pair (the expanded secret key is copied; the pair is checked
   * to belong together).
   * @throws QuorumkitError `ERR_KEY_INVALID` for wrong sizes, `ERR_KEY_FILE` when the keys do not match;
   *   TypeError for an unknown option.
   */
  static async fromKeyPair(name: string, level: MlDsaLevel, keys: { publicKey: Uint8Array; secretKey: Uint8Array }, options?: IdentityLoadOptions): Promise<Identity> {
    const provider = assertOptions('options', options, LOAD_OPTION_KEYS).provider ?? 'auto';
    checkKeyName(name);
    const dsa = await mlDsa(level, { provider }).ready();
    checkPublicKey(level, keys.publicKey);
    checkSecretKey(level, keys.secretKey);
    const publicKey = keys.publicKey.slice();
    const secretKey = keys.secretKey.slice();
    await checkKeyPairMatches(level, publicKey, secretKey);
    return new Identity(name, dsa, provider, publicKey, secretKey);
  }

  /**
   * Signs `msg` (pure ML-DSA, empty context unless given; hedged unless `deterministic`).
   * @throws QuorumkitError `ERR_UNSUPPORTED` when the chosen provider lacks a requested feature.
   */
  async sign(msg: Uint8Array, opts: MlDsaSignOptions = {}): Promise<Uint8Array> {
    assertBytes('msg', msg);
    return this.#dsa.sign(msg, this.#secretKey, opts);
  }

  /** Verifies a signature by this identity; false for any invalid signature. */
  async verify(sig: Uint8Array, msg: Uint8Array, opts: MlDsaContextOptions = {}): Promise<boolean> {
    return this.#dsa.verify(sig, msg, this.#publicKey, opts);
  }

  /**
   * The key file object of this identity, encrypted under `password`, or in plaintext only with
   * `{ insecurePlaintext: true }`.
   */
  async toKeyFile(protection: KeyFileProtection): Promise<KeyFile> {
    return encryptKeyFile({ name: this.name, level: this.level, publicKey: this.#publicKey, secretKey: this.#secretKey }, protection);
  }

  /**
   * Loads an identity from key-file JSON (a string or a parsed object).
   * @throws QuorumkitError `ERR_KEY_PASSWORD` (wrong password / tampered), `ERR_KEY_FILE`, `ERR_UNKNOWN_ALG`;
   *   TypeError for an unknown option.
   */
  static async fromKeyFileJson(json: unknown, password?: string, options?: IdentityLoadOptions): Promise<Identity> {
    const provider = assertOptions('options', options, LOAD_OPTION_KEYS).provider ?? 'auto';
    const m = await decryptKeyFile(json, password);
    return new Identity(m.name, await mlDsa(m.level, { provider }).ready(), provider, m.publicKey, m.secretKey);
  }

  /**
   * Reads and opens a key file (Node only; `node:fs` is looked up at call time).
   * @throws QuorumkitError `ERR_IO` when the file cannot be read or node:fs is absent, and as {@link fromKeyFileJson}.
   */
  static async fromKeyFile(path: string, password?: string, options?: IdentityLoadOptions): Promise<Identity> {
    assertOptions('options', options, LOAD_OPTION_KEYS);
    checkPath(path);
    const { promises } = fs('read key file');
    let text: string;
    try {
      const st = await promises.stat(path);
      if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'not a regular file' });
      if (st.size > MAX_KEY_FILE_BYTES) throw Object.assign(new Error('too large'), { code: `larger than ${MAX_KEY_FILE_BYTES} bytes` });
      text = await promises.readFile(path, 'utf8');
    } catch (cause) {
      throw ioError('read key file', path, cause);
    }
    return Identity.fromKeyFileJson(text, password, options);
  }

  /**
   * Writes this identity's key file (mode 0600). Refuses to replace an existing file unless
   * `overwrite: true`.
   * @throws QuorumkitError `ERR_IO` on any file-system failure or without node:fs; TypeError for a
   *   bad protection or an unknown option.
   */
  async saveKeyFile(path: string, options: SaveKeyFileOptions): Promise<void> {
    checkPath(path);
    const { overwrite, ...protection } = checkProtection(options, ['overwrite']) as SaveKeyFileOptions;
    const { promises } = fs('write key file');
    const file = await this.toKeyFile(protection as KeyFileProtection);
    const text = JSON.stringify(file, null, 2) + '\n';
    try {
      if (overwrite !== true) {
        await promises.writeFile(path, text, { mode: 0o600, flag: 'wx' });
        return;
      }
      // Replace via a fresh 0600 temp file and rename: an existing file's looser mode, or a
      // symlink at `path`, never carries over to the new secret.
      const tmp = `${path}.${base64urlEncode(globalThis.crypto.getRandomValues(new Uint8Array(6)))}.tmp`;
      try {
        await promises.writeFile(tmp, text, { mode: 0o600, flag: 'wx' });
        await promises.rename(tmp, path);
      } catch (err) {
        await promises.rm(tmp, { force: true });
        throw err;
      }
    } catch (cause) {
      throw ioError('write key file', path, cause);
    }
  }

  /** Public view for JSON.stringify: name, did, alg and the base64 public key — never the secret key. */
  toJSON(): { name: string; did: string; alg: MlDsaAlg; publicKey: string } {
    return { name: this.name, did: this.did, alg: this.alg, publicKey: base64Encode(this.#publicKey) };
  }

  /** Node's util.inspect view (public fields only). */
  [INSPECT](): string {
    return `Identity { name: ${JSON.stringify(this.name)}, did: '${this.did}', alg: '${this.alg}', provider: '${this.provider}' }`;
  }
}
