// Instantiating quorumkit.wasm (internal): integrity check (SHA-256, FIPS 180-4) of the bytes
// before compiling, the `env.abort` import debug builds need, and the typed export surface.
// Each call returns a NEW instance with its own memory; src/wasm/loader.ts keeps the shared default.

import { sha256 } from '@noble/hashes/sha2.js';
import { assertBytes, assertOptions, describeType, describeValue, optionKeys } from '../core/assert.js';
import { toHex, base64Decode } from '../core/bytes.js';
import { EMBEDDED_WASM, type EmbeddedWasmTarget } from './_bytes.generated.js';
import { WasmIntegrityError, WasmUnavailableError } from './errors.js';
import { simdSupported, wasmSupported } from './features.js';
import { ScratchArena } from './_scratch.js';
import type { InitOptions } from './loader.js';

/** Which embedded build: `debug` keeps assertions (traps on a broken range), `release` is optimized. */
export type WasmBuild = 'release' | 'debug';

/** The raw exports of quorumkit.wasm: numbers and pointers only (STYLE.md "The WASM boundary"). */
export interface QuorumkitWasmExports {
  /** Linear memory; the loader owns everything above `scratchBase()`. */
  readonly memory: WebAssembly.Memory;
  /** Constant-time equality of `len` bytes at `aPtr` and `bPtr`; returns 1 when equal, else 0. */
  ctEqual(aPtr: number, bPtr: number, len: number): number;
  /** First scratch byte (16-aligned, above the module's static data). */
  scratchBase(): number;
  // F_p, p = 2^127 − 1 (assembly/field127.ts, field-batch.ts, shamir.ts): pointers to 16-byte LE
  // canonical elements; counts are element counts; every function returns an i32 status.
  /** [out] = [a] + [b]; returns 0. */
  f127Add(out: number, a: number, b: number): number;
  /** [out] = [a] − [b]; returns 0. */
  f127Sub(out: number, a: number, b: number): number;
  /** [out] = −[a]; returns 0. */
  f127Neg(out: number, a: number): number;
  /** [out] = [a]·[b]; returns 0. */
  f127Mul(out: number, a: number, b: number): number;
  /** [out] = [a]²; returns 0. */
  f127Square(out: number, a: number): number;
  /** [out] = [a]⁻¹ (constant time); returns 1 when a = 0, else 0. */
  f127Inv(out: number, a: number): number;
  /** [out] = [a]^[e], e a 16-byte LE exponent (constant time); returns 0. */
  f127Pow(out: number, a: number, e: number): number;
  /** Number of elements ≥ p among `n` at `a`. */
  f127CountNonCanonical(a: number, n: number): number;
  /** out[i] = a[i] + b[i]; returns 1 when an input is ≥ p (out invalid), else 0. */
  f127AddBatch(out: number, a: number, b: number, n: number): number;
  /** out[i] = a[i] − b[i]; returns 1 when an input is ≥ p (out invalid), else 0. */
  f127SubBatch(out: number, a: number, b: number, n: number): number;
  /** out[i] = a[i]·b[i]; returns 1 when an input is ≥ p (out invalid), else 0. */
  f127MulBatch(out: number, a: number, b: number, n: number): number;
  /** out[i] = [s]·a[i]; returns 1 when some a[i] ≥ p (out invalid), else 0. */
  f127ScaleBatch(out: number, a: number, s: number, n: number): number;
  /** [out] = Σ a[i]·b[i]; returns 1 when an input is ≥ p (out invalid), else 0. */
  f127DotBatch(out: number, a: number, b: number, n: number): number;
  /** out[i] = Σ_j coeffs[j]·xs[i]^j (k coefficients); returns 0. */
  f127EvalPoints(out: number, coeffs: number, k: number, xs: number, n: number): number;
  /** out[i] = Σ_j coeffs[i·k + j]·[x]^j; returns 0. */
  f127EvalPolys(out: number, coeffs: number, k: number, n: number, x: number): number;
  /** out[i] = a[i]⁻¹ (Montgomery's trick; zeros map to 0); returns the number of zeros. */
  f127InvBatch(out: number, a: number, n: number): number;
  /** Shares of m secrets among n parties (share-major out, k − 1 coefficients per secret); returns 0. */
  shamirSplitBatch(out: number, secrets: number, coeffs: number, m: number, k: number, xs: number, n: number): number;
  /** Lagrange coefficients at [x] for k abscissas (tmp: 2k elements); returns the number of zero denominators. */
  lagrangeAtBatch(out: number, tmp: number, xs: number, k: number, x: number): number;
  /** out[j] = Σ_i λ_i·ys[i·m + j] (tmp: 184·k bytes, 16-aligned); returns 0. */
  shamirCombineBatch(out: number, ys: number, lambdas: number, k: number, m: number, tmp: number): number;
  /** [out] = Σ λ_i·ys[i] when the k abscissas at xs equal those at key (0; 1 when a y ≥ p), else 2; always zeroes ys. */
  shamirCombinePacked(out: number, xs: number, ys: number, key: number, lambdas: number, k: number): number;
  /** Bytes of one Keccak streaming state slot (208; assembly/keccak.ts). */
  keccakStateBytes(): number;
  /** Bytes of the 2-lane Keccak scratch state used by the batch kernels (800). */
  keccakX2StateBytes(): number;
  /** Zeroes the Keccak state at `st` and sets its rate in bytes (multiple of 8 in [8, 192]). */
  keccakInit(st: number, rate: number): void;
  /** Absorbs `len` bytes at `p` into the state at `st` (FIPS 202 §4). */
  keccakUpdate(st: number, p: number, len: number): void;
  /** Pads with domain byte `ds` (0x06 SHA3, 0x1f SHAKE) and switches `st` to squeezing. */
  keccakPad(st: number, ds: number): void;
  /** Squeezes `outLen` more bytes from the padded state `st` to `out`. */
  keccakSqueeze(st: number, out: number, outLen: number): void;
  /** One-shot sponge of `len` bytes at `p` into `outLen` bytes at `out`, scratch state `st`. */
  keccakHash(st: number, rate: number, ds: number, p: number, len: number, out: number, outLen: number): void;
  /** Batch sponge over `count` back-to-back messages with u32 lengths at `lens` (2-lane SIMD pairs). */
  keccakHashMany(st: number, st2: number, rate: number, ds: number, data: number, lens: number, count: number, out: number, outLen: number): void;
  /** Tree-hash leaves SHA3-256(0x00 ‖ chunk) of `len` bytes at `data` split every `chunkBytes`. */
  keccakTreeLeaves(st: number, st2: number, data: number, len: number, chunkBytes: number, out: number): void;
}

