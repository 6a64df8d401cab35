// Instantiating quorumkit.wasm (internal): integrity check (SHA-256, FIPS 180-4) of the bytes
// before compiling, the `env.abort` import debug builds need, and the typed export surface.
// Each call returns a NEW instance with its own memory; src/wasm/loader.ts keeps the shared default.

import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, base64Decode } from '../core/bytes.js';
import { QuorumkitError } from '../core/errors.js';
import { EMBEDDED_WASM, type EmbeddedWasmTarget } from './_bytes.generated.js';
import { simdSupported, wasmSupported } from './features.js';
import { ScratchArena } from './_scratch.js';

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

const REQUIRED_FUNCTIONS = ['ctEqual', 'scratchBase'] as const;

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
    throw new QuorumkitError(
      'ERR_WASM_INTEGRITY',
      `WASM bytes do not match their embedded SHA-256 (expected ${expected}, got ${actual}); rebuild with node build.mjs`,
    );
  }
}

function checkExpectedSha(expected: string): void {
  if (typeof expected !== 'string' || !/^[0-9a-fA-F]{64}$/.test(expected)) {
    throw new TypeError(`"expectedSha256" expected 64 hex characters, got ${typeof expected === 'string' ? expected.length + ' characters' : typeof expected}`);
  }
}

function checkBytes(bytes: unknown): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`"bytes" expected Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  }
}

function requireWebAssembly(): void {
  if (!wasmSupported()) {
    throw new QuorumkitError('ERR_WASM_UNAVAILABLE', 'this runtime has no WebAssembly; quorumkit WASM kernels are unavailable');
  }
}

function wrap(instance: WebAssembly.Instance, ref: { memory?: WebAssembly.Memory }, sha: string, prov: WasmProvenance): WasmInstance {
  const ex = instance.exports as Record<string, unknown>;
  const memory = ex['memory'];
  const missing = REQUIRED_FUNCTIONS.filter((name) => typeof ex[name] !== 'function');
  if (!(memory instanceof WebAssembly.Memory) || missing.length > 0) {
    throw new QuorumkitError('ERR_WASM_INTEGRITY', `WASM module lacks expected exports: ${['memory', ...missing].join(', ')}`);
  }
  ref.memory = memory;
  const exports = ex as unknown as QuorumkitWasmExports;
  return { exports, scratch: new ScratchArena(memory, exports.scratchBase()), sha256: sha, build: prov.build, simd: prov.simd };
}

/**
 * Verifies `bytes` against `expectedSha256` (hex) with @noble/hashes, then compiles and instantiates
 * them synchronously. Internal: tests use it to prove tampered bytes are refused.
 * @throws QuorumkitError `ERR_WASM_INTEGRITY` on a digest mismatch; `ERR_WASM_UNAVAILABLE` when the
 * runtime has no WebAssembly, lacks a feature the module uses, or refuses synchronous compilation
 * (browser main thread) — then `await init()` instead.
 */
export function _instantiateBytes(
  bytes: Uint8Array,
  expectedSha256: string,
  provenance: WasmProvenance = { build: null, simd: false },
): WasmInstance {
  checkBytes(bytes);
  checkExpectedSha(expectedSha256);
  requireWebAssembly();
  const sha = toHex(sha256(bytes));
  checkSha(sha, expectedSha256);
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  } catch (cause) {
    if (cause instanceof RangeError) {
      throw new QuorumkitError(
        'ERR_WASM_UNAVAILABLE',
        'this runtime refuses synchronous WebAssembly compilation here (browsers allow it only for tiny modules on the main thread); use `await init()` instead of initSync()',
        { cause },
      );
    }
    throw new QuorumkitError('ERR_WASM_UNAVAILABLE', `WASM module does not compile on this runtime: ${String(cause)}`, { cause });
  }
  const ref: { memory?: WebAssembly.Memory } = {};
  const instance = new WebAssembly.Instance(module, makeImports(ref));
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
  checkBytes(bytes);
  checkExpectedSha(expectedSha256);
  requireWebAssembly();
  const sha = await digestHex(bytes);
  checkSha(sha, expectedSha256);
  const ref: { memory?: WebAssembly.Memory } = {};
  let instance: WebAssembly.Instance;
  try {
    ({ instance } = await WebAssembly.instantiate(bytes as Uint8Array<ArrayBuffer>, makeImports(ref)));
  } catch (cause) {
    throw new QuorumkitError('ERR_WASM_UNAVAILABLE', `WASM module does not compile on this runtime: ${String(cause)}`, { cause });
  }
  return wrap(instance, ref, sha, provenance);
}

/**
 * Resolves `{ build, simd }` options to a concrete choice: build defaults to `release`, simd to
 * {@link simdSupported}.
 * @throws RangeError on an unknown build; TypeError when `simd` is not a boolean;
 * QuorumkitError `ERR_WASM_UNAVAILABLE` when SIMD is requested but unsupported.
 */
export function resolveProvenance(options: { build?: WasmBuild; simd?: boolean } = {}): { build: WasmBuild; simd: boolean } {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`"options" expected an object, got ${options === null ? 'null' : typeof options}`);
  }
  const build = options.build ?? 'release';
  if (build !== 'release' && build !== 'debug') {
    throw new RangeError(`"build" expected 'release' or 'debug', got ${JSON.stringify(build)}`);
  }
  if (options.simd !== undefined && typeof options.simd !== 'boolean') {
    throw new TypeError(`"simd" expected boolean, got ${typeof options.simd}`);
  }
  const simd = options.simd ?? simdSupported();
  if (simd && !simdSupported()) {
    throw new QuorumkitError('ERR_WASM_UNAVAILABLE', 'WASM SIMD was requested but this runtime does not support it');
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
