// SHA3-224/256/384/512 (FIPS 202 §6.1) and SHAKE128/256 (§6.2): one-shot, streaming and batch, on the
// WASM Keccak engine with @noble/hashes as the fallback (see _engine.ts for how the engine is chosen).
// All SHA3/SHAKE use inside quorumkit goes through this module.

import { assertBytes, assertInt, assertOptions, describeType, optionKeys } from '../core/assert.js';
import { InvalidArgumentError, UnsupportedError } from '../core/errors.js';
import { defaultEngine, type KeccakEngine, type SpongeState } from './_engine.js';
import {
  MAX_XOF_BYTES,
  SHA3_224,
  SHA3_256,
  SHA3_384,
  SHA3_512,
  SHAKE128,
  SHAKE256,
  type SpongeSpec,
} from './_spec.js';

/** Options of the SHAKE functions. */
export interface ShakeOptions {
  /** Output length in bytes (default 16 for SHAKE128, 32 for SHAKE256, as node:crypto and noble). */
  dkLen?: number;
}

const SHAKE_OPTION_KEYS = optionKeys<ShakeOptions>({ dkLen: true });

/** Reads `{ dkLen }` of a SHAKE call: absent → the spec default; else an integer in [0, MAX_XOF_BYTES]. */
function readDkLen(spec: SpongeSpec, opts: ShakeOptions | undefined): number {
  const dkLen = assertOptions('opts', opts, SHAKE_OPTION_KEYS).dkLen;
  if (dkLen === undefined) return spec.outLen;
  assertInt('dkLen', dkLen, 0, MAX_XOF_BYTES);
  return dkLen;
}

/** A streaming SHA3 hasher (hash-wasm / noble style): `update` any number of times, then `digest`. */
export interface Sha3Hasher {
  /** Digest length in bytes. */
  readonly outputLen: number;
  /** Sponge rate in bytes (the block size). */
  readonly blockLen: number;
  /** Absorbs `data`; returns this. @throws TypeError on non-bytes; QuorumkitError after digest(). */
  update(data: Uint8Array): this;
  /** Returns the digest and frees the state; the hasher is finished afterwards. */
  digest(): Uint8Array;
  /** An independent hasher with the same absorbed input (call before digest()). */
  clone(): this;
  /** Wipes and frees the state without a digest. Idempotent. */
  destroy(): void;
}

/** A streaming SHAKE hasher: `digest()` returns `dkLen` bytes; `xof(n)` reads the output stream on. */
export interface ShakeHasher extends Sha3Hasher {
  /** Returns the next `n` bytes of output (pads on the first call); may be called repeatedly. */
  xof(n: number): Uint8Array;
}

class KeccakHasher implements ShakeHasher {
  readonly outputLen: number;
  readonly blockLen: number;
  readonly #engine: KeccakEngine;
  readonly #spec: SpongeSpec;
  #state: SpongeState | null;
  #squeezing = false;

  constructor(engine: KeccakEngine, spec: SpongeSpec, outLen: number, state?: SpongeState, squeezing = false) {
    this.#engine = engine;
    this.#spec = spec;
    this.outputLen = outLen;
    this.blockLen = spec.rate;
    this.#state = state ?? engine.createState(spec);
    this.#squeezing = squeezing;
  }