/** One instantiated module with its scratch arena and provenance. */
export interface WasmInstance {
  readonly exports: QuorumkitWasmExports;
  readonly scratch: ScratchArena;
  /** SHA-256 (lowercase hex) of the bytes this instance was compiled from. */
  readonly sha256: string;
  /** The embedded build, or null for bytes passed to {@link _instantiateBytes} directly. */
  readonly build: WasmBuild | null;
  readonly simd: boolean;
}

/** Provenance recorded on an instance. */
export interface WasmProvenance {
  readonly build: WasmBuild | null;
  readonly simd: boolean;
}

const REQUIRED_FUNCTIONS = [
  'ctEqual',
  'scratchBase',
  'f127Add',
  'f127Sub',
  'f127Neg',
  'f127Mul',
  'f127Square',
  'f127Inv',
  'f127Pow',
  'f127CountNonCanonical',
  'f127AddBatch',
  'f127SubBatch',
  'f127MulBatch',
  'f127ScaleBatch',
  'f127DotBatch',
  'f127EvalPoints',
  'f127EvalPolys',
  'f127InvBatch',
  'shamirSplitBatch',
  'lagrangeAtBatch',
  'shamirCombineBatch',
  'shamirCombinePacked',
  'keccakStateBytes',
  'keccakX2StateBytes',
  'keccakInit',
  'keccakUpdate',
  'keccakPad',
  'keccakSqueeze',
  'keccakHash',
  'keccakHashMany',
  'keccakTreeLeaves',
] as const;

/** Returns the embedded target for a build/SIMD choice. */
export function embeddedTarget(build: WasmBuild, simd: boolean): EmbeddedWasmTarget {
  return simd ? `${build}-simd` : build;
}

