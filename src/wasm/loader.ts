// Loader of the embedded quorumkit.wasm: `initSync()` for Node and workers, idempotent `init()` for
// browsers (no top-level await anywhere, STYLE.md). Bytes are checked against their embedded
// SHA-256 before compiling. On success the kernels are registered with core (constant-time equality).

import { setConstantTimeEqualBackend } from '../core/_ct-backend.js';
import { InvalidArgumentError } from '../core/errors.js';
import {
  _loadBuild,
  _loadBuildAsync,
  resolveProvenance,
  type QuorumkitWasmExports,
  type WasmBuild,
  type WasmInstance,
} from './_instance.js';
import { ctEqualOn } from './ct-equal.js';
import { clearCurrentWasm, currentWasm, requireWasm, setCurrentWasm } from './_state.js';
import { simdSupported } from './features.js';

export type { QuorumkitWasmExports, WasmBuild } from './_instance.js';

/** Options of {@link initSync} and {@link init}. */
export interface InitOptions {
  /** `release` (default) or `debug` (assertions kept: a broken range traps instead of misbehaving). */
  build?: WasmBuild;
  /** Use the SIMD variant; defaults to {@link simdSupported}. `true` on a runtime without SIMD throws. */
  simd?: boolean;
}

/** What {@link wasmInfo} reports. */
export interface WasmInfo {
  readonly initialized: boolean;
  /** The build in use, or null before initialization. */
  readonly build: WasmBuild | null;
  /** Whether the SIMD variant is in use (false before initialization). */
  readonly simd: boolean;
  /** Whether this runtime supports WASM SIMD. */
  readonly simdSupported: boolean;
  /** SHA-256 (hex) of the module in use, or null before initialization. */
  readonly sha256: string | null;
}

let pending: Promise<QuorumkitWasmExports> | null = null;
let pendingChoice: { build: WasmBuild; simd: boolean } | null = null;

/** A later call may omit options, but may not ask for a different build than the one in use. */
function assertSameChoice(have: { build: WasmBuild | null; simd: boolean }, options: InitOptions | undefined): void {
  if (options?.build !== undefined && options.build !== have.build) {
    throw new InvalidArgumentError(`quorumkit WASM is already initialized with build "${have.build}", got "${options.build}"`);
  }
  if (options?.simd !== undefined && options.simd !== have.simd) {
    throw new InvalidArgumentError(`quorumkit WASM is already initialized with simd ${have.simd}, got ${options.simd}`);
  }
}

function activate(instance: WasmInstance): void {
  setCurrentWasm(instance);
  setConstantTimeEqualBackend((a, b) => ctEqualOn(instance, a, b));
}

/**
 * Compiles and instantiates the embedded module synchronously, registers its kernels with core,
 * and returns its exports. Idempotent: later calls return the same exports.
 * Allowed in Node, Deno, Bun and workers; a browser main thread may refuse synchronous compilation.
 * @throws QuorumkitError `ERR_WASM_UNAVAILABLE` without WebAssembly (or SIMD when `simd: true`), or
 * when synchronous compilation is refused — use `await init()` there; `ERR_WASM_INTEGRITY` when the
 * embedded bytes do not match their SHA-256; `ERR_INVALID_ARGUMENT` when already initialized with a
 * different build. RangeError/TypeError on bad options.
 * @example
 * import { initSync } from 'quorumkit/wasm';
 * initSync(); // before the first kernel call; cheap to repeat
 */
export function initSync(options?: InitOptions): QuorumkitWasmExports {
  const choice = resolveProvenance(options);
  const cur = currentWasm();
  if (cur !== null) {
    assertSameChoice(cur, options);
    return cur.exports;
  }
  const instance = _loadBuild(choice.build, { simd: choice.simd });
  activate(instance);
  return instance.exports;
}

/**
 * Asynchronously compiles and instantiates the embedded module (works on browser main threads),
 * registers its kernels with core, and resolves to its exports. Idempotent: every call returns the
 * same promise; after a failure the next call tries again.
 * @throws (rejects with) the same errors as {@link initSync}, except the sync-compilation refusal.
 * @example
 * await init();
 * constantTimeEqual(a, b); // now runs in WASM
 */
export function init(options?: InitOptions): Promise<QuorumkitWasmExports> {
  let choice: { build: WasmBuild; simd: boolean };
  try {
    choice = resolveProvenance(options);
    const cur = currentWasm();
    if (pending !== null) {
      assertSameChoice(cur ?? pendingChoice!, options);
      return pending;
    }
    if (cur !== null) {
      assertSameChoice(cur, options);
      pending = Promise.resolve(cur.exports);
      return pending;
    }
  } catch (err) {
    return Promise.reject(err);
  }
  pendingChoice = choice;
  pending = _loadBuildAsync(choice.build, { simd: choice.simd }).then(
    (instance) => {
      const cur = currentWasm(); // initSync() may have won the race
      if (cur !== null) return cur.exports;
      activate(instance);
      return instance.exports;
    },
    (err: unknown) => {
      pending = null;
      pendingChoice = null;
      throw err;
    },
  );
  return pending;
}

/** Returns true once initSync() or init() has succeeded. */
export function isInitialized(): boolean {
  return currentWasm() !== null;
}

/**
 * Returns the raw exports of the default instance (pointers and numbers; see STYLE.md).
 * @throws QuorumkitError `ERR_WASM_NOT_INITIALIZED` before initSync()/init().
 */
export function wasmExports(): QuorumkitWasmExports {
  return requireWasm().exports;
}

/** Reports the build, SIMD use and module digest in use, and whether SIMD is supported. Never throws. */
export function wasmInfo(): WasmInfo {
  const cur = currentWasm();
  return {
    initialized: cur !== null,
    build: cur?.build ?? null,
    simd: cur?.simd ?? false,
    simdSupported: simdSupported(),
    sha256: cur?.sha256 ?? null,
  };
}

/**
 * Forgets the default instance and unregisters the core backend, so the next initSync()/init()
 * loads afresh. Internal (not re-exported): for tests that share one module graph.
 */
export function _resetWasm(): void {
  pending = null;
  pendingChoice = null;
  clearCurrentWasm();
  setConstantTimeEqualBackend(null);
}