  #live(op: string): SpongeState {
    if (this.#state === null) {
      throw new InvalidArgumentError(`${this.#spec.name} hasher: ${op}() after digest() or destroy(); clone() first to keep going`);
    }
    return this.#state;
  }

  update(data: Uint8Array): this {
    assertBytes('data', data);
    const s = this.#live('update');
    if (this.#squeezing) throw new InvalidArgumentError(`${this.#spec.name} hasher: update() after xof()`);
    s.update(data);
    return this;
  }

  xof(n: number): Uint8Array {
    assertInt('n', n, 0, MAX_XOF_BYTES);
    const s = this.#live('xof');
    if (!this.#spec.xof) throw new UnsupportedError(`${this.#spec.name} is not an XOF; use digest()`);
    if (!this.#squeezing) {
      s.pad();
      this.#squeezing = true;
    }
    return s.squeeze(n);
  }

  digest(): Uint8Array {
    const s = this.#live('digest');
    if (this.#squeezing) throw new InvalidArgumentError(`${this.#spec.name} hasher: digest() after xof()`);
    try {
      s.pad();
      return s.squeeze(this.outputLen);
    } finally {
      this.destroy();
    }
  }

  clone(): this {
    const s = this.#live('clone');
    return new KeccakHasher(this.#engine, this.#spec, this.outputLen, s.clone(), this.#squeezing) as this;
  }

  destroy(): void {
    this.#state?.destroy();
    this.#state = null;
  }
}

/** Internal: a hasher on a given engine (tests pin a build with it). */
export function _createHasher(engine: KeccakEngine, spec: SpongeSpec, outLen = spec.outLen): ShakeHasher {
  return new KeccakHasher(engine, spec, outLen);
}

function oneShot(spec: SpongeSpec, msg: Uint8Array, outLen: number): Uint8Array {
  assertBytes('msg', msg);
  return defaultEngine().hash(spec, msg, outLen);
}

/**
 * SHA3-224 of `msg` (28 bytes).
 * @throws TypeError when `msg` is not a Uint8Array.
 */
export function sha3_224(msg: Uint8Array): Uint8Array {
  return oneShot(SHA3_224, msg, 28);
}

/**
 * SHA3-256 of `msg` (32 bytes): the hash of every canonical body and region snapshot.
 * @throws TypeError when `msg` is not a Uint8Array.
 * @example
 * toHex(sha3_256(new Uint8Array())); // 'a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a'
 */
export function sha3_256(msg: Uint8Array): Uint8Array {
  return oneShot(SHA3_256, msg, 32);
}

/**
 * SHA3-384 of `msg` (48 bytes).
 * @throws TypeError when `msg` is not a Uint8Array.
 */
export function sha3_384(msg: Uint8Array): Uint8Array {
  return oneShot(SHA3_384, msg, 48);
}

/**
 * SHA3-512 of `msg` (64 bytes).
 * @throws TypeError when `msg` is not a Uint8Array.
 */
export function sha3_512(msg: Uint8Array): Uint8Array {
  return oneShot(SHA3_512, msg, 64);
}

/**
 * SHAKE128 of `msg`, `dkLen` bytes (default 16).
 * @throws TypeError on a non-Uint8Array `msg`, a non-number `dkLen` or an unknown option; RangeError
 * when `dkLen` is not an integer in [0, 2^30] (squeeze longer streams with {@link createShake128} and `xof`).
 * @example
 * shake128(seed, { dkLen: 64 });
 */
export function shake128(msg: Uint8Array, opts?: ShakeOptions): Uint8Array {
  return oneShot(SHAKE128, msg, readDkLen(SHAKE128, opts));
}

/**
 * SHAKE256 of `msg`, `dkLen` bytes (default 32).
 * @throws as {@link shake128}.
 */
export function shake256(msg: Uint8Array, opts?: ShakeOptions): Uint8Array {
  return oneShot(SHAKE256, msg, readDkLen(SHAKE256, opts));
}

/**
 * SHA3-256 of each message, in order. Messages are batched into few WASM calls, and with WASM SIMD
 * two messages of equal length are hashed at once; use it for many small digests.
 * @throws TypeError when `msgs` is not an array of Uint8Array.
 * @example
 * const ids = sha3_256Many(bodies.map(utf8Encode));
 */
export function sha3_256Many(msgs: readonly Uint8Array[]): Uint8Array[] {
  if (!Array.isArray(msgs)) throw new TypeError(`"msgs" expected an array, got ${describeType(msgs)}`);
  for (let i = 0; i < msgs.length; i++) assertBytes(`msgs[${i}]`, msgs[i]);
  return defaultEngine().hashMany(SHA3_256, msgs, 32);
}

/** A streaming SHA3-224 hasher. */
export function createSha3_224(): Sha3Hasher {
  return new KeccakHasher(defaultEngine(), SHA3_224, 28);
}

/**
 * A streaming SHA3-256 hasher (`update`, `digest`, `clone`); the state lives in WASM memory.
 * @example
 * const h = createSha3_256();
 * for (const part of parts) h.update(part);
 * const digest = h.digest();
 */
export function createSha3_256(): Sha3Hasher {
  return new KeccakHasher(defaultEngine(), SHA3_256, 32);
}

/** A streaming SHA3-384 hasher. */
export function createSha3_384(): Sha3Hasher {
  return new KeccakHasher(defaultEngine(), SHA3_384, 48);
}

/** A streaming SHA3-512 hasher. */
export function createSha3_512(): Sha3Hasher {
  return new KeccakHasher(defaultEngine(), SHA3_512, 64);
}

/**
 * A streaming SHAKE128 hasher; `digest()` gives `dkLen` bytes (default 16), `xof(n)` any amount.
 * @throws as {@link shake128} for `dkLen`.
 */
export function createShake128(opts?: ShakeOptions): ShakeHasher {
  return new KeccakHasher(defaultEngine(), SHAKE128, readDkLen(SHAKE128, opts));
}

/**
 * A streaming SHAKE256 hasher; `digest()` gives `dkLen` bytes (default 32), `xof(n)` any amount.
 * @throws as {@link shake128} for `dkLen`.
 */
export function createShake256(opts?: ShakeOptions): ShakeHasher {
  return new KeccakHasher(defaultEngine(), SHAKE256, readDkLen(SHAKE256, opts));
}

/** Which engine the one-shot functions use right now: `'wasm'` or `'noble'` (the fallback). */
export function hashBackend(): 'wasm' | 'noble' {
  return defaultEngine().name;
}