/** Reads an AssemblyScript string (UTF-16LE payload, byte length at ptr − 4) for abort messages. */
function readAscString(memory: WebAssembly.Memory, ptr: number): string {
  try {
    if (ptr < 4 || ptr > memory.buffer.byteLength) return '?';
    const len = new DataView(memory.buffer).getUint32(ptr - 4, true);
    if (len > 4096 || ptr + len > memory.buffer.byteLength) return '?';
    return new TextDecoder('utf-16le').decode(new Uint8Array(memory.buffer, ptr, len));
  } catch {
    return '?';
  }
}

/** Imports for quorumkit.wasm: debug builds call `env.abort` when an `assert` fails. */
function makeImports(memoryRef: { memory?: WebAssembly.Memory }): WebAssembly.Imports {
  return {
    env: {
      abort(msgPtr: number, filePtr: number, line: number, col: number): never {
        const m = memoryRef.memory;
        const msg = m ? readAscString(m, msgPtr) : '?';
        const file = m ? readAscString(m, filePtr) : '?';
        throw new RangeError(`WASM assertion failed: ${msg} (${file}:${line}:${col})`);
      },
    },
  };
}

function checkSha(actual: string, expected: string): void {
  if (actual !== expected.toLowerCase()) {
    throw new WasmIntegrityError(
      `WASM bytes do not match their embedded SHA-256 (expected ${expected}, got ${actual}); rebuild with node build.mjs`,
    );
  }
}

function checkExpectedSha(expected: string): void {
  if (typeof expected !== 'string' || !/^[0-9a-fA-F]{64}$/.test(expected)) {
    throw new TypeError(`"expectedSha256" expected 64 hex characters, got ${typeof expected === 'string' ? expected.length + ' characters' : describeType(expected)}`);
  }
}

function requireWebAssembly(): void {
  if (!wasmSupported()) {
    throw new WasmUnavailableError('this runtime has no WebAssembly; quorumkit WASM kernels are unavailable');
  }
}

function wrap(instance: WebAssembly.Instance, ref: { memory?: WebAssembly.Memory }, sha: string, prov: WasmProvenance): WasmInstance {
  const ex = instance.exports as Record<string, unknown>;
  const memory = ex['memory'];
  const missing = REQUIRED_FUNCTIONS.filter((name) => typeof ex[name] !== 'function');
  if (!(memory instanceof WebAssembly.Memory) || missing.length > 0) {
    throw new WasmIntegrityError(`WASM module lacks expected exports: ${['memory', ...missing].join(', ')}`);
  }
  ref.memory = memory;
  const exports = ex as unknown as QuorumkitWasmExports;
  return { exports, scratch: new ScratchArena(memory, exports.scratchBase()), sha256: sha, build: prov.build, simd: prov.simd };
}

/**
 * Verifies `bytes` against `expectedSha256` (hex) with @noble/hashes, then compiles and instantiates
 * them synchronously. Internal: tests use it to prove tampered bytes are refused.
 * @throws QuorumkitError `ERR_WASM_INTEGRITY` on a digest mismatch; `ERR_WASM_UNAVAILABLE` when the
 * runtime has no WebAssembly, lacks a feature the module uses, cannot instantiate it (e.g. no memory
 * for it), or refuses synchronous compilation (browser main thread) — then `await init()` instead.
 */
export function _instantiateBytes(
  bytes: Uint8Array,
  expectedSha256: string,
  provenance: WasmProvenance = { build: null, simd: false },
): WasmInstance {
  assertBytes('bytes', bytes);
  checkExpectedSha(expectedSha256);
  requireWebAssembly();
  const sha = toHex(sha256(bytes));
  checkSha(sha, expectedSha256);
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  } catch (cause) {
    if (cause instanceof RangeError) {
      throw new WasmUnavailableError(
        'this runtime refuses synchronous WebAssembly compilation here (browsers allow it only for tiny modules on the main thread); use `await init()` instead of initSync()',
        { cause },
      );
    }
    throw new WasmUnavailableError(`WASM module does not compile on this runtime: ${String(cause)}`, { cause });
  }
  const ref: { memory?: WebAssembly.Memory } = {};
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(module, makeImports(ref));
  } catch (cause) {
    // e.g. no room for the linear memory; the async twin reports the same as ERR_WASM_UNAVAILABLE
    throw new WasmUnavailableError(`WASM module does not instantiate on this runtime: ${String(cause)}`, { cause });
  }
  return wrap(instance, ref, sha, provenance);
}

async function digestHex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  // crypto.subtle is missing in insecure browser contexts (plain http); fall back to @noble/hashes.
  if (subtle === undefined) return toHex(sha256(bytes));
  return toHex(new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
}

/**
 * Async twin of {@link _instantiateBytes}: digest with WebCrypto, compile with
 * `WebAssembly.instantiate` (allowed everywhere, including browser main threads).
 * @throws QuorumkitError `ERR_WASM_INTEGRITY` on a digest mismatch, `ERR_WASM_UNAVAILABLE` when the
 * module cannot be compiled here.
 */
export async function _instantiateBytesAsync(
  bytes: Uint8Array,
  expectedSha256: string,
  provenance: WasmProvenance = { build: null, simd: false },
): Promise<WasmInstance> {
  assertBytes('bytes', bytes);
  checkExpectedSha(expectedSha256);
  requireWebAssembly();
  const sha = await digestHex(bytes);
  checkSha(sha, expectedSha256);
  const ref: { memory?: WebAssembly.Memory } = {};
  let instance: WebAssembly.Instance;
  try {
    ({ instance } = await WebAssembly.instantiate(bytes as Uint8Array<ArrayBuffer>, makeImports(ref)));
  } catch (cause) {
    throw new WasmUnavailableError(`WASM module does not compile on this runtime: ${String(cause)}`, { cause });
  }
  return wrap(instance, ref, sha, provenance);
}

const INIT_OPTION_KEYS = optionKeys<InitOptions>({ build: true, simd: true });

/**
 * Resolves `{ build, simd }` options to a concrete choice: build defaults to `release`, simd to
 * {@link simdSupported}.
 * @throws RangeError on an unknown build; TypeError when `simd` is not a boolean, for a non-object
 * or an unknown key; QuorumkitError `ERR_WASM_UNAVAILABLE` when SIMD is requested but unsupported.
 */
export function resolveProvenance(options?: InitOptions): { build: WasmBuild; simd: boolean } {
  const o = assertOptions('options', options, INIT_OPTION_KEYS);
  const build = o.build ?? 'release';
  if (build !== 'release' && build !== 'debug') {
    throw new RangeError(`"build" expected 'release' or 'debug', got ${describeValue(build)}`);
  }
  if (o.simd !== undefined && typeof o.simd !== 'boolean') {
    throw new TypeError(`"simd" expected boolean, got ${describeType(o.simd)}`);
  }
  const simd = o.simd ?? simdSupported();
  if (simd && !simdSupported()) {
    throw new WasmUnavailableError('WASM SIMD was requested but this runtime does not support it');
  }
  return { build, simd };
}

/** Returns the embedded bytes and digest of a build (decoded afresh; nothing cached). */
export function embeddedBytes(build: WasmBuild, simd: boolean): { bytes: Uint8Array; sha256: string } {
  const e = EMBEDDED_WASM[embeddedTarget(build, simd)];
  return { bytes: base64Decode(e.base64), sha256: e.sha256 };
}

/**
 * Instantiates one embedded build as a fresh, unshared instance (not registered anywhere).
 * Internal: tests run every kernel on both builds with it.
 */
export function _loadBuild(build: WasmBuild, options: { simd?: boolean } = {}): WasmInstance {
  const prov = resolveProvenance({ build, ...options });
  const { bytes, sha256: sha } = embeddedBytes(prov.build, prov.simd);
  return _instantiateBytes(bytes, sha, prov);
}

/** Async twin of {@link _loadBuild}. */
export async function _loadBuildAsync(build: WasmBuild, options: { simd?: boolean } = {}): Promise<WasmInstance> {
  const prov = resolveProvenance({ build, ...options });
  const { bytes, sha256: sha } = embeddedBytes(prov.build, prov.simd);
  return _instantiateBytesAsync(bytes, sha, prov);
}
